package io.gpukit.examples.scoring;

/**
 * The reference: cosine similarities in double precision on the CPU, rounded to float once at the
 * end. The GPU backend is held to it within {@link Vectors#TOLERANCE}.
 *
 * @since 0.1.0
 */
public final class CpuScorer implements Scorer {

  /**
   * Creates the scorer; it holds no state.
   *
   * @since 0.1.0
   */
  public CpuScorer() {}

  @Override
  public float[][] score(ScoreRequest request) {
    double[][] queries = Vectors.normalised(request.queries());
    double[][] documents = Vectors.normalised(request.documents());
    float[][] scores = new float[queries.length][documents.length];
    for (int i = 0; i < queries.length; i++) {
      double[] q = queries[i];
      for (int j = 0; j < documents.length; j++) {
        double[] d = documents[j];
        double dot = 0;
        for (int k = 0; k < q.length; k++) {
          dot += q[k] * d[k];
        }
        scores[i][j] = (float) dot;
      }
    }
    return scores;
  }

  @Override
  public String backend() {
    return "cpu";
  }

  @Override
  public String describe() {
    return "cpu (the double-precision reference)";
  }
}
