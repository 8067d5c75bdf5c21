package io.gpukit.core.dockerfile;

import io.gpukit.core.internal.EditDistance;
import io.gpukit.core.policy.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Dockerfile rules. Ids are stable: they appear in reports, ignores and baselines.
 *
 * <p>"The final stage" is the stage the image is built from (the last one), together with the
 * stages it builds on through {@code FROM <stage>}: a USER or HEALTHCHECK set there is inherited.
 * Earlier build stages may run as root or lack a HEALTHCHECK: only what ships is judged.
 *
 * <table>
 *   <caption>Matching rules in other tools</caption>
 *   <tr><th>gpukit</th><th>hadolint</th><th>Trivy</th><th>Checkov</th></tr>
 *   <tr><td>dockerfile/final-stage-non-root</td><td>DL3002</td><td>DS002</td><td>CKV_DOCKER_3, CKV_DOCKER_8</td></tr>
 *   <tr><td>dockerfile/base-image-pinned</td><td>DL3006, DL3007</td><td>DS001</td><td>CKV_DOCKER_7</td></tr>
 *   <tr><td>dockerfile/final-stage-healthcheck</td><td>DL3057</td><td>DS026</td><td>CKV_DOCKER_2</td></tr>
 *   <tr><td>dockerfile/single-healthcheck</td><td>DL3012</td><td></td><td></td></tr>
 *   <tr><td>dockerfile/copy-from-known-stage</td><td>DL3022, DL3023</td><td></td><td></td></tr>
 *   <tr><td>dockerfile/unique-stage-names</td><td>DL3024</td><td></td><td></td></tr>
 *   <tr><td>dockerfile/exec-form</td><td>DL3025</td><td></td><td></td></tr>
 * </table>
 *
 * @since 0.1.0
 */
public final class DockerfileRules {

  private DockerfileRules() {}

  /** The HEALTHCHECK hint for a ROCm image, where the NVIDIA probe does not fit. */
  private static final String AMD_PROBE_HINT =
      "gpukit-probe needs an NVIDIA GPU (NVML and CUDA); on ROCm, run your own GPU smoke test (a HIP"
          + " allocation and a kernel, e.g. with torch on ROCm) and list it under gpu.probe-commands in gpukit.yaml";

  /**
   * A GPU image should be built in at least two stages.
   *
   * <p>One stage means the compilers, the CUDA {@code -devel} headers and the build caches ship to
   * production: gigabytes on every GPU node pull, and more to patch. A GPU rule: it judges GPU
   * service images that RUN something in their one stage (a stage that only COPYs onto a vendor's
   * image has no build to separate); a CPU tool whose toolchain is what it runs is not its business.
   */
  public static final Rule<Dockerfile> MULTI_STAGE =
      Rule.<Dockerfile>define("dockerfile/multi-stage")
          .error()
          .describedAs("a Dockerfile should build in at least two FROM stages")
          .because(
              "A single stage ships the build toolchain (compilers, CUDA -devel headers, caches) to"
                  + " every GPU node; a separate runtime stage ships only what runs.")
          .example(
              "FROM nvidia/cuda:13.0.1-devel-ubuntu24.04\nRUN make\nCMD [\"/app/server\"]",
              "FROM nvidia/cuda:13.0.1-devel-ubuntu24.04 AS build\nRUN make\n\n"
                  + "FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04\nCOPY --from=build /src/server /app/server\n"
                  + "CMD [\"/app/server\"]")
          .onGpuArtifactsOnly()
          .checkedBy(
              (df, findings) -> {
                boolean builds = !df.finalStage().instructionsOf(Run.class).isEmpty();
                if (df.stages().size() < 2 && builds && DockerfileScope.of(df, findings.config()).isGpuService()) {
                  findings.report(
                      df.finalStage().location(),
                      "only " + df.stages().size() + " FROM stage; build and runtime should be separate stages",
                      "add a build stage ('FROM … AS build') and COPY --from=build only the artifacts into a"
                          + " runtime image");
                }
              });

