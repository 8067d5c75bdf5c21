package io.gpukit.examples;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.Workload;
import io.gpukit.core.k8s.rollout.GpuPool;
import io.gpukit.core.k8s.rollout.Readiness;
import io.gpukit.core.k8s.rollout.RolloutSimulation;
import io.gpukit.core.k8s.rollout.RolloutSimulator;
import io.gpukit.core.k8s.rollout.RolloutSpec;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.project.GpuKitCheck;
import io.gpukit.core.project.GpuProject;
import io.gpukit.core.workflow.Workflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The example repository as gpukit sees it: every artifact checked and clean, each read the way its
 * rules read it, and its rollout simulated on a GPU pool with no spare GPU and with one.
 */
class ExampleRepositoryTests {

  private static final Path REPO = Path.of(".");
  private static final Path DOCKERFILE = Path.of("Dockerfile");
  private static final Path WORKFLOW = Path.of(".github", "workflows", "ci.yml");
  private static final Path DEPLOYMENT = Path.of("k8s", "deployment.yaml");
  private static final Path PROMOTION = Path.of("promotion.yaml");
  private static final Path ROLLBACK = Path.of("ROLLBACK.md");

  @Nested
  class The_policy {

    @Test
    void checks_the_dockerfile_workflow_deployment_promotion_and_runbook_and_finds_nothing() {
      // when
      GpuProject project = GpuProject.scan(REPO);
      PolicyReport report = project.report();

      // then
      assertThat(project).hasNoViolations();
      assertThat(report.files()).map(Path::normalize).contains(DOCKERFILE, WORKFLOW, DEPLOYMENT, PROMOTION, ROLLBACK);
      assertThat(report.suppressed()).as("only the broken variants are silenced, by gpukit.yaml").isNotEmpty()
          .allSatisfy(v -> assertThat(v.location().file().normalize()).startsWith(
              Path.of("src", "test", "resources", "fixtures", "broken")));
    }
  }

  @Nested
  class The_artifacts {

    @Test
    void the_image_is_linked_in_one_stage_and_runs_unprivileged_with_a_gpu_healthcheck_in_the_other() {
      assertThat(Dockerfile.parse(DOCKERFILE))
          .hasAtLeastStages(2)
          .finalStage()
          .runsAsNonRoot()
          .hasGpuAwareHealthcheck();
    }

    @Test
    void the_workflow_tests_on_a_gpu_before_pushing_from_main() {
      // given
      Workflow workflow = Workflow.parse(WORKFLOW);

      // then
      assertThat(workflow).job("test").runsOnGpuRunner().runsOnLabels("self-hosted", "gpu").needsJob("build");
      assertThat(workflow).pushJob().needsJob("test").isGatedOnBranch("main").isNotRunForPullRequests();
    }

    @Test
    void the_workflow_runs_the_gpu_tests_so_that_a_missing_gpu_fails_them() throws IOException {
      assertThat(Files.readString(WORKFLOW)).contains("-Dgroups=gpu -Dgpukit.gpu.required=true");
    }

    @Test
    void the_deployment_is_a_gpu_deployment() {
      assertThat(Manifests.parse(DEPLOYMENT)).hasGpuDeployment("gpu-scoring");
    }
  }

  @Nested
  class The_rollout_on_a_gpu_pool {

    private final RolloutSpec spec = RolloutSpec.of(deployment());

    private Workload deployment() {
      return Manifests.parse(DEPLOYMENT).workload("Deployment", "gpu-scoring").orElseThrow();
    }

    @Test
    void reads_two_one_gpu_replicas_that_surge_by_one_and_never_go_unavailable() {
      assertThat(spec.replicas()).isEqualTo(2);
      assertThat(spec.gpusPerPod()).isEqualTo(1);
      assertThat(spec.strategy().resolve(spec.replicas()).surge()).isEqualTo(1);
      assertThat(spec.strategy().resolve(spec.replicas()).unavailable()).isZero();
    }

    @Test
    void stalls_with_every_replica_serving_when_no_gpu_is_free() {
      // when
      RolloutSimulation full = RolloutSimulator.simulate(spec, GpuPool.withFree(0), Readiness.READY);

      // then
      assertThat(full)
          .stallsBecause("1 new pod(s) Pending: each needs 1 GPU(s) on one node, but the most free on any node is 0")
          .keepsAtLeastAvailable(2);
      // the root README shows this outcome for `gpukit rollout simulate k8s/deployment.yaml --gpus-free 0`
      assertThat(full.toJson()).isEqualTo("{\"completes\":false,\"minAvailable\":2,\"maxPods\":3,\"steps\":1,"
          + "\"stall\":\"1 new pod(s) Pending: each needs 1 GPU(s) on one node, but the most free on any node is 0"
          + " (0 free in the pool); the controller deletes no old pod while it would leave fewer than 2 available"
          + " (replicas 2 - maxUnavailable 0) counting the unavailable new pods\"}");
    }

