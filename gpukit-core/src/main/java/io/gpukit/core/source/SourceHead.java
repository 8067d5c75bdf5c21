package io.gpukit.core.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * What a file seems to hold, read leniently to tell its kind, even when {@link SourceFile#read}
 * would refuse it: the text of a file over the size limit (its first {@link #HEAD_BYTES}), of a
 * UTF-16 or Latin-1 file, of a binary file up to its first NUL byte. Reading a head never throws and
 * never opens what is not a regular file (a FIFO would block).
 *
 * <pre>{@code
 * SourceHead head = SourceHead.of(Path.of("k8s/huge.yaml"));
 * head.problem();   // Optional[TOO_LARGE]: the engine will say so
 * head.text();      // "apiVersion: apps/v1\nkind: Deployment\n…" (the first MiB)
 * }</pre>
 *
 * @param text the text as far as it could be made out; empty when nothing could be read
 * @param problem why {@link SourceFile#read} would refuse the file; empty when it would read it
 * @since 0.1.0
 */
public record SourceHead(String text, Optional<SourceProblem> problem) {

  /** How much of a file over the size limit is read to tell its kind: 1 MiB. */
  public static final int HEAD_BYTES = 1024 * 1024;

  /** Validates the fields. */
  public SourceHead {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(problem, "problem");
  }

  /** The head of a file under the default size limit ({@link SourceFile#DEFAULT_MAX_BYTES}). */
  public static SourceHead of(Path file) {
    return of(file, SourceFile.DEFAULT_MAX_BYTES);
  }

  /** The head of a file under a size limit. */
  public static SourceHead of(Path file, long maxBytes) {
    if (!Files.exists(file)) {
      return failed(SourceProblem.MISSING);
    }
    if (!Files.isRegularFile(file)) {
      return failed(SourceProblem.NOT_A_FILE);
    }
    byte[] bytes;
    boolean tooLarge;
    try (InputStream in = Files.newInputStream(file)) {
      // A file's size can be 0 and its content not (/proc): the size only spares reading what is too large.
      boolean sizeTooLarge = Files.size(file) > maxBytes;
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, sizeTooLarge ? HEAD_BYTES : maxBytes + 1));
      tooLarge = sizeTooLarge || bytes.length > maxBytes;
    } catch (IOException e) {
      return failed(SourceProblem.UNREADABLE);
    }
    if (tooLarge) {
      return new SourceHead(lenient(Arrays.copyOf(bytes, Math.min(bytes.length, HEAD_BYTES))),
          Optional.of(SourceProblem.TOO_LARGE));
    }
    try {
      return new SourceHead(SourceFile.decode(file, bytes).text(), Optional.empty());
    } catch (SourceParseException e) {
      return new SourceHead(lenient(bytes), Optional.of(e.problem()));
    }
  }

  /** Whether {@link SourceFile#read} would read the file. */
  public boolean readable() {
    return problem.isEmpty();
  }

  private static SourceHead failed(SourceProblem problem) {
    return new SourceHead("", Optional.of(problem));
  }

  /** UTF-16 by its byte-order mark; else UTF-8 with bad bytes replaced, up to the first NUL byte. */
  static String lenient(byte[] bytes) {
    Optional<String> bom = SourceFile.utf16(bytes);
    if (bom.isPresent()) {
      String utf16 = new String(bytes, 2, bytes.length - 2,
          bom.get().equals("UTF-16LE") ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE);
      int nul = utf16.indexOf('\0');
      return nul < 0 ? utf16 : utf16.substring(0, nul);
    }
    int end = 0;
    while (end < bytes.length && bytes[end] != 0) {
      end++;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes, 0, end))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return "";
    }
  }
}
