package io.gpukit.core.k8s.rollout;

/**
 * Whether the new pods of a rollout pass their readiness probe once scheduled.
 *
 * @since 0.1.0
 */
public enum Readiness {
  /** New pods become Ready as soon as they are scheduled. */
  READY,
  /** New pods never become Ready (a broken image, a GPU that fails its probe). */
  NEVER_READY
}