  /**
   * The final stage of a GPU service image should not be a build toolchain (a GPU rule: a CPU
   * linter image that runs the Go toolchain it ships is not judged).
   *
   * <p>CUDA {@code -devel} images, Maven, Gradle, Go and Rust images belong in build stages. A full
   * JDK is reported by {@link #FINAL_STAGE_FULL_JDK} as a warning.
   */
  public static final Rule<Dockerfile> FINAL_STAGE_NOT_TOOLCHAIN =
      Rule.<Dockerfile>define("dockerfile/final-stage-not-toolchain")
          .error()
          .describedAs("the final stage should run on a runtime image, not a build toolchain")
          .because(
              "A -devel CUDA image or a Maven/Gradle/Go/Rust image in the final stage ships compilers"
                  + " and headers: several GB more per pull and a larger attack surface, for nothing the"
                  + " service runs.")
          .example(
              "FROM maven:3.9-eclipse-temurin-17 AS build\n…\nFROM nvidia/cuda:13.0.1-devel-ubuntu24.04",
              "FROM maven:3.9-eclipse-temurin-17 AS build\n…\nFROM nvidia/cuda:13.0.1-runtime-ubuntu24.04")
          .onGpuArtifactsOnly()
          .checkedBy(
              (df, findings) -> {
                if (!DockerfileScope.of(df, findings.config()).isGpuService()) {
                  return; // a -devel base image meant to be built FROM, or a CPU tool that runs its toolchain
                }
                Stage last = df.finalStage();
                Stage root = StageView.root(df, last);
                BaseImages.toolchain(root.baseImage())
                    .ifPresent(
                        why ->
                            findings.report(
                                last.location(),
                                "the final stage runs on '" + root.baseImage().resolved() + "': " + why,
                                runtimeHint(root.baseImage())));
              });

  /** A full JDK in the final stage: a JRE is enough to run a service. */
  public static final Rule<Dockerfile> FINAL_STAGE_FULL_JDK =
      Rule.<Dockerfile>define("dockerfile/final-stage-full-jdk")
          .warning()
          .describedAs("the final stage should run on a JRE, not a full JDK")
          .because("A JDK adds the compiler and tools (~200 MB) that a running service never uses.")
          .example("FROM eclipse-temurin:17-jdk", "FROM eclipse-temurin:17-jre")
          .checkedBy(
              (df, findings) -> {
                if (DockerfileScope.of(df, findings.config()).isBaseImage()) {
                  return;
                }
                Stage last = df.finalStage();
                Stage root = StageView.root(df, last);
                ImageReference image = root.baseImage();
                if (BaseImages.toolchain(image).isEmpty() && BaseImages.isFullJdk(image)) {
                  findings.report(
                      last.location(),
                      "the final stage runs on a full JDK '" + image.resolved() + "'",
                      "use a JRE image such as 'eclipse-temurin:17-jre', or a jlink-ed runtime");
                }
              });

