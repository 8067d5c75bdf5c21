package io.gpukit.core.project;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.DockerfileScope;
import io.gpukit.core.dockerfile.Form;
import io.gpukit.core.dockerfile.Healthcheck;
import io.gpukit.core.dockerfile.HealthcheckProbe;
import io.gpukit.core.dockerfile.StageView;
import io.gpukit.core.internal.GpuImages;
import io.gpukit.core.k8s.Container;
import io.gpukit.core.k8s.GpuContainers;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.PodResourceClaim;
import io.gpukit.core.k8s.Probe;
import io.gpukit.core.k8s.ProbeAction;
import io.gpukit.core.k8s.ProbeKind;
import io.gpukit.core.k8s.Resource;
import io.gpukit.core.k8s.Workload;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.promotion.KubectlRollout;
import io.gpukit.core.promotion.PromotionFlow;
import io.gpukit.core.promotion.PromotionStage;
import io.gpukit.core.promotion.RollbackCommand;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.source.SourceParseException;
import io.gpukit.core.workflow.Job;
import io.gpukit.core.workflow.JobTraits;
import io.gpukit.core.workflow.JobTraits.RunnerKind;
import io.gpukit.core.workflow.Step;
import io.gpukit.core.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The rules that read several files at once: what the Dockerfile builds, the workflow tests and
 * pushes, and the manifests run must be the same image and the same probe. Ids are stable: they
 * appear in reports, ignores and baselines.
 *
 * <p>A rule that needs a kind of artifact the repository does not have stays silent: a repository
 * without workflows (its CI may live elsewhere) is not told to add one, and one without manifests
 * is not told about Kubernetes. What a repository lacks is reported only against what it has: a
 * GPU Dockerfile whose workflows never run its probe on a GPU runner, a GPU HEALTHCHECK that the
 * Kubernetes manifests do not repeat as an exec probe.
 *
 * <p>"A GPU Dockerfile" is one whose final stage runs a GPU probe as its HEALTHCHECK, or runs on a
 * CUDA image or an image listed under {@code gpu.images}. "The same probe" is the same program: the
 * same jar of a {@code java -jar}, the same script of an interpreter, else the same executable;
 * its mode, timeout and thresholds may differ.
 *
 * @since 0.1.0
 */
public final class ProjectRules {

  private ProjectRules() {}

  private static final Pattern GPU_TEST_GROUP =
      Pattern.compile("-Dgroups=[\"']?([^\\s\"']*[,|&(])?gpu\\b|(?<![\\w-])-P\\s*([\\w.-]+,)*gpu\\b"
          + "|(?i)--tests\\s+[\"']?[^\\s\"']*gpu|gpukit\\.gpu\\.required");
  private static final Pattern BUILD_TOOL_TEST =
      Pattern.compile("(?<![\\w.-])(\\./)?(mvnw?|gradlew?)(\\.cmd)?\\s[^\\n]*\\b(test|verify|integration-test|install"
          + "|package|check|build)\\b");
  private static final Pattern GPU_TESTS_EXCLUDED =
      Pattern.compile("-DexcludedGroups=[^\\s]*gpu|-DskipTests|-Dmaven\\.test\\.skip|-x\\s+test\\b|excludeTags[^\\s]*gpu");
  private static final Pattern HEALTH_WAIT =
      Pattern.compile("docker\\s+(container\\s+)?inspect\\b[^\\n]*Health|docker[\\s-]compose\\b[^\\n]*\\bup\\b[^\\n]*--wait");

  /**
   * A GPU workload should run an image the workflows push.
   *
   * <p>Compared by repository (registry included; Docker Hub's {@code docker.io/} and {@code
   * library/} ignored), not by tag: the tag changes with every release. What the workflow cannot
   * know before it runs ({@code github.repository}, an input, a step's output) matches anything.
   * The rule stays silent when a push cannot be read, when a container's image is itself a template
   * ({@code $IMAGE}), and when the manifests are a kustomization, which may rename images.
   */
  public static final Rule<ProjectArtifacts> IMAGE_REPOSITORY_PUSHED =
      Rule.<ProjectArtifacts>define("project/image-repository-pushed")
          .error()
          .describedAs("a GPU workload should run an image repository that the workflows push")
          .because(
              "When the Deployment pulls from another repository than CI pushes to, no tested build is ever"
                  + " deployed: the cluster keeps running whatever sits in the old repository, and a new tag"
                  + " fails with ImagePullBackOff.")
          .example(
              "# release.yml\n- run: docker push ghcr.io/acme/llm:${{ github.sha }}\n"
                  + "# deployment.yaml\nimage: ghcr.io/acme/llm-server:1.4.2",
              "# release.yml\n- run: docker push ghcr.io/acme/llm:${{ github.sha }}\n"
                  + "# deployment.yaml\nimage: ghcr.io/acme/llm:1.4.2")
          .onGpuArtifactsOnly()
          .checkedBy(ProjectRules::checkImageRepository);

  /**
   * A GPU container's exec readiness and liveness probes should run the program the image's
   * HEALTHCHECK runs: the probe CI proved against a GPU is then the one that guards production.
   */
  public static final Rule<ProjectArtifacts> PROBE_MATCHES_HEALTHCHECK =
      Rule.<ProjectArtifacts>define("project/probe-matches-healthcheck")
          .error()
          .describedAs("a GPU container's exec readiness and liveness probes should run the same probe as the image's HEALTHCHECK")
          .because(
              "Kubernetes ignores the Dockerfile HEALTHCHECK: the exec probes decide whether a pod gets"
                  + " traffic or is restarted. When they run another program than the HEALTHCHECK that was"
                  + " tested on a GPU, production is guarded by a probe nobody proved. Modes, timeouts and"
                  + " thresholds may differ; the program should not.")
          .example(
              "# Dockerfile\nHEALTHCHECK CMD [\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\"]\n"
                  + "# deployment.yaml\nreadinessProbe:\n  exec: {command: [python3, /app/smoke_test.py]}",
              "# Dockerfile\nHEALTHCHECK CMD [\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\"]\n"
                  + "# deployment.yaml\nreadinessProbe:\n"
                  + "  exec: {command: [java, -jar, /opt/gpukit/gpukit-probe.jar, --mode, readiness]}")
          .onGpuArtifactsOnly()
          .checkedBy(ProjectRules::checkProbesMatchHealthcheck);

