package io.gpukit.core.source;

import java.util.Objects;

/**
 * A file could not be read or parsed. It always says where: the policy engine turns it into a
 * {@code gpukit/parse-error} violation at {@link #location()}, never a stack trace.
 *
 * @since 0.1.0
 */
public class SourceParseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final SourceLocation location;
  private final String reason;
  private final SourceProblem problem;

  /**
   * Creates the exception.
   *
   * @param location where the input went wrong
   * @param reason what went wrong, without the location (it is added when rendered)
   */
  public SourceParseException(SourceLocation location, String reason) {
    this(location, reason, null);
  }

  /** Creates the exception with the low-level cause. */
  public SourceParseException(SourceLocation location, String reason, Throwable cause) {
    this(location, SourceProblem.SYNTAX, reason, cause);
  }

  /**
   * Creates the exception for a file that could not be read as text, or parsed, for a reason other
   * than its syntax.
   *
   * @param location where the input went wrong
   * @param problem why: what the fix is
   * @param reason what went wrong, without the location
   * @param cause the low-level cause; may be {@code null}
   */
  public SourceParseException(SourceLocation location, SourceProblem problem, String reason, Throwable cause) {
    super(Objects.requireNonNull(location, "location").render() + ": " + reason, cause);
    this.location = location;
    this.reason = Objects.requireNonNull(reason, "reason");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** Where the input went wrong. */
  public SourceLocation location() {
    return location;
  }

  /** What went wrong, without the location. */
  public String reason() {
    return reason;
  }

  /** Why: {@link SourceProblem#SYNTAX} unless the file could not be read as text at all. */
  public SourceProblem problem() {
    return problem;
  }
}