  /**
   * The final stage should run as a non-root user. No USER counts as root; only the last USER of
   * the final stage (or of the stages it builds on) counts, its variables resolved through the ARG
   * and ENV in scope ({@code USER $APP_UID}); a variable only a {@code --build-arg} sets is not
   * judged. A base image meant to be built {@code FROM} is not judged: the image built on it sets
   * its user; nor is an image without USER on a base that does not run as root (distroless and
   * Chainguard {@code nonroot}, the official postgres, mariadb, mysql, redis and mongo images, whose
   * entrypoints step down, Bitnami, the Jupyter stacks).
   */
  public static final Rule<Dockerfile> FINAL_STAGE_NON_ROOT =
      Rule.<Dockerfile>define("dockerfile/final-stage-non-root")
          .error()
          .describedAs("the final stage should run as a non-root user")
          .because(
              "A GPU container has the driver's device nodes mounted; a process that escapes it as root"
                  + " owns the GPU node. Earlier build stages may use root: they do not ship.")
          .relatedTo("hadolint DL3002, Trivy DS002, Checkov CKV_DOCKER_3 and CKV_DOCKER_8")
          .example(
              "FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04\nCOPY app /app\nCMD [\"/app/server\"]",
              "FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04\nCOPY app /app\nUSER 10001\nCMD [\"/app/server\"]")
          .checkedBy(
              (df, findings) -> {
                if (DockerfileScope.of(df, findings.config()).isBaseImage()) {
                  return;
                }
                Stage last = df.finalStage();
                Optional<User> user = StageView.effectiveUser(df, last);
                Optional<UserSpec> spec = StageView.effectiveUserSpec(df, last);
                if (user.isEmpty() && BaseImages.nonRootByDefault(StageView.root(df, last).baseImage()).isPresent()) {
                  return; // distroless :nonroot, an official postgres or redis image: the base does not run as root
                }
                if (user.isEmpty()) {
                  findings.report(
                      last.location(),
                      "the final stage has no USER, so it runs as root",
                      "add 'USER 10001' (a numeric uid) to the final stage after installing files");
                } else if (spec.get().isRoot()) {
                  findings.report(
                      user.get().location(),
                      "the final stage runs as root ('USER " + user.get().spec().raw() + "'"
                          + (spec.get().raw().equals(user.get().spec().raw()) ? "" : ", that is '" + spec.get().raw() + "'")
                          + ")",
                      "switch to an unprivileged numeric user, e.g. 'USER 10001'");
                }
              });

  /** The final USER should be numeric so Kubernetes {@code runAsNonRoot} can verify it. */
  public static final Rule<Dockerfile> NUMERIC_USER =
      Rule.<Dockerfile>define("dockerfile/numeric-user")
          .warning()
          .describedAs("the final stage's USER should be a numeric uid")
          .because(
              "Kubernetes runAsNonRoot can only verify a numeric user; with a name the kubelet refuses"
                  + " to start the pod ('image has non-numeric user').")
          .example("USER app", "USER 10001:10001")
          .checkedBy(
              (df, findings) -> {
                if (DockerfileScope.of(df, findings.config()).isBaseImage()) {
                  return;
                }
                Optional<User> user = StageView.effectiveUser(df, df.finalStage());
                Optional<UserSpec> spec = StageView.effectiveUserSpec(df, df.finalStage());
                if (user.isPresent() && !spec.get().isRoot() && !spec.get().isNumeric() && !spec.get().isUnresolved()) {
                  findings.report(
                      user.get().location(),
                      "the final USER '" + user.get().spec().raw() + "' is a name, not a uid",
                      "use the numeric uid, e.g. 'USER 10001' (create it with 'useradd -u 10001')");
                }
              });

