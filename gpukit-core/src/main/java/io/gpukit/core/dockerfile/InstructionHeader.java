package io.gpukit.core.dockerfile;

import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Objects;

/**
 * What every instruction has: its keyword, where it is, its text and its arguments as BuildKit's
 * parser splits them.
 *
 * @param keyword the keyword, upper-case
 * @param location the keyword's position on the first line
 * @param startLine the first line, 1-based
 * @param endLine the last line, 1-based, heredoc bodies included
 * @param original all physical lines of the instruction as written, joined with {@code \n}
 * @param flags the builder flags
 * @param args the arguments as BuildKit's parser puts them into its syntax tree
 * @param form how the arguments were written
 * @param heredocs the here-documents, in order
 * @since 0.1.0
 */
public record InstructionHeader(
    String keyword,
    SourceLocation location,
    int startLine,
    int endLine,
    String original,
    List<Flag> flags,
    List<String> args,
    Form form,
    List<Heredoc> heredocs) {

  /** Validates the fields and copies the lists. */
  public InstructionHeader {
    Objects.requireNonNull(keyword, "keyword");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(form, "form");
    flags = List.copyOf(flags);
    args = List.copyOf(args);
    heredocs = List.copyOf(heredocs);
    if (endLine < startLine) {
      throw new IllegalArgumentException("endLine " + endLine + " before startLine " + startLine);
    }
  }
}
