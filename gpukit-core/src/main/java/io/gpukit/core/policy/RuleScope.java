package io.gpukit.core.policy;

/**
 * What a rule judges: GPU artifacts only, or every artifact of its kind.
 *
 * <p>A repository that ships a GPU service also holds a database sidecar, a docs builder, a linter
 * image and CUDA base images meant to be built {@code FROM}. GPU rules (a HEALTHCHECK that runs a GPU
 * probe, CUDA versions that agree, GPU runners) run on the Dockerfiles, jobs and containers gpukit
 * finds to be GPU ({@link GpuEvidence}); hygiene rules (a non-root user, a pinned base image) run on
 * everything, because they hold for any image.
 *
 * @since 0.2.0
 */
public enum RuleScope {
  /** The rule runs on GPU artifacts only: GPU Dockerfiles, GPU jobs, GPU containers. */
  GPU("GPU artifacts only"),
  /** The rule runs on every artifact of its kind: hygiene that holds for any image. */
  ALL("every artifact of its kind (hygiene)");

  private final String description;

  RuleScope(String description) {
    this.description = description;
  }

  /** How {@code gpukit explain} says it: "GPU artifacts only" or "every artifact of its kind (hygiene)". */
  public String description() {
    return description;
  }
}
