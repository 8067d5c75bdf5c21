package io.gpukit.junit;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.testcontainers.DockerClientFactory;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What detection found for a {@link GpuContainerTest} class, with the engine hint the container
 * reuses; {@code withoutGpu} when {@code -Dgpukit.gpu.attach=none} starts the container with no
 * GPU on purpose.
 */
record GpuDetection(GpuEnvironment environment, GpuHost.Engine engine, boolean withoutGpu) {

  /** What detection asks of the world: Docker, the host's GPU facts and the engine's hints. */
  record Seams(Supplier<DockerStatus> docker, GpuHost.View host, Supplier<GpuHost.Engine> engine) {

    /** This host and the Docker engine Testcontainers finds. */
    static final Seams LOCAL = new Seams(DockerStatus::local, GpuHost.LOCAL, GpuDetection::engineHint);
  }

  /** What {@code -Dgpukit.gpu.attach} asks of every class: a strategy, or (empty) no GPU at all. */
  record AttachOverride(Optional<GpuAttach> attach) {

    static Optional<AttachOverride> parse(Optional<String> value) {
      if (value.isEmpty() || value.get().isBlank()) {
        return Optional.empty();
      }
      String name = value.get().strip().toUpperCase(Locale.ROOT).replace('-', '_');
      if (name.equals("NONE")) {
        return Optional.of(new AttachOverride(Optional.empty()));
      }
      try {
        return Optional.of(new AttachOverride(Optional.of(GpuAttach.valueOf(name))));
      } catch (IllegalArgumentException e) {
        throw new ExtensionConfigurationException("-D" + GpuContainerExtension.ATTACH_PARAMETER + "=" + value.get()
            + " is none of auto, toolkit, cdi, device_nodes and none");
      }
    }
  }

  /** Whether a container can be started: a GPU can be attached, or none is wanted and Docker answers. */
  boolean startable() {
    return environment.gpuAttachable() || (withoutGpu && environment.dockerAvailable());
  }

  /** The strategy in use and why, as the condition and the report say it. */
  String describe() {
    return environment.attach().map(GpuAttach::name).orElse("no GPU") + ": " + environment.reason();
  }

  /** Detects as the override says, else as the class's {@code attach} asks. */
  static GpuDetection detect(Optional<AttachOverride> override, GpuAttach annotated, Seams seams) {
    if (override.isPresent() && override.get().attach().isEmpty()) {
      return withoutGpu(seams);
    }
    return detect(override.flatMap(AttachOverride::attach).orElse(annotated), seams);
  }

  /** {@code -Dgpukit.gpu.attach=none}: the host is looked at, for the record, but nothing is attached. */
  private static GpuDetection withoutGpu(Seams seams) {
    DockerStatus docker = seams.docker().get();
    GpuHost.Evidence evidence = GpuHost.gather(seams.host(), () -> GpuHost.Engine.UNKNOWN);
    List<String> gpus = evidence.deviceNodes().stream().filter(GpuHost::isGpuNode).toList();
    String reason = !docker.answers() ? docker.describe()
        : "no GPU attached on purpose (-D" + GpuContainerExtension.ATTACH_PARAMETER + "=none"
        + (gpus.isEmpty() ? "" : ", although this host has " + gpus) + "): the container starts without one, and a"
        + " probe that needs the GPU fails the class";
    return new GpuDetection(new GpuEnvironment(docker.answers(), Optional.empty(), reason, evidence.deviceNodes(),
        evidence.driverFolder(), Set.of()), GpuHost.Engine.UNKNOWN, true);
  }

  private static GpuDetection detect(GpuAttach attach, Seams seams) {
    DockerStatus docker = seams.docker().get();
    GpuHost.Evidence evidence = GpuHost.gather(seams.host(),
        docker.answers() && attach == GpuAttach.AUTO ? seams.engine() : () -> GpuHost.Engine.UNKNOWN);
    GpuHost.Selection selection = switch (attach) {
      case AUTO -> GpuHost.choose(evidence);
      case DEVICE_NODES -> deviceNodes(evidence);
      case TOOLKIT, CDI -> new GpuHost.Selection(Optional.of(attach), attach + " as asked (the engine's host is not"
          + " inspected; the probe proves the GPU)");
    };
    // with no usable engine, what is missing is the engine: its cause and fix are the reason
    GpuEnvironment environment = new GpuEnvironment(docker.answers(), selection.attach(),
        docker.answers() ? selection.reason() : docker.describe(),
        evidence.deviceNodes(), evidence.driverFolder(), evidence.engine().runtimes());
    return new GpuDetection(environment, evidence.engine(), false);
  }

  private static GpuHost.Selection deviceNodes(GpuHost.Evidence evidence) {
    if (evidence.deviceNodes().stream().noneMatch(GpuHost::isGpuNode)) {
      return new GpuHost.Selection(Optional.empty(), "GpuAttach.DEVICE_NODES: no GPU device nodes (/dev/nvidia0,"
          + " ...) on this host" + (evidence.deviceNodes().isEmpty() ? "" : ", only " + evidence.deviceNodes()));
    }
    if (evidence.driverBinds().isEmpty()) {
      return new GpuHost.Selection(Optional.empty(), "GpuAttach.DEVICE_NODES: no driver library to mount: "
          + evidence.driverFolderSource());
    }
    return new GpuHost.Selection(Optional.of(GpuAttach.DEVICE_NODES), "DEVICE_NODES as asked; the driver libraries"
        + " from " + evidence.driverFolder().get());
  }

  /** What is missing and the fix. */
  static String missing(GpuEnvironment environment) {
    if (!environment.dockerAvailable()) {
      return environment.reason().isBlank() ? DockerStatus.NO_ENGINE : environment.reason();
    }
    String reason = environment.reason();
    return "no GPU can be attached: " + reason + (reason.contains("GpuAttach.TOOLKIT") ? ""
        : ". Run it on a host with an NVIDIA GPU and its driver (nvidia-smi works), or set attach to"
        + " GpuAttach.TOOLKIT or GpuAttach.CDI for an engine on another host");
  }

  /** Why the class fails without a GPU, and how to skip it instead (unless the run forces the failure). */
  static String failure(GpuEnvironment environment, boolean forced) {
    return missing(environment) + (forced ? " (-D" + GpuContainerExtension.REQUIRED_PARAMETER + "=true makes this a"
        + " failure)" : ". To skip instead, set whenNoGpu = WhenNoGpu.SKIP, or exclude the 'gpu' tag on hosts without"
        + " GPUs");
  }

  private static GpuHost.Engine engineHint() {
    return GpuAttacher.engineHint(() -> DockerClientFactory.instance().client());
  }
}