  /**
   * The final stage should have a HEALTHCHECK that exercises the GPU: not missing, not {@code NONE},
   * not only HTTP or TCP.
   */
  public static final Rule<Dockerfile> FINAL_STAGE_HEALTHCHECK =
      Rule.<Dockerfile>define("dockerfile/final-stage-healthcheck")
          .error()
          .describedAs("the final stage should have a HEALTHCHECK that runs a GPU probe")
          .because(
              "An HTTP 200 proves the server process runs, not that CUDA can allocate and compute; Docker"
                  + " only marks a container unhealthy when the check exercises the GPU.")
          .relatedTo("hadolint DL3057, Trivy DS026, Checkov CKV_DOCKER_2")
          .onGpuArtifactsOnly()
          .example(
              "HEALTHCHECK CMD curl -f http://localhost:8000/healthz",
              "HEALTHCHECK --interval=30s --timeout=5s --retries=3 \\\n"
                  + "  CMD [\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\", \"--mode\", \"liveness\"]")
          .checkedBy(
              (df, findings) -> {
                DockerfileScope scope = DockerfileScope.of(df, findings.config());
                if (!scope.isGpuService()) {
                  return;
                }
                Stage last = df.finalStage();
                Optional<Healthcheck> hc = StageView.effectiveHealthcheck(df, last);
                HealthcheckProbe probe = HealthcheckProbe.of(hc, findings.config());
                String hint = scope.amd()
                    ? AMD_PROBE_HINT
                    : "HEALTHCHECK CMD [\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\"] (or your GPU smoke"
                        + " test; declare custom probes under gpu.probe-commands in gpukit.yaml)";
                switch (probe) {
                  case MISSING -> findings.report(last.location(), "the final stage has no HEALTHCHECK", hint);
                  case DISABLED -> findings.report(
                      hc.get().location(), "the final stage disables its HEALTHCHECK ('HEALTHCHECK NONE')", hint);
                  case HTTP_ONLY -> findings.report(
                      hc.get().location(),
                      "the HEALTHCHECK only checks HTTP/TCP ('" + hc.get().commandLine() + "'), not the GPU",
                      hint);
                  default -> { }
                }
              });

  /** A HEALTHCHECK of only {@code nvidia-smi} proves NVML answers, not that CUDA works. */
  public static final Rule<Dockerfile> HEALTHCHECK_NOT_ONLY_NVIDIA_SMI =
      Rule.<Dockerfile>define("dockerfile/healthcheck-not-only-nvidia-smi")
          .warning()
          .describedAs("a HEALTHCHECK should do more than run nvidia-smi")
          .because(
              "nvidia-smi talks to NVML only: it succeeds while CUDA cannot create a context, the"
                  + " device is hidden by CUDA_VISIBLE_DEVICES, or nvidia-uvm is missing.")
          .onGpuArtifactsOnly()
          .example("HEALTHCHECK CMD nvidia-smi", "HEALTHCHECK CMD [\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\"]")
          .checkedBy(
              (df, findings) -> {
                if (!DockerfileScope.of(df, findings.config()).isGpuService()) {
                  return;
                }
                Optional<Healthcheck> hc = StageView.effectiveHealthcheck(df, df.finalStage());
                if (HealthcheckProbe.of(hc, findings.config()) == HealthcheckProbe.NVIDIA_SMI_ONLY) {
                  findings.report(
                      hc.get().location(),
                      "the HEALTHCHECK only runs nvidia-smi ('" + hc.get().commandLine() + "')",
                      "run a probe that creates a CUDA context and does a tensor round trip, e.g. gpukit-probe");
                }
              });

  /** A HEALTHCHECK gpukit does not recognise as a GPU probe. */
  public static final Rule<Dockerfile> HEALTHCHECK_GPU_PROBE =
      Rule.<Dockerfile>define("dockerfile/healthcheck-gpu-probe")
          .warning()
          .describedAs("the HEALTHCHECK should run a recognised GPU probe")
          .because(
              "gpukit cannot tell whether this command touches the GPU. If it does, list it under"
                  + " gpu.probe-commands in gpukit.yaml so every layer is checked against it.")
          .onGpuArtifactsOnly()
          .example("HEALTHCHECK CMD /app/check", "HEALTHCHECK CMD [\"python3\", \"/app/smoke_test.py\"]")
          .checkedBy(
              (df, findings) -> {
                DockerfileScope scope = DockerfileScope.of(df, findings.config());
                if (!scope.isGpuService()) {
                  return;
                }
                Optional<Healthcheck> hc = StageView.effectiveHealthcheck(df, df.finalStage());
                if (HealthcheckProbe.of(hc, findings.config()) == HealthcheckProbe.UNRECOGNISED) {
                  findings.report(
                      hc.get().location(),
                      "the HEALTHCHECK '" + hc.get().commandLine() + "' is not a recognised GPU probe",
                      scope.amd()
                          ? AMD_PROBE_HINT
                          : "run gpukit-probe or a GPU smoke test, or add a pattern for this command to"
                              + " gpu.probe-commands in gpukit.yaml");
                }
              });

