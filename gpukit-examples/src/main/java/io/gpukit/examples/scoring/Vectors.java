package io.gpukit.examples.scoring;

/**
 * Vector helpers shared by the backends: normalisation to unit length and the comparison of two
 * score matrices.
 *
 * @since 0.1.0
 */
public final class Vectors {

  /**
   * How far a GPU score may be from the CPU reference. Unit vectors in float32 accumulate rounding
   * errors of about 1e-6 over a few thousand dimensions; 1e-4 leaves room for cuBLAS's summation
   * order, while a wrong transpose, a stale buffer or a broken kernel is off by far more.
   */
  public static final double TOLERANCE = 1e-4;

  private Vectors() {}

  /**
   * Scales each row to unit length, in double precision.
   *
   * @param rows non-zero vectors
   * @return new rows of length 1
   * @since 0.1.0
   */
  public static double[][] normalised(float[][] rows) {
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      float[] row = rows[i];
      double sum = 0;
      for (float v : row) {
        sum += (double) v * v;
      }
      double norm = Math.sqrt(sum);
      double[] unit = new double[row.length];
      for (int k = 0; k < row.length; k++) {
        unit[k] = row[k] / norm;
      }
      out[i] = unit;
    }
    return out;
  }

  /**
   * Flattens unit rows, row after row, into floats: the layout the GPU backend copies to the device.
   *
   * @param rows rows of equal length
   * @return {@code rows.length × rows[0].length} floats
   * @since 0.1.0
   */
  public static float[] flattened(double[][] rows) {
    int width = rows.length == 0 ? 0 : rows[0].length;
    float[] out = new float[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      for (int k = 0; k < width; k++) {
        out[i * width + k] = (float) rows[i][k];
      }
    }
    return out;
  }

  /**
   * The largest absolute difference between two score matrices of the same shape.
   *
   * @param a scores
   * @param b scores of the same shape
   * @return the largest {@code |a[i][j] - b[i][j]|}
   * @throws IllegalArgumentException when the shapes differ
   * @since 0.1.0
   */
  public static double maxAbsDifference(float[][] a, float[][] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(a.length + " rows against " + b.length);
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i].length != b[i].length) {
        throw new IllegalArgumentException("row " + i + " has " + a[i].length + " columns against " + b[i].length);
      }
      for (int j = 0; j < a[i].length; j++) {
        double d = Math.abs((double) a[i][j] - b[i][j]);
        if (Double.isNaN(d)) {
          return Double.NaN; // a NaN score is never within tolerance
        }
        max = Math.max(max, d);
      }
    }
    return max;
  }
}
