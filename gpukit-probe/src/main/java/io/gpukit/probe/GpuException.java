package io.gpukit.probe;

/** A failed GPU call, with the library's own error name and number when there is one. */
final class GpuException extends Exception {

  private static final long serialVersionUID = 1L;

  /** What went wrong, as far as the exit code is concerned. */
  enum Kind {
    /** A library (or its JNI binding) is missing or cannot be linked. */
    LIBRARY_MISSING,
    /** The library is there but would not initialise. */
    INIT_FAILED,
    /** The driver reports that there is no device. */
    NO_DEVICE,
    /** Anything else: a call on a working driver failed. */
    CALL_FAILED
  }

  private final Kind kind;

  GpuException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  GpuException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }
}
