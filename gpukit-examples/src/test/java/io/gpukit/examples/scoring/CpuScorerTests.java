package io.gpukit.examples.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CPU reference, against the textbook formula and the values every cosine must give. */
class CpuScorerTests {

  private final CpuScorer scorer = new CpuScorer();

  /** cos(a, b) = a·b / (|a| |b|), written out once, in double, with nothing shared with the scorer. */
  static double naiveCosine(float[] a, float[] b) {
    double dot = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      aa += (double) a[i] * a[i];
      bb += (double) b[i] * b[i];
    }
    return dot / (Math.sqrt(aa) * Math.sqrt(bb));
  }

  static float[][] randomVectors(SplittableRandom random, int rows, int dimensions) {
    float[][] out = new float[rows][dimensions];
    for (float[] row : out) {
      for (int k = 0; k < dimensions; k++) {
        row[k] = (float) (random.nextDouble() * 2 - 1);
      }
    }
    return out;
  }

  @Nested
  class Against_the_naive_formula {

    @ParameterizedTest(name = "{0} queries × {1} documents of {2} dimensions")
    @CsvSource({"1, 1, 1", "1, 7, 3", "3, 50, 384", "8, 33, 1000", "2, 5, 4096"})
    void agrees_to_float_precision(int queries, int documents, int dimensions) {
      // given
      SplittableRandom random = new SplittableRandom(42L * queries + documents + dimensions);
      ScoreRequest request = new ScoreRequest(randomVectors(random, queries, dimensions),
          randomVectors(random, documents, dimensions));

      // when
      float[][] scores = scorer.score(request);

      // then
      assertThat(scores).hasDimensions(queries, documents);
      for (int i = 0; i < queries; i++) {
        for (int j = 0; j < documents; j++) {
          assertThat((double) scores[i][j])
              .as("score of query %d against document %d", i, j)
              .isCloseTo(naiveCosine(request.queries()[i], request.documents()[j]), within(1e-6));
        }
      }
    }
  }

  @Nested
  class Known_values {

    @Test
    void identical_orthogonal_and_opposite_vectors_score_one_zero_and_minus_one() {
      // given
      ScoreRequest request = new ScoreRequest(new float[][] {{1, 2, 3}},
          new float[][] {{1, 2, 3}, {3, 0, -1}, {-1, -2, -3}});

      // when
      float[][] scores = scorer.score(request);

      // then
      assertThat(scores[0]).containsExactly(new float[] {1f, 0f, -1f}, within(1e-7f));
    }

    @Test
    void the_length_of_a_vector_does_not_change_its_score() {
      // given
      ScoreRequest small = new ScoreRequest(new float[][] {{0.1f, 0.7f, 0.2f}}, new float[][] {{0.3f, 0.3f, 0.9f}});
      ScoreRequest scaled = new ScoreRequest(new float[][] {{1000f, 7000f, 2000f}}, new float[][] {{3e-4f, 3e-4f, 9e-4f}});

      // when / then
      assertThat(scorer.score(scaled)[0][0]).isCloseTo(scorer.score(small)[0][0], within(1e-6f));
    }

    @Test
    void every_query_gets_its_own_row() {
      // given
      ScoreRequest request = new ScoreRequest(new float[][] {{1, 0}, {0, 1}}, new float[][] {{1, 0}, {0, 1}, {1, 1}});

      // when
      float[][] scores = scorer.score(request);

      // then
      float half = (float) Math.sqrt(0.5);
      assertThat(scores[0]).containsExactly(new float[] {1f, 0f, half}, within(1e-7f));
      assertThat(scores[1]).containsExactly(new float[] {0f, 1f, half}, within(1e-7f));
    }
  }

  @Nested
  class Comparing_score_matrices {

    @Test
    void gives_the_largest_difference() {
      assertThat(Vectors.maxAbsDifference(new float[][] {{0.5f, 0.25f}}, new float[][] {{0.5f, 0.125f}}))
          .isEqualTo(0.125);
    }

    @Test
    void a_nan_is_never_within_tolerance() {
      assertThat(Vectors.maxAbsDifference(new float[][] {{Float.NaN, 0f}}, new float[][] {{0f, 0f}})).isNaN();
    }
  }
}
