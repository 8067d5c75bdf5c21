package io.gpukit.core.workflow;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a job does with GPUs and images, shared by {@link WorkflowRules} and the assertions so both
 * judge the same way.
 *
 * <ul>
 *   <li>A job <em>uses a GPU</em> when a step runs {@code docker run --gpus}, {@code --runtime
 *       nvidia}, {@code --device nvidia.com/gpu}, {@code nvidia-smi}, a GPU probe ({@link
 *       GpuKitConfig#isGpuProbeCommand}), or a Maven/Gradle run of the {@code gpu} test group
 *       ({@code -Dgroups=gpu}, {@code -Pgpu}, {@code --tests} naming GPU tests, {@code
 *       gpukit.gpu.required}); or when its {@code container.options} ask for a GPU.
 *   <li>A job <em>builds an image</em> with {@code docker build}, {@code docker buildx build},
 *       {@code podman}/{@code buildah}, Jib, {@code spring-boot:build-image}, or an action such as
 *       {@code docker/build-push-action}.
 *   <li>A job <em>pushes an image</em> with {@code docker push}, {@code docker buildx build
 *       --push}, {@code crane push/copy}, {@code skopeo copy}, {@code jib:build}, or {@code
 *       docker/build-push-action} with {@code push} not {@code false}.
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
    /** An expression gpukit could not resolve: it cannot tell. */
    UNKNOWN
  }

  /**
   * Where and how a job does something.
   *
   * @param text the command, option or action that shows it
   * @param location the step or container where it is written
   */
  public record Evidence(String text, SourceLocation location) {
    /** Validates the fields. */
    public Evidence {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(location, "location");
    }
  }

  private static final Pattern HOSTED = Pattern.compile("(?i)(ubuntu|windows|macos)-[\\w.-]+");

  private static final List<Pattern> GPU_USE =
      List.of(
          Pattern.compile("--gpus(=|\\s)\\S+"),
          Pattern.compile("--runtime(=|\\s+)[\"']?nvidia\\b"),
          Pattern.compile("--device(=|\\s+)[\"']?nvidia\\.com/gpu\\S*"),
          Pattern.compile("(?<![\\w-])nvidia-smi\\b"),
          Pattern.compile("-Dgroups=[\"']?([^\\s\"']*[,|&(])?gpu\\b"),
          Pattern.compile("(?<![\\w-])-P\\s*([\\w.-]+,)*gpu\\b"),
          Pattern.compile("(?i)--tests\\s+[\"']?[^\\s\"']*gpu[^\\s\"']*"),
          Pattern.compile("gpukit\\.gpu\\.required\\S*"));

  private static final Pattern BUILD_RUN =
      Pattern.compile(
          "(?i)\\b(docker|podman)\\s+(image\\s+)?build\\b|\\bdocker\\s+buildx\\s+(build|bake)\\b"
              + "|\\bdocker\\s+compose\\s+build\\b|\\bbuildah\\s+(bud|build)\\b|/kaniko/executor\\b"
              + "|\\b(mvnw?|gradlew?)\\b[^\\n]*\\b(jib\\w*|jib:\\w+|spring-boot:build-image|bootBuildImage)\\b");
  private static final List<String> BUILD_ACTIONS =
      List.of("docker/build-push-action", "docker/bake-action", "redhat-actions/buildah-build");

  private static final Pattern PUSH_RUN =
      Pattern.compile(
          "(?i)\\b(docker|podman)\\s+(image\\s+)?push\\b|\\bdocker\\s+buildx\\s+(build|bake)\\b[^\\n]*\\s--push\\b"
              + "|\\bcrane\\s+(push|copy|cp)\\b|\\bskopeo\\s+copy\\b|\\bregctl\\s+image\\s+copy\\b"
              + "|\\b(mvnw?|gradlew?)\\b[^\\n]*\\bjib(:build)?(\\s|$)");
  private static final List<String> PUSH_ACTIONS =
      List.of("docker/build-push-action", "docker/bake-action", "redhat-actions/push-to-registry");

  private JobTraits() {}

  /** The first place a job uses a GPU, if it does. */
  public static Optional<Evidence> gpuUse(Job job, GpuKitConfig config) {
    Optional<Container> container = job.container();
    if (container.isPresent() && container.get().options().isPresent()) {
      Optional<String> found = findGpuUse(container.get().options().get(), config);
      if (found.isPresent()) {
        return Optional.of(new Evidence("container options '" + found.get() + "'", container.get().location()));
      }
    }
    for (Step step : job.steps()) {
      if (step.run().isPresent()) {
        Optional<String> found = findGpuUse(commandsOnly(joined(step.run().get())), config);
        if (found.isPresent()) {
          return Optional.of(new Evidence("'" + found.get() + "'", step.location()));
        }
      }
    }
    return Optional.empty();
  }

  /** Whether a job uses a GPU. */
  public static boolean usesGpu(Job job, GpuKitConfig config) {
    return gpuUse(job, config).isPresent();
  }

  private static Optional<String> findGpuUse(String text, GpuKitConfig config) {
    for (Pattern p : GPU_USE) {
      var m = p.matcher(text);
      if (m.find()) {
        return Optional.of(m.group().strip().replaceAll("[\"']", ""));
      }
    }
    for (String line : text.lines().toList()) {
      if (config.isGpuProbeCommand(line)) {
        return Optional.of(line.strip());
      }
    }
    return Optional.empty();
  }

  /** The first step that builds an image, if any. */
  public static Optional<Step> buildStep(Job job) {
    for (Step step : job.steps()) {
      if (step.action().map(BUILD_ACTIONS::contains).orElse(false)
          || step.run().map(r -> BUILD_RUN.matcher(joined(r)).find()).orElse(false)) {
        return Optional.of(step);
      }
    }
    return Optional.empty();
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

  /** Whether a job pushes an image. */
  public static boolean pushesImage(Job job) {
    return !pushSteps(job).isEmpty();
  }

  /** What one set of runner labels (and the runner group, if any) says. */
  public static RunnerKind runnerKind(List<String> labels, Optional<String> group, GpuKitConfig config) {
    boolean gpu = group.filter(g -> !RunsOn.isExpression(g)).map(config::isGpuRunnerLabel).orElse(false)
        || labels.stream().anyMatch(l -> !RunsOn.isExpression(l) && config.isGpuRunnerLabel(l.strip()));
    if (gpu) {
      return RunnerKind.GPU;
    }
    if (labels.stream().anyMatch(l -> HOSTED.matcher(l.strip()).matches())) {
      return RunnerKind.GITHUB_HOSTED;
    }
    if (labels.stream().anyMatch(RunsOn::isExpression) || group.filter(RunsOn::isExpression).isPresent()) {
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
   * Whether a job tests on a GPU runner: it uses a GPU and some run of it gets a runner that is not
   * GitHub-hosted. A bare {@code self-hosted} runner counts (it is warned about separately), and
   * so does the GPU leg of a matrix whose other leg is GitHub-hosted (that leg is an error).
   */
  public static boolean testsOnGpuRunner(Job job, GpuKitConfig config) {
    return job.runsOn().isPresent()
        && usesGpu(job, config)
        && runnerKinds(job, config).stream().anyMatch(k -> k != RunnerKind.GITHUB_HOSTED);
  }

  /** The script without comment lines and lines that only print text ({@code echo}, {@code printf}). */
  private static String commandsOnly(String run) {
    StringBuilder sb = new StringBuilder();
    for (String line : run.lines().toList()) {
      String t = line.strip();
      if (!t.startsWith("#") && !t.startsWith("echo ") && !t.startsWith("printf ")) {
        sb.append(line).append('\n');
      }
    }
    return sb.toString();
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
