package io.gpukit.examples.scoring;

/**
 * The backend cannot score now: the GPU is missing, or a CUDA or cuBLAS call failed. The message
 * says which; it becomes the {@code error} of a 503 response.
 *
 * @since 0.1.0
 */
public final class ScorerUnavailableException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param cause the underlying error, or {@code null}
   * @since 0.1.0
   */
  public ScorerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
