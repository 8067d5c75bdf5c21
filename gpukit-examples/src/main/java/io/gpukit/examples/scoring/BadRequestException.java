package io.gpukit.examples.scoring;

/**
 * A request the service cannot score, with a message for the caller (it becomes the {@code error}
 * of a 400 response).
 *
 * @since 0.1.0
 */
public final class BadRequestException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong with the request and, where it helps, how to fix it
   * @since 0.1.0
   */
  public BadRequestException(String message) {
    super(message);
  }
}