  /**
   * The files a gpukit-probe command cannot start without (its jar, and the probe's JNI library
   * when loaded as a JVM agent) should be where the image that installs the probe puts them: a
   * missing jar or {@code -agentpath} library makes the JVM exit 1 on every run. Judges the
   * HEALTHCHECKs of GPU Dockerfiles against their own image, and the GPU containers' exec probes
   * against the GPU images (only when every one copies the probe's jar in: what a base image holds
   * cannot be seen). See {@link ProbeFiles} for what counts as provided.
   */
  public static final Rule<ProjectArtifacts> PROBE_FILES_IN_IMAGE =
      Rule.<ProjectArtifacts>define("project/probe-files-in-image")
          .error()
          .describedAs("the jar and -agentpath library a gpukit-probe command names should be where the image puts them")
          .because(
              "A probe whose jar or JVM agent is not where its command says never runs: the JVM exits 1,"
                  + " the HEALTHCHECK stays unhealthy and the readiness probe keeps every pod out of rotation,"
                  + " whatever the GPU's state. The paths drift apart when a Dockerfile moves the probe, or"
                  + " a manifest takes up the fast launch line, and the other files do not follow.")
          .example(
              "# Dockerfile\nCOPY gpukit-probe.jar /opt/gpukit/gpukit-probe.jar\n# deployment.yaml\nreadinessProbe:\n"
                  + "  exec: {command: [java, -agentpath:/opt/gpukit/natives/libgpukitprobe.so, -jar, /opt/gpukit/gpukit-probe.jar]}",
              "# Dockerfile\nCOPY gpukit-probe.jar /opt/gpukit/gpukit-probe.jar\n"
                  + "RUN java -Dorg.bytedeco.javacpp.cachedir=/opt/gpukit/natives -jar /opt/gpukit/gpukit-probe.jar --cds-training\n"
                  + "# deployment.yaml\nreadinessProbe:\n"
                  + "  exec: {command: [java, -agentpath:/opt/gpukit/natives/libgpukitprobe.so, -jar, /opt/gpukit/gpukit-probe.jar]}")
          .onGpuArtifactsOnly()
          .checkedBy(ProjectRules::checkProbeFilesInImage);

  /**
   * A GPU image should be tested on a GPU runner: by a job that runs its HEALTHCHECK's probe (or
   * waits for the container's health), or runs the GPU test suite ({@code @GpuContainerTest}).
   * Only judged when the repository has workflows; a workflow that calls a reusable workflow of
   * another repository is given the benefit of the doubt.
   */
  public static final Rule<ProjectArtifacts> GPU_CI_JOB =
      Rule.<ProjectArtifacts>define("project/gpu-ci-job")
          .error()
          .describedAs("a GPU image should be tested by a CI job on a GPU runner that runs its probe or the GPU test suite")
          .because(
              "A GPU image that CI only tests without a GPU can still fail on its first GPU node: wrong CUDA"
                  + " runtime, missing driver libraries, a kernel built for another architecture. Running the"
                  + " HEALTHCHECK's own probe, or the @GpuContainerTest suite, on a GPU runner proves the image"
                  + " before it ships.")
          .example(
              "jobs:\n  build: …\n  unit-tests:\n    runs-on: ubuntu-24.04\n    steps: [run: ./mvnw -B verify]",
              "jobs:\n  build: …\n  gpu-tests:\n    needs: [build]\n    runs-on: [self-hosted, gpu]\n    steps:\n"
                  + "      - run: docker run --rm --gpus all app:ci java -jar /opt/gpukit/gpukit-probe.jar --mode deep")
          .onGpuArtifactsOnly()
          .checkedBy(ProjectRules::checkGpuCiJob);

  /**
   * Kubernetes ignores a Dockerfile HEALTHCHECK (kubernetes#50796): a repository whose image
   * proves the GPU in its HEALTHCHECK should prove it in its pods' probes too. Only judged when
   * the repository has manifests with workloads.
   */
  public static final Rule<ProjectArtifacts> HEALTHCHECK_IGNORED_BY_KUBERNETES =
      Rule.<ProjectArtifacts>define("project/healthcheck-ignored-by-kubernetes")
          .warning()
          .describedAs("a GPU HEALTHCHECK should be repeated as a GPU exec probe in the Kubernetes manifests")
          .because(
              "Kubernetes ignores a Dockerfile HEALTHCHECK (kubernetes#50796): only readiness and liveness"
                  + " probes count. A pod whose GPU has failed keeps its traffic and its node when its probes"
                  + " only ask the HTTP port.")
          .example(
              "# Dockerfile\nHEALTHCHECK CMD [\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\"]\n"
                  + "# deployment.yaml\nreadinessProbe:\n  httpGet: {path: /healthz, port: 8080}",
              "# Dockerfile\nHEALTHCHECK CMD [\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\"]\n"
                  + "# deployment.yaml\nreadinessProbe:\n"
                  + "  exec: {command: [java, -jar, /opt/gpukit/gpukit-probe.jar, --mode, readiness]}")
          .onGpuArtifactsOnly()
          .checkedBy(ProjectRules::checkHealthcheckIgnored);

  /**
   * Every stage's {@code tag_pattern} should accept a tag the workflows push. The workflows' tag
   * templates become sample tags ({@link PushedImage}); the rule stays silent when nothing is pushed,
   * or when a pushed tag cannot be known before the workflow runs (an input, a step's output).
   */
  public static final Rule<ProjectArtifacts> PROMOTION_TAG_PUSHED =
      Rule.<ProjectArtifacts>define("project/promotion-tag-pushed")
          .error()
          .describedAs("every promotion stage's tag_pattern should match a tag the workflows push")
          .because(
              "A stage whose tag_pattern matches no tag CI pushes can never be promoted to: the release"
                  + " stalls before it, or someone retags by hand and skips the gates. gpukit tries the"
                  + " workflows' tags with github.sha as 40 hex digits, github.ref_name as v1.2.3, 1.2.3 or"
                  + " main, github.run_number as 42, and docker/metadata-action's tags as it writes them.")
          .example(
              "# ci.yml\n- run: docker push ghcr.io/acme/llm:${{ github.sha }}\n"
                  + "# promotion.yaml\n- stage: dev\n  tag_pattern: 'sha-[0-9a-f]{7}'",
              "# ci.yml\n- run: docker push ghcr.io/acme/llm:${{ github.sha }}\n"
                  + "# promotion.yaml\n- stage: dev\n  tag_pattern: '[0-9a-f]{40}'")
          .checkedBy(ProjectRules::checkPromotionTags);