  /** One HEALTHCHECK per stage: only the last one counts. */
  public static final Rule<Dockerfile> SINGLE_HEALTHCHECK =
      Rule.<Dockerfile>define("dockerfile/single-healthcheck")
          .warning()
          .describedAs("a stage should have at most one HEALTHCHECK")
          .because("Docker uses only the last HEALTHCHECK of a stage; the earlier ones mislead readers.")
          .relatedTo("hadolint DL3012")
          .example("HEALTHCHECK CMD a\nHEALTHCHECK CMD b", "HEALTHCHECK CMD b")
          .checkedBy(
              (df, findings) -> {
                for (Stage stage : df.stages()) {
                  List<Healthcheck> all = stage.healthchecks();
                  for (int i = 0; i < all.size() - 1; i++) {
                    findings.report(
                        all.get(i).location(),
                        "this HEALTHCHECK is overridden by the one at line " + all.get(all.size() - 1).startLine(),
                        "delete it; keep the last HEALTHCHECK only");
                  }
                }
              });

  /**
   * Base images should be pinned to a version tag or a digest: not untagged, not a tag that moves
   * ({@code latest}, {@code latest-gpu}, {@code nightly}, {@code main}…; {@code floating-tags} in
   * gpukit.yaml adds more). A base named by an ARG without a default ({@code FROM $BASE}, set by
   * {@code --build-arg}) or with a placeholder default ({@code ARG BASE=<ubuntu>}) is not judged.
   */
  public static final Rule<Dockerfile> BASE_IMAGE_PINNED =
      Rule.<Dockerfile>define("dockerfile/base-image-pinned")
          .error()
          .describedAs("every base image should be pinned to a version tag or a digest")
          .because(
              "An untagged or 'latest' base moves under you: the CUDA, cuDNN or driver-compat version"
                  + " changes between two builds of the same commit.")
          .relatedTo("hadolint DL3006 and DL3007, Checkov CKV_DOCKER_7")
          .example("FROM nvidia/cuda:latest", "FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04")
          .checkedBy(
              (df, findings) -> {
                for (Stage stage : df.stages()) {
                  ImageReference image = stage.baseImage();
                  if (image.isScratch() || image.unresolved() || BaseImages.isPlaceholder(image)
                      || StageView.parentStage(df, stage).isPresent()) {
                    continue; // FROM $BASE with no default, or a placeholder default ('<ubuntu>'), is not 'latest'
                  }
                  if (image.digest().isPresent()) {
                    continue;
                  }
                  if (image.tag().isEmpty()) {
                    findings.report(
                        stage.from().location(),
                        "base image '" + image.resolved() + "' has no tag (it means 'latest')",
                        "pin a version, e.g. '" + image.resolved() + ":<version>' or add '@sha256:<digest>'");
                  } else if (findings.config().isFloatingTag(image.tag().get())) {
                    findings.report(
                        stage.from().location(),
                        "base image '" + image.resolved() + "' uses the floating tag '" + image.tag().get() + "'",
                        "pin a version tag or a digest instead of '" + image.tag().get() + "'");
                  }
                }
              });

