package io.gpukit.junit;

import com.github.dockerjava.api.exception.NotFoundException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a {@link GpuContainer} proves its GPU: the route it takes (the probe's command, or the
 * image's HEALTHCHECK in its place) and why, and what to add when there is neither.
 */
final class ProbeCommands {

  private ProbeCommands() {
  }

  /** Why an image cannot be probed at all, with the fix. */
  static String neitherProbeNorHealthcheck(String image, String withoutProbe, ExecOutcome java) {
    if (withoutProbe.startsWith("no java")) {
      return "the image '" + image + "' has no java to run gpukit-probe.jar (java -version: " + java.describe()
          + ") and no HEALTHCHECK to run in its place: add a JRE to the image (the probe jar is copied in with"
          + " -Dgpukit.probe.jar or GpuContainer.withProbeJar), or a HEALTHCHECK whose command exits non-zero when"
          + " CUDA sees no GPU (it is run with CUDA_VISIBLE_DEVICES= as the negative control)";
    }
    return "the image '" + image + "' has java but no gpukit-probe.jar at " + GpuContainer.PROBE_JAR_IN_CONTAINER + ", none was"
        + " copied in, and it has no HEALTHCHECK to run in its place: copy the probe in (-Dgpukit.probe.jar=path/to/"
        + "gpukit-probe.jar, or GpuContainer.withProbeJar), or add it to the image at " + GpuContainer.PROBE_JAR_IN_CONTAINER;
  }

  /** The command Docker runs for a HEALTHCHECK test ({@code CMD ...} or {@code CMD-SHELL cmd}). */
  static List<String> healthcheckCommand(List<String> test) {
    if (test.size() >= 2 && test.get(0).equals("CMD")) {
      return List.copyOf(test.subList(1, test.size()));
    }
    if (test.size() == 2 && test.get(0).equals("CMD-SHELL")) {
      return List.of("/bin/sh", "-c", test.get(1));
    }
    throw new IllegalArgumentException("HEALTHCHECK " + test + " is neither CMD nor CMD-SHELL with a command");
  }

  /** {@code env NAME=value java -jar <probe> --json <arguments>}, with the tests' timeout unless one is given. */
  static List<String> probeCommand(Map<String, String> env, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add("env");
    command.addAll(ContainerExec.environment(env));
    command.addAll(List.of("java", "-jar", GpuContainer.PROBE_JAR_IN_CONTAINER, "--json"));
    command.addAll(arguments);
    if (arguments.stream().noneMatch(a -> a.equals("--timeout-ms") || a.startsWith("--timeout-ms="))) {
      command.addAll(List.of("--timeout-ms", String.valueOf(GpuContainer.TEST_PROBE_TIMEOUT_MS)));
    }
    return command;
  }

  /** The route {@link GpuContainer#probeRoute()} takes, with the HEALTHCHECK whose timeout bounds its runs. */
  record Found(ProbeRoute route, Optional<HealthWait.Healthcheck> healthcheck) {
  }

  /**
   * Works out the route in a started container: its {@code java} with the probe copied in, or else
   * the image's own probe; without either, the image's HEALTHCHECK.
   */
  static Found findRoute(GpuContainer container, List<String> probeArguments, boolean probeJarCopied) {
    ExecOutcome java = container.exec(List.of("java", "-version"), Map.of(), GpuContainer.JAVA_CHECK_TIMEOUT);
    String image = container.getDockerImageName();
    String withoutProbe;
    if (java.exitCode() == 0 && !java.timedOut()) {
      List<String> command = probeCommand(Map.of(), probeArguments);
      if (probeJarCopied) {
        return new Found(new ProbeRoute(ProbeRoute.Kind.COPIED_PROBE, command, "the image's java runs the probe"
            + " copied to " + GpuContainer.PROBE_JAR_IN_CONTAINER), Optional.empty());
      }
      if (hasFile(container, GpuContainer.PROBE_JAR_IN_CONTAINER)) {
        return new Found(new ProbeRoute(ProbeRoute.Kind.IMAGE_PROBE, command, "the image's java runs the image's "
            + GpuContainer.PROBE_JAR_IN_CONTAINER), Optional.empty());
      }
      withoutProbe = "no gpukit-probe.jar in the image at " + GpuContainer.PROBE_JAR_IN_CONTAINER + " and none copied in";
    } else {
      withoutProbe = "no java in the image";
    }
    Optional<HealthWait.Healthcheck> healthcheck = HealthWait.Healthcheck.of(container.getDockerClient(), image);
    if (healthcheck.isPresent()) {
      return new Found(new ProbeRoute(ProbeRoute.Kind.IMAGE_HEALTHCHECK, healthcheckCommand(healthcheck.get().test()),
          withoutProbe), healthcheck);
    }
    throw new IllegalStateException(neitherProbeNorHealthcheck(image, withoutProbe, java));
  }

  private static boolean hasFile(GpuContainer container, String path) {
    try (InputStream archive = container.getDockerClient()
        .copyArchiveFromContainerCmd(container.getContainerId(), path).exec()) {
      return archive.read() >= 0;
    } catch (NotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new IllegalStateException("cannot look for " + path + " in the container: " + e.getMessage(), e);
    }
  }
}