  /**
   * A rollback command ({@code kubectl rollout …} in a flow's {@code rollback_commands} or a
   * runbook's shell blocks) should name a Deployment (or StatefulSet, DaemonSet) the manifests
   * define, in a namespace they use. Silent without manifests, and when the manifests are Helm
   * templates or a kustomization, which may rename what they define.
   */
  public static final Rule<ProjectArtifacts> ROLLBACK_TARGET_EXISTS =
      Rule.<ProjectArtifacts>define("project/rollback-target-exists")
          .error()
          .describedAs("a rollback command should name a Deployment and namespace that the manifests define")
          .because(
              "A rollback runs when production is already failing. A command that names a Deployment or"
                  + " namespace that does not exist (a rename, a copy from another service) fails with"
                  + " NotFound at the worst moment, and the on-call has to find the right name first.")
          .example(
              "# deployment.yaml\nmetadata: {name: llm, namespace: ml}\n"
                  + "# promotion.yaml\nrollback_commands:\n  - kubectl rollout undo deployment/inference -n ml",
              "# deployment.yaml\nmetadata: {name: llm, namespace: ml}\n"
                  + "# promotion.yaml\nrollback_commands:\n  - kubectl rollout undo deployment/llm -n ml")
          .checkedBy(ProjectRules::checkRollbackTargets);

  /** A path glob under {@code project:} in {@code gpukit.yaml} that matches no file. */
  public static final Rule<ProjectArtifacts> CONFIGURED_PATHS_EXIST =
      Rule.<ProjectArtifacts>define("project/configured-paths-exist")
          .error()
          .describedAs("every path under project: in gpukit.yaml should match a file")
          .because(
              "The project view reads a kind of artifact only from the paths gpukit.yaml names for it; a"
                  + " path that matches nothing (a typo, a moved file) silently checks nothing.")
          .example("project:\n  manifests: [\"deploy/k8s/*.yml\"]", "project:\n  manifests: [\"deploy/k8s/*.yaml\"]")
          .checkedBy(ProjectRules::checkConfiguredPaths);

  /**
   * A pod's device claim (DRA) should name a ResourceClaimTemplate the manifests define, and a
   * container's {@code resources.claims} entry a claim its pod declares: otherwise the API server
   * rejects the pod, or it waits unscheduled for a template nobody ships. A {@code resourceClaimName}
   * (a claim made once, often by an operator or another repository) is not required to be here.
   */
  public static final Rule<ProjectArtifacts> DEVICE_CLAIM_EXISTS =
      Rule.<ProjectArtifacts>define("project/device-claim-exists")
          .error()
          .describedAs("a pod's device claim should name a ResourceClaimTemplate the manifests define")
          .because(
              "A pod whose resourceClaims entry names a missing ResourceClaimTemplate is never scheduled, and a"
                  + " container claim the pod does not declare is rejected by the API server: the GPU the"
                  + " workload asks for never arrives.")
          .example(
              "resourceClaims:\n  - {name: gpu, resourceClaimTemplateName: single-gpu}   # no such template",
              "resourceClaims:\n  - {name: gpu, resourceClaimTemplateName: single-gpu}\n---\n"
                  + "kind: ResourceClaimTemplate\nmetadata: {name: single-gpu}")
          .checkedBy(ProjectRules::checkDeviceClaims);

  /**
   * A push that runs when another workflow completes ({@code on: workflow_run}) should follow a
   * workflow of this repository that tests the image on a GPU runner, for the runs it pushes after:
   * see {@link WorkflowRunGates} for how the followed workflows are found and judged.
   */
  public static final Rule<ProjectArtifacts> WORKFLOW_RUN_GPU_TEST =
      Rule.<ProjectArtifacts>define("project/workflow-run-gpu-test")
          .error()
          .describedAs("a push on workflow_run should follow a workflow that tests the image on a GPU, for the branches it pushes")
          .because(
              "A workflow_run push is gated only by the workflow it follows: a name no workflow has (a rename)"
                  + " never starts it, a followed workflow without a GPU test job, or whose GPU test is skipped"
                  + " for the runs it follows, succeeds without proving the image, and a followed run for a pull"
                  + " request pushes unreviewed code (github.ref is always the default branch in a workflow_run).")
          .example(
              "# gpu-tests.yml\nname: GPU tests\non: [push, pull_request]\n"
                  + "# publish.yml\non:\n  workflow_run: {workflows: [GPU test], types: [completed]}",
              "# gpu-tests.yml\nname: GPU tests\non: [push, pull_request]\n"
                  + "# publish.yml\non:\n  workflow_run: {workflows: [GPU tests], types: [completed], branches: [main]}\n"
                  + "jobs:\n  push:\n    if: >-\n      github.event.workflow_run.conclusion == 'success'\n"
                  + "      && github.event.workflow_run.event == 'push'")
          .checkedBy(WorkflowRunGates::check);

  /** Every project rule, in a stable order. */
  public static final List<Rule<ProjectArtifacts>> ALL =
      List.of(
          IMAGE_REPOSITORY_PUSHED,
          PROBE_MATCHES_HEALTHCHECK,
          PROBE_FILES_IN_IMAGE,
          GPU_CI_JOB,
          HEALTHCHECK_IGNORED_BY_KUBERNETES,
          PROMOTION_TAG_PUSHED,
          ROLLBACK_TARGET_EXISTS,
          CONFIGURED_PATHS_EXIST,
          DEVICE_CLAIM_EXISTS,
          WORKFLOW_RUN_GPU_TEST);

  /** The descriptors of {@link #ALL}, for {@code gpukit rules}, {@code gpukit explain} and reports. */
  public static List<RuleDescriptor> descriptors() {
    return ALL.stream().map(Rule::descriptor).toList();
  }

  // ---------------------------------------------------------------------------------------------
  // project/device-claim-exists

