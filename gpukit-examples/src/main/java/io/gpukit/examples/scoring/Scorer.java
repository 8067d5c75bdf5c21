package io.gpukit.examples.scoring;

/**
 * Computes cosine similarities: {@code scores[i][j]} is the cosine of the angle between query
 * {@code i} and document {@code j}.
 *
 * @since 0.1.0
 */
public interface Scorer {

  /**
   * Scores every query against every document.
   *
   * @param request validated queries and documents
   * @return one row per query, one column per document, each in [-1, 1] up to rounding
   * @throws ScorerUnavailableException when the backend cannot compute now (no GPU, say)
   * @since 0.1.0
   */
  float[][] score(ScoreRequest request) throws ScorerUnavailableException;

  /**
   * Names the backend, as responses report it.
   *
   * @return {@code cpu} or {@code gpu}
   * @since 0.1.0
   */
  String backend();

  /**
   * Describes the backend for the log: the device and library versions where there are any.
   *
   * @return a few words
   * @since 0.1.0
   */
  String describe();
}