  /** CUDA major.minor should be the same in the stages that build and the stage that runs. */
  public static final Rule<Dockerfile> CUDA_VERSION_CONSISTENT =
      Rule.<Dockerfile>define("dockerfile/cuda-version-consistent")
          .error()
          .describedAs("the stages that build and the stage that runs should use the same CUDA major.minor")
          .because(
              "Code built against CUDA 12.4 headers and run on a 12.1 runtime fails at load time or, worse,"
                  + " in the first kernel launch (cuDNN/CUDA drift).")
          .example(
              "FROM nvidia/cuda:12.4.1-devel-ubuntu22.04 AS build\n…\nFROM nvidia/cuda:12.1.0-runtime-ubuntu22.04",
              "FROM nvidia/cuda:12.4.1-devel-ubuntu22.04 AS build\n…\nFROM nvidia/cuda:12.4.1-runtime-ubuntu22.04")
          .onGpuArtifactsOnly()
          .checkedBy(
              (df, findings) -> {
                if (!DockerfileScope.of(df, findings.config()).gpu()) {
                  return;
                }
                Stage last = df.finalStage();
                Optional<String> runtime = BaseImages.cudaVersion(StageView.root(df, last).baseImage());
                if (runtime.isEmpty()) {
                  return;
                }
                for (Stage s : StageView.contributors(df, last)) {
                  Optional<String> built = BaseImages.cudaVersion(s.baseImage());
                  if (built.isPresent() && !built.get().equals(runtime.get())) {
                    findings.report(
                        s.from().location(),
                        "stage '" + stageName(s) + "' builds with CUDA " + built.get()
                            + " but the final stage runs CUDA " + runtime.get(),
                        "use the same CUDA major.minor in both, e.g. via a shared 'ARG CUDA_VERSION'");
                  }
                }
              });

  /** {@code COPY --from} should name an earlier stage (or an image reference). */
  public static final Rule<Dockerfile> COPY_FROM_KNOWN_STAGE =
      Rule.<Dockerfile>define("dockerfile/copy-from-known-stage")
          .error()
          .describedAs("COPY --from should name an earlier stage or an image reference")
          .because(
              "BuildKit treats an unknown '--from' name as an image to pull: a typo in a stage name"
                  + " becomes a pull of a public image, or a build failure far from the cause.")
          .relatedTo("hadolint DL3022 and DL3023")
          .example(
              "FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=buidl /app /app",
              "FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /app /app")
          .checkedBy(
              (df, findings) -> {
                for (CopyFromEdge edge : df.copyFromGraph()) {
                  String from = edge.from();
                  Optional<Stage> named = edge.fromStage();
                  if (named.isPresent()) {
                    if (named.get().index() >= edge.to().index()) {
                      findings.report(
                          edge.location(),
                          "COPY --from='" + from + "' names "
                              + (named.get().index() == edge.to().index() ? "its own stage" : "a later stage"),
                          "copy only from a stage defined before this one");
                    }
                    continue;
                  }
                  Optional<Stage> anyStage = df.stage(from);
                  if (anyStage.isPresent()) {
                    findings.report(
                        edge.location(),
                        "COPY --from='" + from + "' names "
                            + (anyStage.get().index() == edge.to().index() ? "its own stage" : "a later stage"),
                        "copy only from a stage defined before this one");
                  } else if (looksLikeStageName(from)) {
                    findings.report(
                        edge.location(),
                        "COPY --from='" + from + "' names no earlier stage" + closest(df, from, edge.to()),
                        "name an earlier stage ('FROM … AS " + from + "'), or use a full image reference"
                            + " with a tag ('registry/image:tag')");
                  }
                }
              });

  /** Stage names should be unique. */
  public static final Rule<Dockerfile> UNIQUE_STAGE_NAMES =
      Rule.<Dockerfile>define("dockerfile/unique-stage-names")
          .error()
          .describedAs("stage names should be unique")
          .because("COPY --from and --target resolve a duplicated name to one of the stages, silently.")
          .relatedTo("hadolint DL3024, BuildKit DuplicateStageName")
          .example("FROM a:1 AS build\nFROM b:1 AS build", "FROM a:1 AS build\nFROM b:1 AS build-tests")
          .checkedBy(
              (df, findings) -> {
                Map<String, Stage> seen = new HashMap<>();
                for (Stage stage : df.stages()) {
                  if (stage.name().isEmpty()) {
                    continue;
                  }
                  String key = stage.name().get().toLowerCase(Locale.ROOT);
                  Stage first = seen.putIfAbsent(key, stage);
                  if (first != null) {
                    findings.report(
                        stage.from().location(),
                        "stage name '" + stage.name().get() + "' is already used at line " + first.from().startLine(),
                        "rename one of the stages");
                  }
                }
              });

