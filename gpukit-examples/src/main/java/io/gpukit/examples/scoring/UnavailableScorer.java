package io.gpukit.examples.scoring;

/**
 * Stands in for the GPU backend when it could not start: every request fails with the reason, so
 * the service still answers (503, and 200 on {@code /healthz}) while its probes report the GPU.
 */
final class UnavailableScorer implements Scorer {

  private final ScorerUnavailableException reason;

  UnavailableScorer(ScorerUnavailableException reason) {
    this.reason = reason;
  }

  @Override
  public float[][] score(ScoreRequest request) throws ScorerUnavailableException {
    throw new ScorerUnavailableException("the GPU backend did not start: " + reason.getMessage(), reason);
  }

  @Override
  public String backend() {
    return "gpu";
  }

  @Override
  public String describe() {
    return "gpu, unavailable: " + reason.getMessage();
  }
}