  private static void checkDeviceClaims(ProjectArtifacts project, Rule.Findings findings) {
    GpuContainers view = GpuContainers.across(allResources(project), findings.config());
    for (Manifests m : project.manifests()) {
      for (Workload w : m.workloads()) {
        List<Container> all = new ArrayList<>(w.template().containers());
        all.addAll(w.template().initContainers());
        for (Container c : all) {
          for (GpuContainers.ClaimUse use : view.claims(w, c)) {
            if (use.podClaim().isEmpty()) {
              findings.report(use.reference().location(),
                  w.displayName() + " container '" + c.name() + "' claims '" + use.reference().name()
                      + "', which the pod's resourceClaims do not declare",
                  "add '- {name: " + use.reference().name() + ", resourceClaimTemplateName: <template>}' to the pod's"
                      + " resourceClaims");
              continue;
            }
            PodResourceClaim pod = use.podClaim().get();
            Optional<String> template = pod.templateName().filter(t -> !isTemplated(t));
            if (use.claim().isEmpty() && template.isPresent()) {
              findings.report(pod.location(),
                  w.displayName() + " claims devices from ResourceClaimTemplate '" + template.get()
                      + "', which the manifests do not define",
                  "add a ResourceClaimTemplate named '" + template.get() + "' (apiVersion: resource.k8s.io/v1) with"
                      + " the GPU device class, or name one the manifests define");
            }
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // What the rules share

  /** A GPU Dockerfile's final-stage HEALTHCHECK that runs a GPU probe, and the program it runs. */
  record GpuHealthcheck(Dockerfile dockerfile, Healthcheck healthcheck, Optional<ProbeProgram> program) {
    String where() {
      return SourceLocation.renderPath(healthcheck.location().file()) + ":" + healthcheck.location().line();
    }
  }

  /** The final-stage HEALTHCHECKs that run a GPU probe, in Dockerfile order. */
  static List<GpuHealthcheck> gpuHealthchecks(ProjectArtifacts project, GpuKitConfig config) {
    List<GpuHealthcheck> out = new ArrayList<>();
    for (Dockerfile df : project.dockerfiles()) {
      Optional<Healthcheck> hc = StageView.effectiveHealthcheck(df, df.finalStage());
      if (HealthcheckProbe.of(hc, config) == HealthcheckProbe.GPU_PROBE) {
        out.add(new GpuHealthcheck(df, hc.get(), program(hc.get())));
      }
    }
    return out;
  }

  /**
   * Whether a Dockerfile builds a GPU service image ({@link DockerfileScope#isGpuService()}): GPU
   * evidence in its stages, gpukit.yaml, or other files of the project; not a base image.
   */
  static boolean isGpuDockerfile(Dockerfile df, GpuKitConfig config) {
    return DockerfileScope.of(df, config).isGpuService();
  }

  static Optional<ProbeProgram> program(Healthcheck hc) {
    return ProbeProgram.ofArgv(argv(hc));
  }

  /** A HEALTHCHECK's command as an argv: the exec form as it is, the shell form as {@code sh -c LINE}. */
  static List<String> argv(Healthcheck hc) {
    return hc.commandForm() == Form.EXEC ? hc.command() : List.of("sh", "-c", hc.commandLine());
  }

  /** A container probe that runs a command. */
  record ExecProbe(String name, Probe probe, List<String> command) {}

  /** The container's exec probes among readiness, liveness and (with {@code startup}) startup, in that order. */
  private static List<ExecProbe> execProbes(Container c, boolean startup) {
    List<ExecProbe> out = new ArrayList<>();
    List<Map.Entry<String, Optional<Probe>>> named = new ArrayList<>(List.of(
        Map.entry("readinessProbe", c.readinessProbe()), Map.entry("livenessProbe", c.livenessProbe())));
    if (startup) {
      named.add(Map.entry("startupProbe", c.startupProbe()));
    }
    for (Map.Entry<String, Optional<Probe>> e : named) {
      if (e.getValue().isPresent() && e.getValue().get().action() instanceof ProbeAction.Exec exec) {
        out.add(new ExecProbe(e.getKey(), e.getValue().get(), exec.command()));
      }
    }
    return out;
  }

  /** A workload's container, for messages. */
  record WorkloadContainer(Workload workload, Container container, boolean gpu) {
    String who() {
      return workload.displayName() + (gpu ? " GPU" : "") + " container '" + container.name() + "'";
    }
  }

  /**
   * The GPU containers of the project's serving workloads: a GPU claim's template may live in another
   * file, so every manifest's resources are read together. Jobs, CronJobs and run-once Pods are left
   * out: batch work has no readiness or liveness probes to compare with a HEALTHCHECK.
   */
  private static List<WorkloadContainer> gpuContainers(ProjectArtifacts project, GpuKitConfig config) {
    GpuContainers gpu = GpuContainers.across(allResources(project), config);
    List<WorkloadContainer> out = new ArrayList<>();
    for (Manifests m : project.manifests()) {
      for (Workload w : m.workloads()) {
        if (w.runsToCompletion()) {
          continue;
        }
        for (Container c : gpu.of(w)) {
          out.add(new WorkloadContainer(w, c, true));
        }
      }
    }
    return out;
  }

  /** Every resource of every manifest file, in file order. */
  static List<io.gpukit.core.k8s.Resource> allResources(ProjectArtifacts project) {
    return project.manifests().stream().flatMap(m -> m.resources().stream()).toList();
  }

  /** Whether a name written in a runbook is a template a tool or a person fills ({@code $DEPLOYMENT}, {@code <name>}). */
  private static boolean isTemplated(String name) {
    return GpuImages.hasTemplateSyntax(name);
  }

  // ---------------------------------------------------------------------------------------------
  // project/image-repository-pushed

  private static void checkImageRepository(ProjectArtifacts project, Rule.Findings findings) {
    List<PushedImage> pushed = PushedImage.of(project.workflows());
    if (pushed.isEmpty() || pushed.stream().anyMatch(p -> p.written().isEmpty()) || isKustomized(project)) {
      return; // nothing pushed, or a push gpukit cannot read: it cannot tell
    }
    GpuContainers gpuContainers = GpuContainers.across(allResources(project), findings.config());
    PushedImage.Repositories pushedRepositories = new PushedImage.Repositories(pushed);
    for (Manifests m : project.manifests()) {
      for (Workload w : m.workloads()) {
        if (w.isBarePod()) {
          continue; // a bare Pod is a smoke test or a debug session, not the service the workflows ship
        }
        List<Container> gpu = gpuContainers.of(w);
        if (gpu.isEmpty()) {
          continue;
        }
        List<Container> all = new ArrayList<>(w.template().containers());
        all.addAll(w.template().initContainers());
        if (all.stream().anyMatch(c -> c.image().isPlaceholder())) {
          continue;
        }
        boolean runsPushed = all.stream().anyMatch(c -> pushedRepositories.anyPushes(c.image().repositoryWithRegistry()));
        if (runsPushed) {
          continue;
        }
        Container c = gpu.get(0);
        if (pushed.stream().noneMatch(p -> p.mayBe(c.image().repositoryWithRegistry()))) {
          continue; // a vendor's image (nvcr.io/nvidia/…, rocm/vllm), not one the workflows ship under another name
        }
        Set<String> repositories = new LinkedHashSet<>();
        pushed.forEach(p -> repositories.add(p.displayRepository()));
        PushedImage first = pushed.get(0);
        String firstRepository = repositories.iterator().next();
        findings.report(
            c.imageLocation(),
            w.displayName() + " GPU container '" + c.name() + "' runs '" + c.image().repositoryWithRegistry()
                + "', but the workflows push " + quotedList(repositories) + " (" + where(first.step().location()) + ")",
            firstRepository.contains("…")
                ? "run the repository the workflow pushes, or push '" + c.image().repositoryWithRegistry() + "' in the workflow"
                : "image: " + firstRepository + ":" + c.image().tag().orElse("<tag>")
                    + " (or push '" + c.image().repositoryWithRegistry() + "' in the workflow)");
      }
    }
  }

  /** Whether the manifests are kustomized: kustomize may rename the images they name. */
  private static boolean isKustomized(ProjectArtifacts project) {
    for (Manifests m : project.manifests()) {
      if (m.resources().stream().anyMatch(r -> r.kind().equals("Kustomization"))) {
        return true;
      }
      Path folder = m.path().toAbsolutePath().getParent();
      if (folder != null && (Files.isRegularFile(folder.resolve("kustomization.yaml"))
          || Files.isRegularFile(folder.resolve("kustomization.yml"))
          || Files.isRegularFile(folder.resolve("Kustomization")))) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // project/probe-matches-healthcheck

  private static void checkProbesMatchHealthcheck(ProjectArtifacts project, Rule.Findings findings) {
    List<GpuHealthcheck> healthchecks = gpuHealthchecks(project, findings.config()).stream()
        .filter(h -> h.program().isPresent()).toList();
    if (healthchecks.isEmpty()) {
      return;
    }
    Set<ProbeProgram> programs = healthchecks.stream().map(h -> h.program().get())
        .collect(Collectors.toCollection(LinkedHashSet::new));
    GpuHealthcheck first = healthchecks.get(0);
    for (WorkloadContainer wc : gpuContainers(project, findings.config())) {
      for (ExecProbe probe : execProbes(wc.container(), false)) {
        Optional<ProbeProgram> runs = ProbeProgram.ofArgv(probe.command());
        if (runs.isPresent() && programs.contains(runs.get())) {
          continue;
        }
        String mode = probe.name().startsWith("readiness") ? "readiness" : "liveness";
        findings.report(
            probe.probe().location(),
            wc.who() + ": the " + probe.name() + " runs " + runs.map(ProbeProgram::quoted).orElse("nothing")
                + " but the HEALTHCHECK of " + first.where() + " runs " + first.program().get().quoted(),
            "exec: {command: " + execCommand(first.healthcheck(), mode) + "}");
      }
    }
  }

  /** The HEALTHCHECK's command as a probe's exec command, its {@code --mode} set to {@code mode}. */
  static String execCommand(Healthcheck hc, String mode) {
    List<String> argv = new ArrayList<>(argv(hc));
    int m = argv.indexOf("--mode");
    if (m >= 0 && m + 1 < argv.size() && hc.commandForm() == Form.EXEC) {
      argv.set(m + 1, mode);
    }
    return argv.stream().map(ProjectRules::yamlWord).collect(Collectors.joining(", ", "[", "]"));
  }

  /** A word of a flow-style YAML list: plain when YAML reads it back as the same string, else quoted. */
  private static String yamlWord(String word) {
    boolean plain = (word.matches("[A-Za-z_./][A-Za-z0-9_./=-]*") || word.matches("--?[A-Za-z][A-Za-z0-9-]*"))
        && !word.matches("(?i)true|false|yes|no|on|off|null|~|\\.inf|\\.nan");
    return plain ? word : "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  // ---------------------------------------------------------------------------------------------
  // project/probe-files-in-image

  private static void checkProbeFilesInImage(ProjectArtifacts project, Rule.Findings findings) {
    GpuKitConfig config = findings.config();
    List<ProbeFiles.Image> gpuImages = project.dockerfiles().stream().filter(d -> isGpuDockerfile(d, config))
        .map(ProbeFiles::image).toList();
    List<ProbeFiles.Image> images = gpuImages.stream().filter(ProbeFiles.Image::installsTheProbe).toList();
    if (images.isEmpty()) {
      return;
    }
    for (ProbeFiles.Image image : images) {
      Optional<Healthcheck> hc = StageView.effectiveHealthcheck(image.dockerfile(), image.dockerfile().finalStage());
      if (hc.isPresent() && !hc.get().isNone()) {
        reportMissingProbeFiles(argv(hc.get()), List.of(image), hc.get().location(), "the HEALTHCHECK", findings);
      }
    }
    if (images.size() < gpuImages.size()) {
      // A GPU image whose probe comes from elsewhere (its base image, a folder copied whole) may be
      // the one a container runs: its files cannot be seen, so the manifests are not judged.
      return;
    }
    for (WorkloadContainer wc : gpuContainers(project, config)) {
      for (ExecProbe probe : execProbes(wc.container(), true)) {
        reportMissingProbeFiles(probe.command(), images, probe.probe().location(), wc.who() + ": the " + probe.name(),
            findings);
      }
    }
  }

  private static void reportMissingProbeFiles(List<String> argv, List<ProbeFiles.Image> images, SourceLocation where,
      String who, Rule.Findings findings) {
    for (ProbeFiles.Needed needed : ProbeFiles.needed(argv)) {
      if (images.stream().anyMatch(image -> image.provides(needed))) {
        continue;
      }
      ProbeFiles.Image image = images.get(0);
      String jar = image.probeJar().map(ProbeFiles.Placed::path).orElse("/opt/gpukit/gpukit-probe.jar");
      String copied = image.probeJar().map(p -> " (" + SourceLocation.renderPath(p.location().file()) + ":"
          + p.location().line() + " copies the probe to " + p.path() + ")").orElse("");
      if (needed.what().equals(ProbeFiles.JAR)) {
        findings.report(where, who + " runs the probe from " + needed.path() + ", which "
                + (images.size() == 1 ? image.where() + " does not provide" : "no GPU image provides") + copied
                + ": the JVM cannot start it (exit 1)",
            "-jar " + jar);
      } else {
        String folder = needed.path().substring(0, needed.path().lastIndexOf('/'));
        findings.report(where, who + " loads the JVM agent " + needed.path() + ", which "
                + (images.size() == 1 ? image.where() + " does not make" : "no GPU image makes")
                + ": the JVM refuses to start without its agent (exit 1)",
            "RUN java -Dorg.bytedeco.javacpp.cachedir=" + folder + " -jar " + jar
                + " --cds-training   # extracts the probe's JNI libraries and links " + folder + "/libgpukitprobe.so");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // project/gpu-ci-job

  private static void checkGpuCiJob(ProjectArtifacts project, Rule.Findings findings) {
    GpuKitConfig config = findings.config();
    List<Dockerfile> gpuDockerfiles = project.dockerfiles().stream().filter(d -> isGpuDockerfile(d, config)).toList();
    if (gpuDockerfiles.isEmpty() || project.workflows().isEmpty()) {
      return;
    }
    List<Job> jobs = project.workflows().stream().flatMap(w -> w.jobs().stream()).toList();
    if (jobs.stream().anyMatch(j -> j.uses().filter(u -> !u.startsWith("./")).isPresent())) {
      return; // a reusable workflow of another repository may run it
    }
    List<GpuHealthcheck> healthchecks = gpuHealthchecks(project, config);
    List<ProbeProgram> programs = healthchecks.stream().flatMap(h -> h.program().stream()).toList();
    if (jobs.stream().anyMatch(j -> testsImageOnGpu(j, programs, config))) {
      return;
    }
    if (jobs.stream().noneMatch(j -> JobTraits.testsOnGpuRunner(j, config))
        && project.workflows().stream().anyMatch(ProjectRules::buildsOrPushes)) {
      return; // workflow/gpu-test-job already says that no job on a GPU runner uses a GPU
    }
    Workflow at = project.workflows().stream().filter(ProjectRules::buildsOrPushes).findFirst()
        .orElse(project.workflows().get(0));
    String what = healthchecks.isEmpty()
        ? "a GPU probe or the GPU test suite"
        : "the HEALTHCHECK's probe " + programs.stream().findFirst().map(ProbeProgram::quoted).orElse("")
            + " (" + healthchecks.get(0).where() + ") or the GPU test suite";
    String probeRun = healthchecks.isEmpty()
        ? "java -jar /opt/gpukit/gpukit-probe.jar --mode deep"
        : healthchecks.get(0).healthcheck().commandLine();
    boolean amd = DockerfileScope.of(gpuDockerfiles.get(0), config).amd();
    findings.report(
        at.jobsLocation(),
        "no job on a GPU runner runs " + what + ", so the GPU image of "
            + SourceLocation.renderPath(gpuDockerfiles.get(0).path()) + " is never tested with a GPU",
        amd && healthchecks.isEmpty()
            ? "add a job on [self-hosted, rocm] that needs the build and runs 'docker run --rm --device /dev/kfd"
                + " --device /dev/dri <image> <your ROCm smoke test>' (gpukit-probe needs NVIDIA; list the smoke test"
                + " under gpu.probe-commands in gpukit.yaml)"
            : "add a job on [self-hosted, gpu] that needs the build and runs 'docker run --rm --gpus all <image> "
                + probeRun + "', or the @GpuContainerTest suite ('./mvnw -B verify')");
  }

  /** Whether a job on a GPU runner runs the probe, waits for the container's health, or runs the GPU tests. */
  static boolean testsImageOnGpu(Job job, List<ProbeProgram> programs, GpuKitConfig config) {
    if (job.runsOn().isEmpty()) {
      return false;
    }
    boolean gpuLabelled = JobTraits.runnerKinds(job, config).contains(RunnerKind.GPU);
    if (!gpuLabelled && !JobTraits.testsOnGpuRunner(job, config)) {
      return false;
    }
    String script = script(job);
    boolean runsProbe = programs.isEmpty()
        ? script.lines().anyMatch(config::isGpuProbeCommand)
        : programs.stream().anyMatch(p -> p.isRunBy(script));
    boolean runsSuite = GPU_TEST_GROUP.matcher(script).find()
        || (BUILD_TOOL_TEST.matcher(script).find() && !GPU_TESTS_EXCLUDED.matcher(script).find());
    return runsProbe || runsSuite || HEALTH_WAIT.matcher(script).find() || runsImageOnGpu(script);
  }

  /**
   * Whether a script runs a container with a GPU attached and has it compute ({@code python3 -c
   * "assert torch.cuda.is_available()"}, a validator's CUDA check), not only answer ({@code
   * nvidia-smi}, {@code rocm-smi}, {@code true}).
   */
  private static boolean runsImageOnGpu(String script) {
    for (String command : script.split("\\R|&&|\\|\\||;")) {
      Matcher run = CONTAINER_RUN.matcher(command);
      if (run.find() && JobTraits.attachesGpu(command.substring(run.end()))
          && !ONLY_ANSWERS.matcher(command.strip()).find()) {
        return true;
      }
    }
    return false;
  }

  /** A container command that proves the driver answers, not that the GPU computes. */
  private static final Pattern ONLY_ANSWERS =
      Pattern.compile("\\s(nvidia-smi|rocm-smi|amd-smi|rocminfo|true|echo)(\\s[^|&;]*)?$");

  /** A container run; {@link JobTraits#attachesGpu} reads its flags. */
  private static final Pattern CONTAINER_RUN = Pattern.compile("\\b(docker|podman|nerdctl)\\s+(container\\s+)?run\\b");

  /** A job's run scripts, continuations joined, comment lines dropped. */
  private static String script(Job job) {
    StringBuilder sb = new StringBuilder();
    for (Step step : job.steps()) {
      step.run().ifPresent(run -> {
        for (String line : run.replaceAll("\\\\\\r?\\n", " ").lines().toList()) {
          if (!line.strip().startsWith("#")) {
            sb.append(line).append('\n');
          }
        }
      });
    }
    return sb.toString();
  }

  /** Whether a workflow builds or pushes an image and calls no reusable workflow the project did not read. */
  private static boolean buildsOrPushes(Workflow wf) {
    return wf.jobs().stream().noneMatch(Job::callsUnreadWorkflow)
        && wf.jobs().stream().anyMatch(j -> JobTraits.buildsImage(j) || JobTraits.pushesImage(j));
  }

  // ---------------------------------------------------------------------------------------------
  // project/healthcheck-ignored-by-kubernetes

  private static void checkHealthcheckIgnored(ProjectArtifacts project, Rule.Findings findings) {
    GpuKitConfig config = findings.config();
    List<GpuHealthcheck> healthchecks = gpuHealthchecks(project, config);
    List<Workload> workloads = project.manifests().stream().flatMap(m -> m.workloads().stream())
        .filter(w -> !w.runsToCompletion()) // batch work has no probes to run a HEALTHCHECK's check
        .toList();
    if (healthchecks.isEmpty() || workloads.isEmpty()) {
      return;
    }
    PushedImage.Repositories pushed = new PushedImage.Repositories(PushedImage.of(project.workflows()));
    GpuContainers gpuContainers = GpuContainers.across(allResources(project), config);
    List<WorkloadContainer> candidates = new ArrayList<>();
    for (Workload w : workloads) {
      for (Container c : w.template().containers()) {
        boolean runsPushed = pushed.anyPushes(c.image().repositoryWithRegistry());
        boolean gpu = gpuContainers.isGpu(w, c);
        if (gpu || runsPushed) {
          candidates.add(new WorkloadContainer(w, c, gpu));
        }
      }
    }
    if (candidates.isEmpty()) {
      workloads.forEach(w -> w.template().containers().forEach(c -> candidates.add(new WorkloadContainer(w, c, false))));
    }
    boolean probed = candidates.stream()
        .flatMap(wc -> Stream.of(wc.container().readinessProbe(), wc.container().livenessProbe()))
        .flatMap(Optional::stream)
        .anyMatch(p -> ProbeKind.of(p, config) == ProbeKind.GPU_PROBE);
    if (probed || candidates.isEmpty()) {
      return;
    }
    GpuHealthcheck hc = healthchecks.get(0);
    WorkloadContainer target = candidates.get(0);
    findings.report(
        hc.healthcheck().location(),
        "Kubernetes ignores this HEALTHCHECK (kubernetes#50796), and no readiness or liveness probe in the manifests"
            + " runs a GPU probe: " + target.who() + " ("
            + SourceLocation.renderPath(target.container().location().file()) + ":" + target.container().location().line()
            + ") keeps its traffic when its GPU fails",
        "add to " + target.who() + ": readinessProbe: {exec: {command: " + execCommand(hc.healthcheck(), "readiness")
            + "}} and a livenessProbe with the liveness mode");
  }

  // ---------------------------------------------------------------------------------------------
  // project/promotion-tag-pushed

  private static final Pattern SAMPLE_PARTS =
      Pattern.compile(Pattern.quote(PushedImage.SHA) + "|" + Pattern.quote(PushedImage.SHA.substring(0, 7))
          + "|v1\\.2\\.3|1\\.2\\.3|9876543210|42");

  private static void checkPromotionTags(ProjectArtifacts project, Rule.Findings findings) {
    List<PromotionFlow> flows = project.flows();
    if (flows.isEmpty()) {
      return;
    }
    List<PushedImage> pushed = PushedImage.of(project.workflows());
    if (pushed.isEmpty() || pushed.stream().anyMatch(p -> p.tag().isEmpty())) {
      return; // nothing pushed here, or a tag that cannot be known: it cannot tell
    }
    Set<String> tags = new LinkedHashSet<>();
    pushed.forEach(p -> tags.add(p.tag().get()));
    PushedImage first = pushed.get(0);
    for (PromotionFlow flow : flows) {
      for (PromotionStage stage : flow.stages()) {
        if (stage.compiledTagPattern().isEmpty() || tags.stream().anyMatch(stage::acceptsTag)) {
          continue;
        }
        List<String> shown = tags.stream().limit(3).toList();
        String sample = shown.get(0);
        findings.report(
            stage.locationOf("tag_pattern"),
            stage.describe() + " accepts tags matching '" + stage.tagPattern().get() + "', but the workflows push tags such as "
                + shown.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))
                + (tags.size() > shown.size() ? " and " + (tags.size() - shown.size()) + " more" : "")
                + " (" + where(first.step().location()) + ")",
            "tag_pattern: '" + patternFor(sample) + "' (or push tags that match '" + stage.tagPattern().get() + "')");
      }
    }
  }

  /** A tag pattern that matches a sample tag and every tag made the same way. */
  static String patternFor(String sample) {
    StringBuilder re = new StringBuilder();
    Matcher m = SAMPLE_PARTS.matcher(sample);
    int last = 0;
    while (m.find()) {
      re.append(escape(sample.substring(last, m.start())));
      String part = m.group();
      re.append(switch (part.length()) {
        case 40 -> "[0-9a-f]{40}";
        case 7 -> "[0-9a-f]{7}";
        case 5 -> "\\d+\\.\\d+\\.\\d+";
        case 6 -> "v\\d+\\.\\d+\\.\\d+";
        default -> "\\d+";
      });
      last = m.end();
    }
    re.append(escape(sample.substring(last)));
    return re.toString();
  }

  private static String escape(String literal) {
    return literal.replaceAll("([\\\\.\\[\\]{}()*+?^$|])", "\\\\$1");
  }

  // ---------------------------------------------------------------------------------------------
  // project/rollback-target-exists

  private static final Set<String> ROLLOUT_KINDS = Set.of("deployment", "statefulset", "daemonset");

  private static void checkRollbackTargets(ProjectArtifacts project, Rule.Findings findings) {
    List<Workload> workloads = project.manifests().stream().flatMap(m -> m.workloads().stream())
        .filter(w -> ROLLOUT_KINDS.contains(w.kind().toLowerCase(Locale.ROOT))).toList();
    if (workloads.isEmpty() || isKustomized(project)
        || project.manifests().stream().anyMatch(m -> m.helmTemplate().isPresent())) {
      return;
    }
    Set<String> namespaces = new LinkedHashSet<>();
    for (Manifests m : project.manifests()) {
      for (Resource r : m.resources()) {
        r.namespace().ifPresent(namespaces::add);
        if (r.kind().equals("Namespace") && !r.name().isEmpty()) {
          namespaces.add(r.name());
        }
      }
    }
    Map<String, List<Workload>> byKindAndName = new HashMap<>();
    workloads.forEach(w -> byKindAndName.computeIfAbsent(w.kind().toLowerCase(Locale.ROOT) + "/" + w.name(),
        k -> new ArrayList<>()).add(w));
    for (RollbackCommand command : project.rollbackCommands()) {
      if (command.kubectl().isEmpty()) {
        continue;
      }
      KubectlRollout r = command.kubectl().get();
      if (r.name().isEmpty() || !ROLLOUT_KINDS.contains(r.resourceKind()) || isTemplated(r.name())) {
        continue;
      }
      List<Workload> named = byKindAndName.getOrDefault(r.resourceKind().toLowerCase(Locale.ROOT) + "/" + r.name(), List.of());
      String command0 = "'" + command.text().strip() + "'";
      if (named.isEmpty()) {
        Workload suggestion = workloads.stream().filter(w -> w.kind().equalsIgnoreCase(r.resourceKind())).findFirst()
            .orElse(workloads.get(0));
        String have = workloads.stream().map(w -> w.displayName() + w.namespace().map(ns -> " in '" + ns + "'").orElse(""))
            .distinct().limit(3).collect(Collectors.joining(", "));
        findings.report(
            r.location(),
            command0 + " names " + kindName(r.resourceKind()) + " '" + r.name() + "', which the manifests do not define"
                + " (they define " + have + ")",
            renamed(command.text(), r, suggestion.name(), suggestion.namespace()));
        continue;
      }
      if (r.namespace().isEmpty() || isTemplated(r.namespace().get())) {
        continue;
      }
      String ns = r.namespace().get();
      if (named.stream().anyMatch(w -> w.namespace().filter(ns::equals).isPresent())) {
        continue;
      }
      Optional<Workload> placed = named.stream().filter(w -> w.namespace().isPresent()).findFirst();
      boolean unplaced = named.stream().anyMatch(w -> w.namespace().isEmpty());
      if (!unplaced && placed.isPresent()) {
        findings.report(
            r.location(),
            command0 + " looks in namespace '" + ns + "', but the manifests put " + placed.get().displayName()
                + " in '" + placed.get().namespace().get() + "'",
            renamed(command.text(), r, r.name(), placed.get().namespace()));
      } else if (unplaced && !namespaces.isEmpty() && !namespaces.contains(ns)) {
        findings.report(
            r.location(),
            command0 + " looks in namespace '" + ns + "', which the manifests do not use (they use "
                + namespaces.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", ")) + ")",
            renamed(command.text(), r, r.name(), Optional.of(namespaces.iterator().next())));
      }
    }
  }

  /** The command as written with another resource name and namespace, its other flags kept. */
  static String renamed(String text, KubectlRollout r, String name, Optional<String> namespace) {
    String out = text.replaceFirst(
        "(?<=[/\\s])" + Pattern.quote(r.name()) + "(?=\\s|$)", Matcher.quoteReplacement(name));
    if (namespace.isPresent()) {
      String ns = Matcher.quoteReplacement(namespace.get());
      String replaced = r.namespace().isEmpty() ? out
          : out.replaceFirst("(-n\\s*=?\\s*|--namespace[=\\s]\\s*)" + Pattern.quote(r.namespace().get()) + "(?=\\s|$)",
              "$1" + ns);
      out = replaced.equals(out) && r.namespace().map(n -> !n.equals(namespace.get())).orElse(true)
          ? out + " -n " + namespace.get() : replaced;
    }
    return out;
  }

  private static String kindName(String resourceKind) {
    return switch (resourceKind) {
      case "statefulset" -> "StatefulSet";
      case "daemonset" -> "DaemonSet";
      default -> "Deployment";
    };
  }

  // ---------------------------------------------------------------------------------------------
  // project/configured-paths-exist

  private static void checkConfiguredPaths(ProjectArtifacts project, Rule.Findings findings) {
    if (project.unmatchedPaths().isEmpty()) {
      return;
    }
    GpuKitConfig config = findings.config();
    Path file = config.source().orElse(project.root().resolve(GpuKitConfig.FILE_NAME));
    List<String> lines = readLines(file);
    project.unmatchedPaths().forEach((key, globs) -> {
      for (String glob : globs) {
        findings.report(
            locate(file, lines, glob),
            "project." + key + " path '" + glob + "' matches no file, so the project view reads no " + key + " from it",
            "correct the path (relative to " + SourceLocation.renderPath(file) + "), or remove it to use the conventional places");
      }
    });
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.isRegularFile(file) ? SourceFile.read(file).lines() : List.of();
    } catch (SourceParseException e) {
      return List.of();
    }
  }

  private static SourceLocation locate(Path file, List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      int at = lines.get(i).indexOf(text);
      if (at >= 0 && !lines.get(i).strip().startsWith("#")) {
        return SourceLocation.of(file, i + 1, at + 1);
      }
    }
    return SourceLocation.startOf(file);
  }

  // ---------------------------------------------------------------------------------------------

  static String where(SourceLocation location) {
    return SourceLocation.renderPath(location.file()) + ":" + location.line();
  }

  private static String quotedList(Set<String> values) {
    return values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", "));
  }
}
