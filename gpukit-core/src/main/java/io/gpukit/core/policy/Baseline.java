package io.gpukit.core.policy;

import io.gpukit.core.source.SourceLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Known violations that do not fail a check, so a team can adopt gpukit on an existing repository
 * and fail only on new problems.
 *
 * <p>The file holds one rendered violation a line ({@code file:line:col: severity: message
 * [rule-id]}), sorted, so it diffs well. Paths in it are relative to the baseline's own folder, so
 * the same baseline matches whether the check was started from the repository root or elsewhere;
 * line breaks and other control characters in messages are escaped ({@code \n}). A violation's
 * identity ignores its line and column (and severity): moving code does not churn the baseline. Identities are counted, so two identical
 * findings in the baseline cover two, not three. Fixed violations simply stop matching; rewrite
 * the file with {@link #write(Path, PolicyReport)} to drop them. A baseline is only ever written
 * when asked; a check never creates one.
 *
 * @since 0.1.0
 */
public final class Baseline {

  private static final Pattern LINE =
      Pattern.compile("^(.*?):(\\d+):(\\d+): (error|warning|info): (.*) \\[([a-z0-9-]+/[a-z0-9-]+)\\]$");

  /** A violation's identity: where and what, but not the line. */
  record Identity(String file, String ruleId, String message) {
    static Identity of(Path root, Violation v) {
      return new Identity(relative(root, v.location().file()), v.ruleId(), escape(v.message()));
    }
  }

  private final Path root;
  private final Map<Identity, Integer> counts;

  private Baseline(Path root, Map<Identity, Integer> counts) {
    this.root = root.toAbsolutePath().normalize();
    this.counts = Map.copyOf(counts);
  }

  /** An empty baseline. */
  public static Baseline empty() {
    return new Baseline(Path.of(""), Map.of());
  }

  private static Path folderOf(Path file) {
    Path parent = file.toAbsolutePath().normalize().getParent();
    return parent == null ? Path.of("") : parent;
  }

  private static String relative(Path root, Path file) {
    Path abs = file.toAbsolutePath().normalize();
    return SourceLocation.renderPath(abs.startsWith(root) ? root.relativize(abs) : abs);
  }

  /** Escapes backslashes and control characters so that one violation stays one line. */
  static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  private static String line(Path root, Violation v) {
    SourceLocation at = v.location();
    return relative(root, at.file()) + ":" + at.line() + ":" + at.column() + ": " + v.severity().label()
        + ": " + escape(v.message()) + " [" + v.ruleId() + "]";
  }

  /**
   * Reads a baseline file. Blank lines and lines starting with {@code #} are skipped.
   *
   * @throws IllegalArgumentException naming the file:line of a line that is not a rendered
   *     violation
   * @throws UncheckedIOException when the file cannot be read
   */
  public static Baseline read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read baseline " + file + ": " + e.getMessage(), e);
    }
    Map<Identity, Integer> counts = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            SourceLocation.of(file, i + 1).render()
                + ": not a rendered violation ('file:line:col: severity: message [rule-id]')");
      }
      counts.merge(new Identity(m.group(1), m.group(6), m.group(5)), 1, Integer::sum);
    }
    return new Baseline(folderOf(file), counts);
  }

  /** A baseline of a report's violations, with paths relative to the working directory. */
  public static Baseline of(PolicyReport report) {
    Path root = Path.of("").toAbsolutePath();
    Map<Identity, Integer> counts = new HashMap<>();
    report.violations().forEach(v -> counts.merge(Identity.of(root, v), 1, Integer::sum));
    return new Baseline(root, counts);
  }

  /** Writes a report's violations as a baseline file, sorted, one a line. */
  public static void write(Path file, PolicyReport report) {
    Objects.requireNonNull(report, "report");
    Path root = folderOf(file);
    List<String> lines = new ArrayList<>();
    report.violations().forEach(v -> lines.add(line(root, v)));
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write baseline " + file + ": " + e.getMessage(), e);
    }
  }

  /** How many violations the baseline holds. */
  public int size() {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The report with baselined violations moved out of {@link PolicyReport#violations()}. */
  public PolicyReport apply(PolicyReport report) {
    Map<Identity, Integer> left = new HashMap<>(counts);
    List<Violation> remaining = new ArrayList<>();
    List<Violation> baselined = new ArrayList<>(report.baselined());
    for (Violation v : report.violations()) {
      Identity id = Identity.of(root, v);
      int n = left.getOrDefault(id, 0);
      if (n > 0) {
        left.put(id, n - 1);
        baselined.add(v);
      } else {
        remaining.add(v);
      }
    }
    return new PolicyReport(report.files(), remaining, report.rules(), report.suppressed(), baselined, report.scopes());
  }
}
