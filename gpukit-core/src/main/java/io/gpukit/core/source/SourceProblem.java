package io.gpukit.core.source;

/**
 * Why a file could not be read or parsed: what decides the hint a {@code gpukit/parse-error}
 * finding gets (a syntax error is fixed where it is; a file over the size limit was never read).
 *
 * @since 0.1.0
 */
public enum SourceProblem {
  /** The text was read but is not valid for its kind: fix it where parsing stopped. */
  SYNTAX,
  /** The file is larger than the limit: gpukit did not read it. */
  TOO_LARGE,
  /** The file holds a NUL byte: it is not text. */
  BINARY,
  /** The file is text in another encoding than UTF-8 (Latin-1, UTF-16…). */
  NOT_UTF8,
  /** The file holds nothing, or only blank lines, where its kind needs content. */
  EMPTY,
  /** The path is not a regular file: a folder, a FIFO, a socket, a device. */
  NOT_A_FILE,
  /** The path is not there, or is a symbolic link to nothing. */
  MISSING,
  /** The file is there but cannot be read (permissions, I/O error). */
  UNREADABLE
}
