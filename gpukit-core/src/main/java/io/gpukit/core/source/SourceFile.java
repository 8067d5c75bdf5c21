package io.gpukit.core.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The text of one file, read with limits, split into lines as written.
 *
 * <p>Reading never trusts the input: a missing file, a directory, a file over {@link
 * #DEFAULT_MAX_BYTES}, bytes that are not UTF-8 and NUL bytes (binary garbage) all end in a
 * {@link SourceParseException} with a location and a {@link SourceProblem}, so the engine reports
 * them as findings with a hint that fits the cause. {@link SourceHead} tells what such a file seems to
 * be without failing.
 *
 * @param path the file as it was named
 * @param text the whole text, a leading byte-order mark removed
 * @since 0.1.0
 */
public record SourceFile(Path path, String text) {

  /** The largest file read by default: 10 MiB, far above any real Dockerfile or manifest. */
  public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;

  /** Validates the fields. */
  public SourceFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(text, "text");
  }

  /** A file made from text in memory (tests, stdin). */
  public static SourceFile of(Path path, String text) {
    return new SourceFile(path, text.startsWith("\uFEFF") ? text.substring(1) : text);
  }

  /** Reads a file with the default size limit. */
  public static SourceFile read(Path path) {
    return read(path, DEFAULT_MAX_BYTES);
  }

  /**
   * Reads a file, failing with a located {@link SourceParseException} on anything but a regular
   * UTF-8 text file of at most {@code maxBytes}; its {@link SourceParseException#problem()} says
   * why ({@link SourceProblem#TOO_LARGE}, {@link SourceProblem#BINARY}…).
   */
  public static SourceFile read(Path path, long maxBytes) {
    SourceLocation start = SourceLocation.startOf(path);
    if (!Files.exists(path)) {
      if (Files.isSymbolicLink(path)) {
        throw new SourceParseException(start, SourceProblem.MISSING,
            "a symbolic link to nothing (" + linkTarget(path) + " does not exist)", null);
      }
      throw new SourceParseException(start, SourceProblem.MISSING, "file not found", null);
    }
    if (!Files.isRegularFile(path)) {
      throw new SourceParseException(start, SourceProblem.NOT_A_FILE, "not a regular file", null);
    }
    if (sizeOver(path, maxBytes)) {
      throw tooLarge(path, maxBytes);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (NoSuchFileException e) {
      throw new SourceParseException(start, SourceProblem.MISSING, "file not found", e);
    } catch (AccessDeniedException e) {
      throw new SourceParseException(start, SourceProblem.UNREADABLE, "cannot read file: permission denied", e);
    } catch (IOException e) {
      throw new SourceParseException(start, SourceProblem.UNREADABLE, "cannot read file: " + e.getMessage(), e);
    }
    if (bytes.length > maxBytes) {
      throw tooLarge(path, maxBytes); // its size said less (a file still growing, or /proc)
    }
    return decode(path, bytes);
  }

  /** Whether the file system says the file is larger than {@code maxBytes}: then nothing of it is read. */
  private static boolean sizeOver(Path path, long maxBytes) {
    try {
      return Files.size(path) > maxBytes;
    } catch (IOException e) {
      return false; // reading will say what is wrong
    }
  }

  private static SourceParseException tooLarge(Path path, long maxBytes) {
    return new SourceParseException(SourceLocation.startOf(path), SourceProblem.TOO_LARGE,
        "file is larger than the limit of " + maxBytes + " bytes" + sizeOf(path) + "; gpukit did not read it", null);
  }

  private static String linkTarget(Path link) {
    try {
      return "'" + SourceLocation.renderPath(Files.readSymbolicLink(link)) + "'";
    } catch (IOException | UnsupportedOperationException e) {
      return "its target";
    }
  }

  private static String sizeOf(Path path) {
    try {
      return " (it has " + Files.size(path) + " bytes)";
    } catch (IOException e) {
      return "";
    }
  }

  /** The text of bytes read from a file, as {@link #read} decides what is text. */
  static SourceFile decode(Path path, byte[] bytes) {
    utf16(bytes).ifPresent(bom -> {
      throw new SourceParseException(SourceLocation.startOf(path), SourceProblem.NOT_UTF8,
          "UTF-16 text (it starts with a " + bom + " byte-order mark), not UTF-8", null);
    });
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new SourceParseException(
            locate(path, bytes, i), SourceProblem.BINARY, "binary content (NUL byte); not a text file", null);
      }
    }
    try {
      return of(path, strictUtf8(bytes));
    } catch (CharacterCodingException e) {
      int bad = firstInvalidUtf8(bytes);
      throw new SourceParseException(locate(path, bytes, bad), SourceProblem.NOT_UTF8, "not valid UTF-8 text", e);
    }
  }

  private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  /** The byte-order mark a UTF-16 file starts with ({@code UTF-16LE} or {@code UTF-16BE}), if it does. */
  static Optional<String> utf16(byte[] bytes) {
    if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE) {
      return Optional.of("UTF-16LE");
    }
    if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF) {
      return Optional.of("UTF-16BE");
    }
    return Optional.empty();
  }

  private static int firstInvalidUtf8(byte[] bytes) {
    var decoder = StandardCharsets.UTF_8.newDecoder();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    var out = java.nio.CharBuffer.allocate(bytes.length + 1);
    var result = decoder.decode(in, out, true);
    return result.isError() ? in.position() : 0;
  }

  private static SourceLocation locate(Path path, byte[] bytes, int offset) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset && i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        line++;
        column = 1;
      } else if ((bytes[i] & 0xC0) != 0x80) {
        column++;
      }
    }
    return SourceLocation.of(path, line, column);
  }

  /** The lines, without their terminators ({@code \n}, {@code \r\n} or {@code \r}). */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    int start = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(text.substring(start, i));
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    if (start < n) {
      lines.add(text.substring(start));
    }
    return List.copyOf(lines);
  }

  /** The location of a 1-based line in this file. */
  public SourceLocation at(int line, int column) {
    return SourceLocation.of(path, line, column);
  }
}