  /** CMD, ENTRYPOINT and HEALTHCHECK in the final stage should use the exec (JSON) form. */
  public static final Rule<Dockerfile> EXEC_FORM =
      Rule.<Dockerfile>define("dockerfile/exec-form")
          .warning()
          .describedAs("CMD, ENTRYPOINT and HEALTHCHECK should use the exec (JSON) form")
          .because(
              "The shell form runs under /bin/sh -c: the service does not get SIGTERM (no graceful"
                  + " drain of in-flight GPU work) and the image needs a shell.")
          .relatedTo("hadolint DL3025, BuildKit JSONArgsRecommended")
          .example("CMD java -jar /app/service.jar", "CMD [\"java\", \"-jar\", \"/app/service.jar\"]")
          .checkedBy(
              (df, findings) -> {
                Set<Integer> shipped = new java.util.HashSet<>();
                StageView.lineage(df, df.finalStage()).forEach(s -> shipped.add(s.index()));
                for (Stage stage : df.stages()) {
                  if (!shipped.contains(stage.index())) {
                    continue;
                  }
                  for (Instruction ins : stage.instructions()) {
                    boolean candidate =
                        ins instanceof Cmd
                            || ins instanceof Entrypoint
                            || (ins instanceof Healthcheck hc && !hc.isNone());
                    if (candidate && shellForm(ins)) {
                      findings.report(
                          ins.location(),
                          ins.keyword() + " uses the shell form",
                          "write it as a JSON array, e.g. " + ins.keyword()
                              + (ins instanceof Healthcheck ? " CMD" : "") + " [\"executable\", \"arg\"]");
                    }
                  }
                }
              });

  /** Every Dockerfile rule, in a stable order. */
  public static final List<Rule<Dockerfile>> ALL =
      List.of(
          MULTI_STAGE,
          FINAL_STAGE_NOT_TOOLCHAIN,
          FINAL_STAGE_FULL_JDK,
          FINAL_STAGE_NON_ROOT,
          NUMERIC_USER,
          FINAL_STAGE_HEALTHCHECK,
          HEALTHCHECK_NOT_ONLY_NVIDIA_SMI,
          HEALTHCHECK_GPU_PROBE,
          SINGLE_HEALTHCHECK,
          BASE_IMAGE_PINNED,
          CUDA_VERSION_CONSISTENT,
          COPY_FROM_KNOWN_STAGE,
          UNIQUE_STAGE_NAMES,
          EXEC_FORM);

  private static boolean shellForm(Instruction ins) {
    if (ins instanceof Healthcheck hc) {
      return hc.commandForm() == Form.SHELL;
    }
    return ins.form() == Form.SHELL;
  }

  private static String stageName(Stage s) {
    return s.name().orElse(String.valueOf(s.index()));
  }

  private static boolean looksLikeStageName(String from) {
    return !from.contains("/") && !from.contains(":") && !from.contains("@") && !from.contains(".")
        && !from.contains("$");
  }

  private static String closest(Dockerfile df, String from, Stage to) {
    List<String> names = new ArrayList<>();
    for (Stage s : df.stages()) {
      if (s.index() < to.index()) {
        s.name().ifPresent(names::add);
      }
    }
    return EditDistance.closest(from, names, 2).map(n -> " (did you mean '" + n + "'?)").orElse("");
  }

  private static String runtimeHint(ImageReference image) {
    if (BaseImages.isCuda(image)) {
      return "build in the -devel image, then 'FROM " + image.repositoryWithRegistry() + ":<version>-runtime-<os>'"
          + " and COPY --from the build stage";
    }
    return "build in this image, then copy the artifacts into a runtime image (a JRE, distroless or a CUDA -runtime image)";
  }
}
