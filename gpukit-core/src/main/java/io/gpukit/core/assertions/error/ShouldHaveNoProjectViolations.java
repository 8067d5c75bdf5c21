package io.gpukit.core.assertions.error;

import io.gpukit.core.policy.Violation;
import io.gpukit.core.project.GpuProject;
import io.gpukit.core.source.SourceLocation;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Creates the messages for a GPU project that was expected to break no rule: every violation as a
 * clickable {@code file:line:col} line with its hint, a blank line between files, then the summary.
 *
 * @since 0.1.0
 */
public final class ShouldHaveNoProjectViolations extends BasicErrorMessageFactory {

  /** The project breaks rules (those in {@code violations}, which may be a subset of its report's). */
  public static ErrorMessageFactory shouldHaveNoViolations(GpuProject project, List<Violation> violations, String which) {
    StringBuilder listing = new StringBuilder();
    Path previous = null;
    for (Violation v : violations) {
      Path file = v.location().file();
      if (previous != null && !previous.equals(file)) {
        listing.append("%n");
      }
      previous = file;
      listing.append("  ").append(escape(v.render())).append("%n");
      if (!v.hint().isEmpty()) {
        listing.append("    hint: ").append(escape(v.hint())).append("%n");
      }
    }
    return new ShouldHaveNoProjectViolations(
        "%nExpecting the GPU project%n  %s%nto break no gpukit rule" + which + ", but it breaks " + violations.size()
            + ":%n%n" + listing + "%n" + escape(project.report().summary()),
        SourceLocation.renderPath(project.root()));
  }

  /** The project has no artifact at all: a wrong path would pass every rule. */
  public static ErrorMessageFactory shouldHaveArtifacts(GpuProject project) {
    return new ShouldHaveNoProjectViolations(
        "%nExpecting the GPU project%n  %s%nto have artifacts to check, but no Dockerfile, workflow, Kubernetes manifest"
            + " or promotion flow was found there (is the path right? Maven runs tests in the module's folder)",
        SourceLocation.renderPath(project.root().toAbsolutePath().normalize()));
  }

  private static String escape(String text) {
    return text.replace("%", "%%").replace("\n", "%n    ");
  }

  private ShouldHaveNoProjectViolations(String format, Object... arguments) {
    super(format, arguments);
  }
}
