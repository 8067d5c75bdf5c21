package io.gpukit.junit;

import java.util.List;
import java.util.Objects;

/**
 * How {@link GpuContainer#probe()} proves the GPU in a container, and why that way: with the
 * image's {@code java} running {@code gpukit-probe.jar} (the image's own, or one copied in), or,
 * where the image has no {@code java} (or no probe), with the image's own {@code HEALTHCHECK}
 * command run inside the container and judged by its exit code alone (0 healthy, anything else
 * failed).
 *
 * @param kind which way
 * @param command what runs in the container, before the extra environment of a run
 * @param reason why this way, such as {@code no java in the image}
 * @since 0.1.0
 */
public record ProbeRoute(Kind kind, List<String> command, String reason) {

  /**
   * The ways to probe, from the strongest evidence to the weakest.
   *
   * @since 0.1.0
   */
  public enum Kind {

    /** The image's {@code java} runs the {@code gpukit-probe.jar} the image has itself. */
    IMAGE_PROBE,

    /** The image's {@code java} runs the {@code gpukit-probe.jar} copied in ({@link GpuContainer#withProbeJar}). */
    COPIED_PROBE,

    /**
     * The image's own HEALTHCHECK command ({@code CMD} as is, {@code CMD-SHELL} through
     * {@code /bin/sh -c}), run with {@code docker exec} and bounded by the HEALTHCHECK's timeout:
     * for images without {@code java}. Its exit code is the whole verdict; it is outside the
     * probe's exit-code contract.
     */
    IMAGE_HEALTHCHECK
  }

  /**
   * Copies the command.
   *
   * @since 0.1.0
   */
  public ProbeRoute {
    Objects.requireNonNull(kind, "kind");
    command = List.copyOf(command);
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * Returns whether the gpukit probe runs (and its exit codes follow its contract).
   *
   * @return {@code true} for {@link Kind#IMAGE_PROBE} and {@link Kind#COPIED_PROBE}
   * @since 0.1.0
   */
  public boolean runsTheProbe() {
    return kind != Kind.IMAGE_HEALTHCHECK;
  }

  /**
   * Says the way in a few words, for reports: {@code probe: image's java + copied gpukit-probe.jar},
   * {@code probe: image's java + its own gpukit-probe.jar}, or
   * {@code probe: image HEALTHCHECK (no java in the image)}.
   *
   * @return the description
   * @since 0.1.0
   */
  public String describe() {
    return switch (kind) {
      case IMAGE_PROBE -> "probe: image's java + its own gpukit-probe.jar";
      case COPIED_PROBE -> "probe: image's java + copied gpukit-probe.jar";
      case IMAGE_HEALTHCHECK -> "probe: image HEALTHCHECK (" + reason + ")";
    };
  }

  /** The description, the command and the reason. */
  @Override
  public String toString() {
    return describe() + "; runs " + command + (kind == Kind.IMAGE_HEALTHCHECK ? "" : " (" + reason + ")");
  }
}