    @Test
    void completes_with_one_spare_gpu_and_never_drops_below_two_available() {
      // when
      RolloutSimulation spare = RolloutSimulator.simulate(spec, GpuPool.withFree(1), Readiness.READY);

      // then
      assertThat(spare).completes().keepsAtLeastAvailable(2);
      assertThat(spare.toJson()).isEqualTo("{\"completes\":true,\"minAvailable\":2,\"maxPods\":3,\"steps\":4,"
          + "\"stall\":null}");
    }

    @Test
    void keeps_both_old_replicas_serving_when_the_new_image_never_becomes_ready() {
      // when
      RolloutSimulation broken = RolloutSimulator.simulate(spec, GpuPool.withFree(1), Readiness.NEVER_READY);

      // then
      assertThat(broken).stallsBecause("never become Ready").keepsAtLeastAvailable(2);
    }
  }

  /**
   * The promotion flow beyond what its rules judge one file at a time: the tag CI pushes enters
   * dev, every stage takes the same tags (the image is promoted, never rebuilt), and the rollback
   * commands and the runbook undo this Deployment.
   */
  @Nested
  class The_promotion_flow {

    @SuppressWarnings("unchecked")
    private Map<String, Object> promotion() throws IOException {
      return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(PROMOTION));
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> stages() throws IOException {
      return (List<Map<String, Object>>) promotion().get("image_promotion_flow");
    }

    @Test
    void is_checked_with_the_runbook_and_breaks_no_promotion_rule() {
      // when
      PolicyReport report = GpuKitCheck.with(GpuKitConfig.discover(REPO)).run(List.of(PROMOTION, ROLLBACK));

      // then
      assertThat(report).hasNoViolations();
      assertThat(report.rules()).extracting(r -> r.id()).contains("promotion/prod-gate-manual",
          "promotion/same-artifact", "promotion/rollback-commands");
    }

    @Test
    void goes_from_dev_to_staging_to_prod_with_a_person_at_the_prod_gate() throws IOException {
      // when
      List<Map<String, Object>> stages = stages();

      // then
      assertThat(stages).extracting(s -> s.get("stage")).containsExactly("dev", "staging", "prod");
      assertThat(stages).extracting(s -> s.get("namespace"))
          .containsExactly("gpu-scoring-dev", "gpu-scoring-staging", "gpu-scoring-prod");
      assertThat(stages.get(2).get("gate")).isEqualTo(List.of("smoke-test", "manual-approval"));
    }

    @Test
    void every_stage_takes_the_tag_ci_pushes_and_the_deployment_runs_and_nothing_else() throws IOException {
      // given
      String pushed = "sha-" + "0123456789abcdef0123".repeat(2);
      String deployed = Manifests.parse(DEPLOYMENT).deployments().get(0).template().containers().get(0).image().raw();

      // then
      assertThat(Files.readString(WORKFLOW)).contains("docker push \"$IMAGE:sha-$GITHUB_SHA\"",
          "IMAGE: ghcr.io/gpukit/gpu-scoring");
      assertThat(stages()).extracting(s -> Pattern.compile((String) s.get("tag_pattern")))
          .allSatisfy(p -> assertThat(p.matcher(pushed).matches()).isTrue())
          .allSatisfy(p -> assertThat(p.matcher(deployed.substring(deployed.lastIndexOf(':') + 1)).matches())
              .as("the tag of %s", deployed).isTrue())
          .allSatisfy(p -> assertThat(p.matcher("latest").matches()).isFalse())
          .allSatisfy(p -> assertThat(p.matcher("v1.0.0").matches()).isFalse());
    }

    @Test
    void the_rollback_commands_and_the_runbook_undo_this_deployment_in_prod() throws IOException {
      // given
      String deployment = Manifests.parse(DEPLOYMENT).deployments().get(0).name();
      @SuppressWarnings("unchecked")
      List<String> commands = (List<String>) promotion().get("rollback_commands");

      // then
      assertThat(deployment).isEqualTo("gpu-scoring");
      assertThat(commands).anyMatch(c -> c.startsWith("kubectl rollout undo deployment/" + deployment + " "))
          .allSatisfy(c -> assertThat(c).contains("deployment/" + deployment + " -n gpu-scoring-prod"));
      assertThat(kubectlLines(Files.readString(ROLLBACK))).containsExactlyElementsOf(commands);
    }

    private List<String> kubectlLines(String markdown) {
      Matcher m = Pattern.compile("(?m)^\\s*(kubectl .+)$").matcher(markdown);
      List<String> out = new java.util.ArrayList<>();
      while (m.find()) {
        out.add(m.group(1).strip());
      }
      return out;
    }
  }
}
