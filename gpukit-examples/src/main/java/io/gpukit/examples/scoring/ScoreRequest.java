package io.gpukit.examples.scoring;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scoring request: query embeddings and document embeddings of one dimension, scored by cosine
 * similarity, every query against every document.
 *
 * <pre>{@code
 * {"queries": [[0.1, 0.7, 0.2]], "documents": [[0.1, 0.7, 0.2], [0.9, 0.0, 0.1]]}
 * }</pre>
 *
 * <p>The arrays are the caller's: they are neither copied nor changed.
 *
 * @param queries one row per query, each of {@link #dimensions()} finite floats, none all zero
 * @param documents one row per document, of the same dimensions
 * @since 0.1.0
 */
public record ScoreRequest(float[][] queries, float[][] documents) {

  /** The most queries in one request. */
  public static final int MAX_QUERIES = 256;

  /** The most documents in one request. */
  public static final int MAX_DOCUMENTS = 65_536;

  /** The most dimensions of an embedding. */
  public static final int MAX_DIMENSIONS = 8_192;

  private static final Set<String> FIELDS = Set.of("queries", "documents");

  /**
   * Validates the shape: at least one query and one document, all of the same dimensions, every
   * value finite, no vector all zeros (its cosine is undefined), and within the limits.
   *
   * @throws IllegalArgumentException naming the first offending vector
   */
  public ScoreRequest {
    try {
      check(queries, documents);
    } catch (BadRequestException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Returns the dimensions every vector has.
   *
   * @return the length of each query and document
   * @since 0.1.0
   */
  public int dimensions() {
    return queries[0].length;
  }

  /**
   * Reads a request body.
   *
   * @param body the JSON text
   * @return the request
   * @throws BadRequestException when the body is not JSON, or not a request of this service; the
   *     message says where and what was expected
   * @since 0.1.0
   */
  public static ScoreRequest parse(String body) throws BadRequestException {
    Object root;
    try {
      root = Json.parse(body);
    } catch (Json.ParseException e) {
      throw new BadRequestException(e.getMessage());
    }
    if (!(root instanceof Map<?, ?> members)) {
      throw new BadRequestException("the body must be a JSON object with 'queries' and 'documents'");
    }
    for (Object key : members.keySet()) {
      if (!FIELDS.contains(key)) {
        throw new BadRequestException("unknown member '" + key + "'; a request has only 'queries' and 'documents'");
      }
    }
    float[][] queries = matrix(members.get("queries"), "queries", MAX_QUERIES);
    float[][] documents = matrix(members.get("documents"), "documents", MAX_DOCUMENTS);
    check(queries, documents);
    return new ScoreRequest(queries, documents);
  }

  private static float[][] matrix(Object value, String name, int maxRows) throws BadRequestException {
    if (value == null) {
      throw new BadRequestException("'" + name + "' is missing: give an array of vectors, e.g. [[0.1, 0.7, 0.2]]");
    }
    if (!(value instanceof List<?> rows)) {
      throw new BadRequestException("'" + name + "' must be an array of vectors, e.g. [[0.1, 0.7, 0.2]]");
    }
    if (rows.isEmpty()) {
      throw new BadRequestException("'" + name + "' is empty; give at least one vector");
    }
    if (rows.size() > maxRows) {
      throw new BadRequestException("'" + name + "' has " + rows.size() + " vectors; at most " + maxRows
          + " fit in one request");
    }
    float[][] out = new float[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      String where = name + "[" + i + "]";
      if (!(rows.get(i) instanceof List<?> row)) {
        throw new BadRequestException("'" + where + "' must be an array of numbers");
      }
      if (row.size() > MAX_DIMENSIONS) {
        throw new BadRequestException("'" + where + "' has " + row.size() + " dimensions; at most "
            + MAX_DIMENSIONS + " are supported");
      }
      float[] vector = new float[row.size()];
      for (int j = 0; j < row.size(); j++) {
        if (!(row.get(j) instanceof Double number)) {
          throw new BadRequestException("'" + where + "[" + j + "]' must be a number but is " + describe(row.get(j)));
        }
        vector[j] = number.floatValue();
        if (!Float.isFinite(vector[j])) {
          throw new BadRequestException("'" + where + "[" + j + "]' is " + number + ", which is not a finite float");
        }
      }
      out[i] = vector;
    }
    return out;
  }

  private static String describe(Object value) {
    if (value instanceof String s) {
      return "the string \"" + s + "\"";
    }
    if (value instanceof List<?>) {
      return "an array";
    }
    if (value instanceof Map<?, ?>) {
      return "an object";
    }
    return String.valueOf(value);
  }

  private static void check(float[][] queries, float[][] documents) throws BadRequestException {
    if (queries == null || queries.length == 0 || documents == null || documents.length == 0) {
      throw new BadRequestException("a request needs at least one query and one document");
    }
    if (queries.length > MAX_QUERIES || documents.length > MAX_DOCUMENTS) {
      throw new BadRequestException("at most " + MAX_QUERIES + " queries and " + MAX_DOCUMENTS
          + " documents fit in one request");
    }
    int dimensions = queries[0] == null ? 0 : queries[0].length;
    if (dimensions == 0) {
      throw new BadRequestException("'queries[0]' is empty; a vector needs at least one dimension");
    }
    if (dimensions > MAX_DIMENSIONS) {
      throw new BadRequestException("vectors of " + dimensions + " dimensions are not supported; at most "
          + MAX_DIMENSIONS);
    }
    checkRows(queries, "queries", dimensions);
    checkRows(documents, "documents", dimensions);
  }

  private static void checkRows(float[][] rows, String name, int dimensions) throws BadRequestException {
    for (int i = 0; i < rows.length; i++) {
      float[] row = rows[i];
      String where = name + "[" + i + "]";
      if (row == null || row.length != dimensions) {
        throw new BadRequestException("'" + where + "' has " + (row == null ? 0 : row.length)
            + " dimensions but 'queries[0]' has " + dimensions + "; every vector needs the same dimensions");
      }
      boolean nonZero = false;
      for (float v : row) {
        if (!Float.isFinite(v)) {
          throw new BadRequestException("'" + where + "' holds " + v + ", which is not a finite float");
        }
        nonZero |= v != 0f;
      }
      if (!nonZero) {
        throw new BadRequestException("'" + where + "' is all zeros; cosine similarity needs a non-zero vector");
      }
    }
  }
}
