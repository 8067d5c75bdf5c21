package io.gpukit.core.dockerfile;

/**
 * How an instruction's arguments were written.
 *
 * @since 0.1.0
 */
public enum Form {
  /** A JSON array, as in {@code CMD ["nvidia-smi"]}. */
  EXEC,
  /** Plain text run through a shell or split on whitespace, as in {@code CMD nvidia-smi}. */
  SHELL,
  /** Neither: instructions such as {@code FROM} or {@code ENV}, or no arguments at all. */
  NONE
}
