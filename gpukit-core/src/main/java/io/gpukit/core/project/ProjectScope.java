package io.gpukit.core.project;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.DockerfileScope;
import io.gpukit.core.k8s.Container;
import io.gpukit.core.k8s.ContainerImage;
import io.gpukit.core.k8s.GpuContainers;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.Workload;
import io.gpukit.core.policy.GpuEvidence;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.workflow.Job;
import io.gpukit.core.workflow.JobTraits;
import io.gpukit.core.workflow.Step;
import io.gpukit.core.workflow.Workflow;
import io.gpukit.core.workflow.WorkflowKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GPU evidence only the project view sees: a Dockerfile is GPU, whatever its base image, when a
 * GPU Deployment (or any GPU workload) runs the image a workflow builds from it, or when a GPU CI
 * job builds it and uses a GPU. Found before the per-file rules run, and handed to them through
 * {@link GpuKitConfig#withGpuFiles}.
 */
final class ProjectScope {

  /** {@code docker build … -f PATH} / {@code --file PATH} / {@code --file=PATH}. */
  private static final Pattern FILE_OPTION = Pattern.compile("(?:^|\\s)(?:-f|--file)(?:=|\\s+)[\"']?([^\\s\"']+)");
  private static final Pattern BUILD = Pattern.compile("\\b(docker|podman)\\s+(buildx\\s+)?(image\\s+)?build\\b");
  private static final List<String> BUILD_ACTIONS = List.of("docker/build-push-action", "redhat-actions/buildah-build");

  private ProjectScope() {}

  /**
   * The configuration with the GPU scope other files show: the Dockerfiles a GPU workload runs or a
   * GPU CI job builds ({@link #gpuDockerfiles}), then the workflows that build a GPU image and those
   * that build only images that are not GPU ({@link #workflowScopes}).
   */
  static GpuKitConfig scoped(
      GpuKitConfig config, List<Dockerfile> dockerfiles, List<Workflow> workflows, List<Manifests> manifests) {
    GpuKitConfig withImages = config.withGpuFiles(gpuDockerfiles(dockerfiles, workflows, manifests, config));
    WorkflowScopes scopes = workflowScopes(dockerfiles, workflows, withImages);
    Map<String, String> gpuFiles = new LinkedHashMap<>(withImages.gpuFiles());
    gpuFiles.putAll(scopes.gpu());
    return withImages.withGpuFiles(gpuFiles).withNotGpuFiles(scopes.notGpu());
  }

  /**
   * The Dockerfiles that other files show to be GPU, as paths relative to the configuration's root,
   * with why. Only Dockerfiles the project has are named.
   */
  static Map<String, String> gpuDockerfiles(
      List<Dockerfile> dockerfiles, List<Workflow> workflows, List<Manifests> manifests,
      GpuKitConfig config) {
    Map<String, Path> known = new LinkedHashMap<>();
    dockerfiles.forEach(d -> known.put(config.relativize(d.path()), d.path()));
    Map<String, String> found = new LinkedHashMap<>();
    if (known.isEmpty() || workflows.isEmpty()) {
      return found;
    }
    Map<String, String> gpuRepositories = gpuRepositories(manifests, config);
    Map<Step, List<PushedImage>> pushedBy = new IdentityHashMap<>();
    PushedImage.of(workflows).forEach(p -> pushedBy.computeIfAbsent(p.step(), k -> new ArrayList<>()).add(p));
    for (Workflow workflow : workflows) {
      for (Job job : workflow.jobs()) {
        for (Step step : job.steps()) {
          Optional<String> file = dockerfileOf(step);
          if (file.isEmpty() || !known.containsKey(file.get())) {
            continue;
          }
          String where = config.relativize(step.location().file()) + ":" + step.location().line();
          if (JobTraits.surelyTestsOnGpuRunner(job, config)) {
            found.putIfAbsent(file.get(), "GPU CI job '" + job.id() + "' builds it (" + where + ") and uses a GPU");
            continue;
          }
          for (PushedImage image : pushedBy.getOrDefault(step, List.of())) {
            for (String ref : image.expansions()) {
              String why = gpuRepositories.get(PushedImage.normalise(ContainerImage.parse(ref).repositoryWithRegistry()));
              if (why != null) {
                found.putIfAbsent(file.get(), why + " runs the image built from it (" + where + ")");
              }
            }
          }
        }
      }
    }
    return found;
  }

  /**
   * What the Dockerfiles a workflow builds say of it, relative paths to why: {@code gpu}, the
   * workflows that build a GPU image (so {@code workflow/gpu-test-job} judges them even when none of
   * their jobs shows a GPU); {@code notGpu}, those that build only images that are not GPU (every
   * build step names a Dockerfile of the project, none GPU) and show no GPU evidence of their own: a
   * docs or database image needs no GPU test.
   */
  record WorkflowScopes(Map<String, String> gpu, Map<String, String> notGpu) {}

  static WorkflowScopes workflowScopes(List<Dockerfile> dockerfiles, List<Workflow> workflows, GpuKitConfig config) {
    Map<String, Dockerfile> known = new LinkedHashMap<>();
    dockerfiles.forEach(d -> known.put(config.relativize(d.path()), d));
    Map<String, String> gpu = new LinkedHashMap<>();
    Map<String, String> notGpu = new LinkedHashMap<>();
    for (Workflow workflow : workflows) {
      Set<String> built = new LinkedHashSet<>();
      boolean unknown = false;
      for (Job job : workflow.jobs()) {
        for (Step step : job.steps()) {
          if (!JobTraits.isBuildStep(step)) {
            continue;
          }
          Optional<String> file = dockerfileOf(step);
          unknown |= file.isEmpty() || !known.containsKey(file.get());
          file.filter(known::containsKey).ifPresent(built::add);
        }
      }
      String path = config.relativize(workflow.path());
      List<String> gpuImages = built.stream().filter(f -> DockerfileScope.of(known.get(f), config).isGpuService()).toList();
      if (!gpuImages.isEmpty()) {
        gpu.put(path, "it builds the GPU image of " + String.join(", ", gpuImages));
      } else if (!unknown && !built.isEmpty()
          && built.stream().noneMatch(f -> DockerfileScope.of(known.get(f), config).gpu())
          && WorkflowKind.INSTANCE.gpuEvidence(workflow, config).stream().noneMatch(GpuEvidence::isStrong)) {
        notGpu.put(path, "it builds only images that are not GPU: " + String.join(", ", built));
      }
    }
    return new WorkflowScopes(gpu, notGpu);
  }

  /** The image repositories GPU containers run, normalised, to the first container that runs each. */
  private static Map<String, String> gpuRepositories(List<Manifests> manifests, GpuKitConfig config) {
    Map<String, String> out = new LinkedHashMap<>();
    GpuContainers gpu = GpuContainers.across(manifests.stream().flatMap(m -> m.resources().stream()).toList(), config);
    for (Manifests m : manifests) {
      for (Workload w : m.workloads()) {
        for (Container c : gpu.of(w)) {
          out.putIfAbsent(
              PushedImage.normalise(c.image().repositoryWithRegistry()),
              "GPU " + w.displayName() + " (" + config.relativize(m.path()) + ")");
        }
      }
    }
    return out;
  }

  /** The Dockerfile a build step builds, relative to the root, when the step says. */
  static Optional<String> dockerfileOf(Step step) {
    if (step.action().map(a -> BUILD_ACTIONS.stream().anyMatch(a::startsWith)).orElse(false)) {
      Optional<String> file = step.input("file").or(() -> step.input("dockerfile")).or(() -> step.input("containerfiles"));
      String context = step.input("context").orElse(".").strip();
      String path = file.map(String::strip).orElse(joined(context, "Dockerfile"));
      return normalise(path);
    }
    if (step.run().isEmpty()) {
      return Optional.empty();
    }
    for (String line : step.run().get().replaceAll("\\\\\\r?\\n", " ").split("\\R|&&|;")) {
      if (!BUILD.matcher(line).find()) {
        continue;
      }
      Matcher file = FILE_OPTION.matcher(line);
      if (file.find()) {
        return normalise(file.group(1));
      }
      String[] words = line.strip().split("\\s+");
      String context = words[words.length - 1];
      return context.startsWith("-") || context.contains("$") ? Optional.empty() : normalise(joined(context, "Dockerfile"));
    }
    return Optional.empty();
  }

  private static String joined(String folder, String name) {
    String f = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
    return f.isEmpty() || f.equals(".") ? name : f + "/" + name;
  }

  private static Optional<String> normalise(String path) {
    if (path.contains("${{") || path.contains("$")) {
      return Optional.empty();
    }
    String p = Path.of(path).normalize().toString().replace('\\', '/');
    return p.startsWith("../") ? Optional.empty() : Optional.of(p);
  }
}
