package io.gpukit.core.source;

import io.gpukit.core.policy.BuiltInRules;
import io.gpukit.core.policy.FileKind;
import io.gpukit.core.policy.InlineSuppressions;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Violation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The property every fuzz target of a file parser checks: bytes become a model, or a
 * {@link SourceParseException} located inside the file (the {@code gpukit/parse-error} a user sees),
 * never another exception; and the rules run on any model without a {@code gpukit/internal-error}.
 * A broken property throws {@link AssertionError}, which the fuzzer reports as a finding.
 */
public final class ParseFuzzing {

  private static final PolicyEngine ENGINE = PolicyEngine.withDefaults();

  private ParseFuzzing() {}

  /**
   * The bytes as the file reader decodes them, or empty when the reader refuses them (binary, not
   * UTF-8) with a located error.
   */
  public static Optional<SourceFile> decode(Path path, byte[] bytes) {
    try {
      return Optional.of(SourceFile.decode(path, bytes));
    } catch (SourceParseException e) {
      assertLocated(e, path, bytes.length + 1);
      return Optional.empty();
    }
  }

  /** The model of {@code source}, or empty when the parser refuses it with a located error. */
  public static <T> Optional<T> parse(SourceFile source, Function<SourceFile, T> parser) {
    T model;
    try {
      model = parser.apply(source);
    } catch (SourceParseException e) {
      assertLocated(e, source.path(), lineCount(source.text()));
      return Optional.empty();
    }
    if (model == null) {
      throw new AssertionError("the parser returned null for " + source.path());
    }
    return Optional.of(model);
  }

  /** Decodes, parses and checks the bytes as a file of {@code kind} at {@code path}. */
  public static <T> Optional<T> parseAndCheck(Path path, byte[] bytes, FileKind<T> kind) {
    Optional<SourceFile> source = decode(path, bytes);
    if (source.isEmpty()) {
      return Optional.empty();
    }
    Optional<T> model = parse(source.get(), kind::parse);
    model.ifPresent(m -> assertNoInternalError(
        ENGINE.check(path, m, kind, InlineSuppressions.scan(source.get()))));
    return model;
  }

  /** Fails when a rule crashed on the model (the engine reports a crash as an internal error). */
  public static void assertNoInternalError(PolicyReport report) {
    List<Violation> crashes = report.violationsOf(BuiltInRules.INTERNAL_ERROR.id());
    if (!crashes.isEmpty()) {
      throw new AssertionError("a rule crashed: " + crashes);
    }
  }

  /** Fails unless the error names {@code file} and a line of it (1 to {@code lines}). */
  public static void assertLocated(SourceParseException e, Path file, int lines) {
    SourceLocation at = e.location();
    if (!at.file().equals(file) || at.line() > lines) {
      throw new AssertionError("the parse error is not located in " + file + " (" + lines + " lines): "
          + e.getMessage(), e);
    }
    if (e.reason().isBlank()) {
      throw new AssertionError("the parse error at " + at.render() + " gives no reason", e);
    }
  }

  /** Lines as any of the parsers may count them: every CR, LF or CRLF ends one, plus the last. */
  public static int lineCount(String text) {
    int lines = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u0085') {
        lines++;
      }
    }
    return lines;
  }
}
