package io.gpukit.core.workflow;

import io.gpukit.core.policy.GpuEvidence;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a job does with GPUs and images, shared by {@link WorkflowRules} and the assertions so both
 * judge the same way.
 *
 * <ul>
 *   <li>A job <em>uses a GPU</em> when a step, its {@code env}, its container or a service shows it.
 *       Evidence is {@linkplain Evidence#strength() strong} ({@code docker run --gpus}, {@code
 *       --runtime nvidia}, {@code --device nvidia.com/gpu}, {@code /dev/kfd}, {@code nvidia-smi},
 *       {@code rocm-smi}, {@code CUDA_VISIBLE_DEVICES=0}, {@code --gpu-memory-utilization}, the gpu
 *       test group, the gpukit probe or a command under {@code gpu.probe-commands}, a CUDA or ROCm
 *       runtime image as the job container) or weak (a test or script that is GPU by its name
 *       only, a guarded {@code nvidia-smi}, a CUDA development image). Weak evidence never makes a
 *       job on a GitHub-hosted runner wrong; it counts where the runner is a GPU runner.
 *   <li>A step whose {@code if:} rules out a run of a matrix ({@code if: matrix.gpu}) does not count
 *       on that run; a condition gpukit cannot decide ({@code github.*}, {@code success()}) leaves
 *       the step counting.
 *   <li>A job <em>builds an image</em> with {@code docker build}, {@code docker buildx build|bake},
 *       {@code docker compose build}, {@code podman}/{@code nerdctl}/{@code buildah}, kaniko, Jib,
 *       {@code spring-boot:build-image}, or an action such as {@code docker/build-push-action}.
 *   <li>A job <em>pushes an image</em> with {@code docker push} (or podman's, nerdctl's, buildah's),
 *       {@code docker buildx build|bake --push}, {@code docker compose push}, {@code ctr images
 *       push}, {@code crane push/copy}, {@code skopeo copy}, {@code regctl image copy}, {@code
 *       jib:build}, or {@code docker/build-push-action} with {@code push} not {@code false}.
 * </ul>
 *
 * @since 0.1.0
 */
public final class JobTraits {

  /** What a set of runner labels says about the machine. */
  public enum RunnerKind {
    /** A label (or the runner group) says GPU, per {@link GpuKitConfig#isGpuRunnerLabel}. */
    GPU,
    /** A GitHub-hosted image label ({@code ubuntu-*}, {@code windows-*}, {@code macos-*}): no GPU. */
    GITHUB_HOSTED,
    /** Labels that say nothing about a GPU, such as a bare {@code self-hosted}. */
    UNLABELLED,
    /** An expression gpukit could not resolve, or a runner group whose name does not say GPU: it cannot tell. */
    UNKNOWN
  }

  /**
   * Where and how a job does something.
   *
   * @param text the command, option or action that shows it
   * @param location the step or container where it is written
   * @param strength whether it shows GPU use on its own ({@code STRONG}) or only hints at it ({@code
   *     WEAK}: a test that is GPU by its name); always {@code STRONG} for images built or pushed
   */
  public record Evidence(String text, SourceLocation location, GpuEvidence.Strength strength) {
    /** Validates the fields. */
    public Evidence {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(strength, "strength");
    }

    /** Strong evidence. */
    public Evidence(String text, SourceLocation location) {
      this(text, location, GpuEvidence.Strength.STRONG);
    }

    /** Whether it shows GPU use on its own. */
    public boolean isStrong() {
      return strength == GpuEvidence.Strength.STRONG;
    }
  }

  /**
   * One run of a job as the rules judge it: its runner and the GPU evidence that counts on it.
   *
   * @param labels the runner labels of this run
   * @param group the runner group of this run, if any
   * @param kind what the runner is
   * @param strong the first strong evidence of GPU use that counts on this run
   * @param weak the first weak evidence that counts on this run
   * @param amd whether what this run shows is AMD's (ROCm) rather than NVIDIA's
   */
  record Run(
      List<String> labels, Optional<String> group, RunnerKind kind, Optional<Evidence> strong,
      Optional<Evidence> weak, boolean amd) {

    /** The strongest evidence: strong, else weak. */
    Optional<Evidence> evidence() {
      return strong.or(() -> weak);
    }

    /** The runner as messages show it: the labels, with the group when there is one. */
    String runner() {
      return group.map(g -> "group '" + g + "'" + (labels.isEmpty() ? "" : " " + labels)).orElse(labels.toString());
    }
  }

  private static final Pattern HOSTED = Pattern.compile("(?i)(ubuntu|windows|macos)-[\\w.-]+");

  /** Runner labels that name AMD's GPUs (a subset of the default GPU runner labels). */
  private static final Pattern AMD_LABEL = GpuKitConfig.AMD_GPU_RUNNER_LABEL;

  private static final Pattern BUILD_RUN =
      Pattern.compile(
          "(?i)\\b(docker|podman|nerdctl)\\s+(image\\s+)?build\\b|\\bdocker\\s+buildx\\s+(build|bake)\\b"
              + "|\\bdocker(\\s+|-)compose\\b[^\\n]*\\sbuild\\b|\\bbuildah\\s+(bud|build)\\b|/kaniko/executor\\b"
              + "|\\b(mvnw?|gradlew?)\\b[^\\n]*\\b(jib\\w*|jib:\\w+|spring-boot:build-image|bootBuildImage)\\b");
  private static final List<String> BUILD_ACTIONS =
      List.of("docker/build-push-action", "docker/bake-action", "redhat-actions/buildah-build");

  private static final Pattern PUSH_RUN =
      Pattern.compile(
          "(?i)\\b(docker|podman|nerdctl|buildah)\\s+(image\\s+)?push\\b|\\bdocker\\s+buildx\\s+(build|bake)\\b[^\\n]*\\s--push\\b"
              + "|\\bdocker(\\s+|-)compose\\b[^\\n]*\\s(push\\b|build\\b[^\\n]*\\s--push\\b)"
              + "|\\bctr\\s+(-n\\s+\\S+\\s+)?(images?|i)\\s+push\\b"
              + "|\\bcrane\\s+(push|copy|cp)\\b|\\bskopeo\\s+copy\\b|\\bregctl\\s+image\\s+copy\\b"
              + "|\\b(mvnw?|gradlew?)\\b[^\\n]*\\bjib(:build)?(\\s|$)");
  private static final List<String> PUSH_ACTIONS =
      List.of("docker/build-push-action", "docker/bake-action", "redhat-actions/push-to-registry");

  private JobTraits() {}

  /**
   * The place a job shows best that it uses a GPU on some run: its first strong evidence, else its
   * first weak evidence; empty when it shows none.
   */
  public static Optional<Evidence> gpuUse(Job job, GpuKitConfig config) {
    List<JobLegs.Leg> legs = JobLegs.of(job);
    List<GpuUse.Found> counted = GpuUse.in(job, config).stream()
        .filter(f -> legs.isEmpty() || legs.stream().anyMatch(leg -> counts(f, leg)))
        .toList();
    return best(counted, Optional.empty());
  }

  /** Whether a job shows GPU use on some run, strongly or weakly. */
  public static boolean usesGpu(Job job, GpuKitConfig config) {
    return gpuUse(job, config).isPresent();
  }

  /**
   * Whether what a job shows is AMD's: its runner labels or group say AMD (ROCm, MI300X…), or its
   * evidence does ({@code rocm-smi}, {@code /dev/kfd}, a ROCm image), and nothing of it is NVIDIA's.
   */
  public static boolean isAmd(Job job, GpuKitConfig config) {
    List<Run> runs = runs(job, config);
    return !runs.isEmpty() && runs.stream().allMatch(Run::amd);
  }

  /** The runs of a job as the rules judge them, one per matrix combination; empty for a reusable workflow call. */
  static List<Run> runs(Job job, GpuKitConfig config) {
    List<GpuUse.Found> found = GpuUse.in(job, config);
    boolean nvidia = found.stream().anyMatch(f -> f.vendor() == GpuUse.Vendor.NVIDIA);
    boolean amdUse = found.stream().anyMatch(f -> f.vendor() == GpuUse.Vendor.AMD);
    List<Run> out = new ArrayList<>();
    for (JobLegs.Leg leg : JobLegs.of(job)) {
      List<GpuUse.Found> counted = found.stream().filter(f -> counts(f, leg)).toList();
      RunnerKind kind = runnerKind(leg.labels(), leg.group(), config);
      boolean amdRunner = kind == RunnerKind.GPU && (leg.group().filter(g -> AMD_LABEL.matcher(g).matches()).isPresent()
          || leg.labels().stream().anyMatch(l -> AMD_LABEL.matcher(l.strip()).matches()));
      boolean nvidiaRunner = kind == RunnerKind.GPU && !amdRunner;
      boolean amd = !nvidia && (amdRunner || amdUse && !nvidiaRunner);
      out.add(new Run(leg.labels(), leg.group(), kind, best(counted, Optional.of(GpuEvidence.Strength.STRONG)),
          best(counted, Optional.of(GpuEvidence.Strength.WEAK)), amd));
    }
    return List.copyOf(out);
  }

  /** Whether a piece of evidence counts on a run: its step's {@code if:} does not rule the run out. */
  private static boolean counts(GpuUse.Found f, JobLegs.Leg leg) {
    return f.step().flatMap(Step::condition)
        .map(c -> GithubExpression.truth(c, leg.matrix()) != GithubExpression.Truth.FALSE)
        .orElse(true);
  }

  private static Optional<Evidence> best(List<GpuUse.Found> found, Optional<GpuEvidence.Strength> only) {
    return found.stream()
        .filter(f -> only.map(s -> f.strength() == s).orElse(true))
        .sorted(Comparator.comparing((GpuUse.Found f) -> !f.isStrong()))
        .findFirst()
        .map(f -> new Evidence(f.text(), f.location(), f.strength()));
  }

  /** The first step that builds an image, if any. */
  public static Optional<Step> buildStep(Job job) {
    return job.steps().stream().filter(JobTraits::isBuildStep).findFirst();
  }

  /** Whether a step builds an image ({@code docker build}, buildx, bake, buildah, kaniko, Jib, a build action). */
  public static boolean isBuildStep(Step step) {
    return step.action().map(BUILD_ACTIONS::contains).orElse(false)
        || step.run().map(r -> BUILD_RUN.matcher(joined(r)).find()).orElse(false);
  }

  /** Whether a job builds an image. */
  public static boolean buildsImage(Job job) {
    return buildStep(job).isPresent();
  }

  /** The steps that push an image, in order. */
  public static List<Step> pushSteps(Job job) {
    List<Step> out = new ArrayList<>();
    for (Step step : job.steps()) {
      boolean action = step.action().map(PUSH_ACTIONS::contains).orElse(false)
          && (step.action().get().equals("redhat-actions/push-to-registry")
              || !step.input("push").orElse("false").strip().equalsIgnoreCase("false"));
      if (action || step.run().map(r -> PUSH_RUN.matcher(joined(r)).find()).orElse(false)) {
        out.add(step);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Whether container flags attach a GPU: {@code --gpus} (not {@code --gpus 0}), {@code
   * --runtime=nvidia}, {@code --device nvidia.com/gpu} or AMD's {@code --device /dev/kfd}.
   */
  public static boolean attachesGpu(String flags) {
    return GpuUse.attachesGpu(flags);
  }

  /** Whether a job pushes an image. */
  public static boolean pushesImage(Job job) {
    return !pushSteps(job).isEmpty();
  }

  private static final Pattern RUNS_CONTAINER =
      Pattern.compile("\\b(docker|podman|nerdctl)\\s+(container\\s+)?(run|create|pull)\\b"
          + "|\\bdocker[- ]compose\\b[^\\n]*\\b(up|run)\\b");
  private static final Pattern TAG_OPTION = Pattern.compile("(?:^|\\s)(?:-t|--tag)(?:=|\\s+)[\"']?([^\\s\"']+)");

  /**
   * The image repositories the build steps of some jobs tag, as written ({@code $IMAGE}, {@code
   * ghcr.io/acme/llm}); empty when one of them cannot be told (a tag taken from another step's
   * output), which means "any image".
   */
  static Optional<List<String>> builtRepositories(List<Job> builders) {
    List<String> out = new ArrayList<>();
    for (Job job : builders) {
      for (Step step : job.steps()) {
        List<String> tags = new ArrayList<>();
        if (step.action().map(BUILD_ACTIONS::contains).orElse(false)) {
          step.input("tags").ifPresent(t -> tags.addAll(List.of(t.split("[,\\n]"))));
        } else if (step.run().map(r -> BUILD_RUN.matcher(joined(r)).find()).orElse(false)) {
          var m = TAG_OPTION.matcher(joined(step.run().get()));
          while (m.find()) {
            tags.add(m.group(1));
          }
        }
        for (String tag : tags) {
          String t = tag.strip();
          if (t.isEmpty()) {
            continue;
          }
          if (t.startsWith("${{")) {
            return Optional.empty();
          }
          out.add(ImagePush.repositoryOf(t));
        }
      }
    }
    return Optional.of(List.copyOf(out));
  }

  /**
   * Whether a job runs a container of one of these repositories ({@code docker run}, {@code pull},
   * {@code compose up}, its job container): it tests the image, not the source tree. Empty {@code
   * repositories} means any image counts.
   */
  static boolean runsImage(Job job, Optional<List<String>> repositories) {
    Predicate<String> names = text -> repositories.isEmpty()
        || repositories.get().isEmpty() || repositories.get().stream().anyMatch(text::contains);
    if (job.container().isPresent() && names.test(job.container().get().image())) {
      return true;
    }
    for (Step step : job.steps()) {
      if (step.run().isEmpty()) {
        continue;
      }
      for (String line : joined(step.run().get()).split("\\R")) {
        if (RUNS_CONTAINER.matcher(line).find() && names.test(line)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * What one set of runner labels (and the runner group, if any) says. A runner group is a fixed
   * pool: it is a GPU runner when its name or a label says GPU, else gpukit cannot tell ({@code
   * UNKNOWN}), whatever its labels.
   */
  public static RunnerKind runnerKind(List<String> labels, Optional<String> group, GpuKitConfig config) {
    boolean gpu = group.filter(g -> !RunsOn.isExpression(g)).map(g -> config.isGpuRunnerLabel(g.strip())).orElse(false)
        || labels.stream().anyMatch(l -> !RunsOn.isExpression(l) && config.isGpuRunnerLabel(l.strip()));
    if (gpu) {
      return RunnerKind.GPU;
    }
    if (group.filter(g -> !g.isBlank()).isPresent()) {
      return RunnerKind.UNKNOWN;
    }
    if (labels.stream().anyMatch(l -> HOSTED.matcher(l.strip()).matches())) {
      return RunnerKind.GITHUB_HOSTED;
    }
    if (labels.stream().anyMatch(RunsOn::isExpression)) {
      return RunnerKind.UNKNOWN;
    }
    return RunnerKind.UNLABELLED;
  }

  /** What every set of labels a job may run on says, in the order of {@link Job#runnerLabelSets()}. */
  public static List<RunnerKind> runnerKinds(Job job, GpuKitConfig config) {
    Optional<String> group = job.runsOn()
        .filter(RunsOn.Group.class::isInstance)
        .flatMap(r -> ((RunsOn.Group) r).group());
    return job.runnerLabelSets().stream().map(set -> runnerKind(set, group, config)).toList();
  }

  /**
   * Whether a job tests on a GPU runner: some run of it shows GPU use (strongly or weakly) and gets
   * a runner that is not GitHub-hosted. A bare {@code self-hosted} runner counts (it is warned about
   * separately), and so does the GPU leg of a matrix whose other leg is GitHub-hosted (that leg is an
   * error). The lenient reading, for rules that fire when no such job exists.
   */
  public static boolean testsOnGpuRunner(Job job, GpuKitConfig config) {
    return runs(job, config).stream().anyMatch(r -> r.evidence().isPresent() && r.kind() != RunnerKind.GITHUB_HOSTED);
  }

  /**
   * Whether a job surely tests on a GPU runner: some run shows GPU use on a GPU runner, or shows it
   * strongly on a runner that is not GitHub-hosted. The strict reading, for rules that fire when
   * such a job exists.
   */
  public static boolean surelyTestsOnGpuRunner(Job job, GpuKitConfig config) {
    return runs(job, config).stream().anyMatch(r ->
        r.kind() == RunnerKind.GPU && r.evidence().isPresent()
            || r.kind() != RunnerKind.GITHUB_HOSTED && r.strong().isPresent());
  }

  /** A run script with its line continuations joined, so a command split over lines reads as one. */
  static String joined(String run) {
    return run.replaceAll("\\\\\\r?\\n", " ");
  }

  /** A label's lower-case form, for comparisons. */
  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
