package io.gpukit.core.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpukit.core.policy.ArtifactScope;
import io.gpukit.core.policy.GpuEvidence;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceLocation;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;

/**
 * The {@link ReportFormat#JSON} writer.
 *
 * <pre>{@code
 * {
 *   "files": 1,
 *   "violations": [
 *     {
 *       "ruleId": "dockerfile/final-stage-non-root",
 *       "severity": "error",
 *       "file": "docker/Dockerfile",
 *       "line": 12,
 *       "column": 1,
 *       "message": "the final stage runs as 'root'",
 *       "hint": "add 'USER 10001' before CMD"
 *     }
 *   ],
 *   "summary": { "error": 1, "warning": 0, "info": 0 },
 *   "suppressed": 0,
 *   "baselined": 0,
 *   "scope": [
 *     {
 *       "file": "docker/Dockerfile",
 *       "kind": "dockerfile",
 *       "gpu": true,
 *       "note": "",
 *       "evidence": [
 *         {
 *           "subject": "stage 'runtime'",
 *           "reason": "its base image 'nvidia/cuda:13.0.1-runtime-ubuntu24.04' is a CUDA image",
 *           "strength": "strong",
 *           "file": "docker/Dockerfile",
 *           "line": 9,
 *           "column": 1
 *         }
 *       ]
 *     }
 *   ]
 * }
 * }</pre>
 *
 * <p>Keys keep this order; {@code hint} is an empty string when there is none; file paths are as
 * given, with {@code /} separators.
 */
final class JsonReportWriter implements ReportWriter {

  static final ObjectMapper MAPPER =
      new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  static final ObjectWriter PRETTY = MAPPER.writer(prettyPrinter());

  private static DefaultPrettyPrinter prettyPrinter() {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    return new DefaultPrettyPrinter(separators)
        .withObjectIndenter(indenter)
        .withArrayIndenter(indenter);
  }

  @Override
  public void write(PolicyReport report, Writer out) throws IOException {
    writeTree(toJson(report), out);
  }

  /** Writes a tree pretty-printed, with a trailing newline, and flushes {@code out}. */
  static void writeTree(JsonNode tree, Writer out) throws IOException {
    out.write(PRETTY.writeValueAsString(tree));
    out.write('\n');
    out.flush();
  }

  static ObjectNode toJson(PolicyReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("files", report.files().size());
    ArrayNode violations = root.putArray("violations");
    for (Violation v : report.violations()) {
      ObjectNode node = violations.addObject();
      node.put("ruleId", v.ruleId());
      node.put("severity", v.severity().label());
      node.put("file", SourceLocation.renderPath(v.location().file()));
      node.put("line", v.location().line());
      node.put("column", v.location().column());
      node.put("message", v.message());
      node.put("hint", v.hint());
    }
    ObjectNode summary = root.putObject("summary");
    for (Map.Entry<Severity, Integer> e : report.countsBySeverity().entrySet()) {
      summary.put(e.getKey().label(), e.getValue());
    }
    root.put("suppressed", report.suppressed().size());
    root.put("baselined", report.baselined().size());
    ArrayNode scopes = root.putArray("scope");
    for (ArtifactScope scope : report.scopes()) {
      ObjectNode node = scopes.addObject();
      node.put("file", SourceLocation.renderPath(scope.file()));
      node.put("kind", scope.kind());
      node.put("gpu", scope.gpu());
      node.put("note", scope.note().orElse(""));
      ArrayNode evidence = node.putArray("evidence");
      for (GpuEvidence e : scope.evidence()) {
        ObjectNode ev = evidence.addObject();
        ev.put("subject", e.subject());
        ev.put("reason", e.reason());
        ev.put("strength", e.strength().name().toLowerCase(java.util.Locale.ROOT));
        ev.put("file", SourceLocation.renderPath(e.location().file()));
        ev.put("line", e.location().line());
        ev.put("column", e.location().column());
      }
    }
    return root;
  }
}
