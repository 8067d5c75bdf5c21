package io.gpukit.core.policy;

import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.source.SourceParseException;
import io.gpukit.core.source.SourceProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks files against rules and applies, in order, the configuration's severities, inline
 * ignores, configured ignores and the baseline. Evaluating never throws: a file that cannot be
 * read or parsed becomes a {@code gpukit/parse-error} violation where parsing stopped, with a hint
 * that fits why ({@link io.gpukit.core.source.SourceProblem}: a syntax error is fixed there, a file
 * over the size limit was not read, an empty or non-UTF-8 file says so), and a rule that fails
 * becomes a {@code gpukit/internal-error} violation.
 *
 * <pre>{@code
 * PolicyEngine engine = PolicyEngine.with(GpuKitConfig.discover(repo));
 * PolicyReport report = engine.evaluate(repo.resolve("Dockerfile"), DockerfileKind.INSTANCE);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class PolicyEngine {

  private final GpuKitConfig config;
  private final Baseline baseline;

  private PolicyEngine(GpuKitConfig config, Baseline baseline) {
    this.config = Objects.requireNonNull(config, "config");
    this.baseline = Objects.requireNonNull(baseline, "baseline");
  }

  /** An engine with a configuration and no baseline. */
  public static PolicyEngine with(GpuKitConfig config) {
    return new PolicyEngine(config, Baseline.empty());
  }

  /** An engine with the default configuration. */
  public static PolicyEngine withDefaults() {
    return with(GpuKitConfig.defaults());
  }

  /** This engine with a baseline. */
  public PolicyEngine withBaseline(Baseline newBaseline) {
    return new PolicyEngine(config, newBaseline);
  }

  /** The configuration. */
  public GpuKitConfig config() {
    return config;
  }

  /** Reads, parses and checks one file. */
  public <T> PolicyReport evaluate(Path file, FileKind<T> kind) {
    SourceFile source;
    try {
      source = SourceFile.read(file);
    } catch (SourceParseException e) {
      return finish(file, List.of(parseError(e, e.problem(), kind)), kind, InlineSuppressions.none());
    }
    return evaluate(source, kind);
  }

  /** Parses and checks text already in memory. */
  public <T> PolicyReport evaluate(SourceFile source, FileKind<T> kind) {
    InlineSuppressions inline = InlineSuppressions.scan(source);
    T model;
    try {
      model = kind.parse(source);
    } catch (SourceParseException e) {
      SourceProblem problem =
          e.problem() == SourceProblem.SYNTAX && source.text().isBlank() ? SourceProblem.EMPTY : e.problem();
      return finish(source.path(), List.of(parseError(e, problem, kind)), kind, inline);
    } catch (RuntimeException e) {
      // A parser bug must not hide the file: report it where the file starts.
      Violation v =
          new Violation(
              BuiltInRules.INTERNAL_ERROR.id(),
              Severity.ERROR,
              SourceLocation.startOf(source.path()),
              "the " + kind.name() + " parser failed: " + e,
              "please report this as a gpukit bug, with the file that triggers it");
      return finish(source.path(), List.of(v), kind, inline);
    }
    return check(source.path(), model, kind, inline);
  }

  /** Checks a model that was parsed already (the inline ignores of {@code source} apply). */
  public <T> PolicyReport check(Path file, T model, FileKind<T> kind, InlineSuppressions inline) {
    List<Violation> raw = new ArrayList<>();
    SourceLocation start = SourceLocation.startOf(file);
    boolean notGpu = config.declaredGpu(file).equals(Optional.of(false));
    for (Rule<T> rule : kind.rules()) {
      if (notGpu && rule.descriptor().scope() == RuleScope.GPU) {
        continue; // gpu.not-paths (or the project view) says the file is not GPU: GPU rules leave it alone
      }
      raw.addAll(rule.check(model, start, config));
    }
    return finish(file, raw, kind, inline).withScopes(List.of(kind.scope(file, model, config)));
  }

  /**
   * What the configuration makes of one violation.
   *
   * @param violation the violation at its configured severity
   * @param suppressed whether an inline ignore or a {@code gpukit.yaml} ignore covers it
   */
  public record Judged(Violation violation, boolean suppressed) {}

  /**
   * Applies the configuration to a violation, wherever it was found (one file's rules or the
   * project view's cross-file rules): empty when its rule is turned off; else the violation at its
   * configured severity, suppressed when {@code inline} (the ignores of the file it points at) or
   * an ignore in the configuration covers it.
   */
  public Optional<Judged> judge(Violation violation, InlineSuppressions inline) {
    Optional<Severity> severity = config.severityOf(violation.ruleId(), violation.severity());
    if (severity.isEmpty()) {
      return Optional.empty(); // turned off in the configuration
    }
    Violation effective = violation.withSeverity(severity.get());
    boolean suppressed = inline.find(effective).isPresent()
        || config.ignoreFor(violation.ruleId(), violation.location().file()).isPresent();
    return Optional.of(new Judged(effective, suppressed));
  }

  private Violation parseError(SourceParseException e, SourceProblem problem, FileKind<?> kind) {
    return new Violation(
        BuiltInRules.PARSE_ERROR.id(),
        BuiltInRules.PARSE_ERROR.severity(),
        e.location(),
        e.reason(),
        parseErrorHint(problem, kind.name(), e.location().file(), e.reason()));
  }

  /** A hint that fits why the file could not be read or parsed. */
  private String parseErrorHint(SourceProblem problem, String kind, Path file, String reason) {
    String ignore = "ignore: [{rule: \"*\", paths: [\"" + config.relativize(file) + "\"], reason: ...}] in gpukit.yaml";
    return switch (problem) {
      case SYNTAX -> "fix the syntax at this location; gpukit checks nothing else in a file it cannot parse";
      case TOO_LARGE -> "gpukit did not read this file: it reads files of up to "
          + SourceFile.DEFAULT_MAX_BYTES / (1024 * 1024) + " MiB; "
          + (kind.equals("k8s") ? "split it into smaller files (kubectl apply -f takes a folder), or " : "")
          + "if it is generated or vendored, " + ignore;
      case BINARY -> "this is not a text file: if it is no " + describe(kind) + ", rename it or " + ignore;
      case NOT_UTF8 -> "save it as UTF-8, the encoding gpukit reads (as Docker, GitHub Actions and kubectl do): "
          + (reason.contains("UTF-16") ? "iconv -f UTF-16 -t UTF-8" : "iconv -f LATIN1 -t UTF-8 (if it is Latin-1)")
          + ", or Out-File -Encoding utf8 in PowerShell";
      case EMPTY -> "the file is empty: " + emptyFix(kind) + ", or delete it";
      case NOT_A_FILE -> "this is not a regular file (a folder, a FIFO, a socket or a device) but is named like a "
          + describe(kind) + ": rename it, or " + ignore;
      case MISSING -> "the file is gone, or a symbolic link points nowhere: fix or remove the link";
      case UNREADABLE -> "let the user running gpukit read the file (chmod a+r), or " + ignore;
    };
  }

  private static String describe(String kind) {
    return switch (kind) {
      case "dockerfile" -> "Dockerfile";
      case "workflow" -> "GitHub Actions workflow";
      case "k8s" -> "Kubernetes manifest";
      case "promotion" -> "promotion flow or runbook";
      default -> kind + " file";
    };
  }

  private static String emptyFix(String kind) {
    return switch (kind) {
      case "dockerfile" -> "write its stages (FROM …)";
      case "workflow" -> "give it 'on:' and 'jobs:'";
      case "promotion" -> "give it 'image_promotion_flow:' with its stages";
      default -> "write it";
    };
  }

  private <T> PolicyReport finish(Path file, List<Violation> raw, FileKind<T> kind, InlineSuppressions inline) {
    List<Violation> kept = new ArrayList<>();
    List<Violation> suppressed = new ArrayList<>();
    List<Violation> candidates = new ArrayList<>(raw);
    candidates.addAll(inline.missingReasons());
    for (Violation v : candidates) {
      judge(v, inline).ifPresent(j -> (j.suppressed() ? suppressed : kept).add(j.violation()));
    }
    List<RuleDescriptor> rules = new ArrayList<>();
    kind.rules().forEach(r -> rules.add(r.descriptor()));
    rules.addAll(BuiltInRules.ALL);
    PolicyReport report = new PolicyReport(List.of(file), kept, rules, suppressed, List.of());
    return baseline.apply(report);
  }
}
