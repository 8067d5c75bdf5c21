package io.gpukit.core.report;

import static org.owasp.encoder.Encode.forHtml;
import static org.owasp.encoder.Encode.forHtmlAttribute;

import io.gpukit.core.policy.ArtifactScope;
import io.gpukit.core.policy.GpuEvidence;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceLocation;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link ReportFormat#HTML} writer: one self-contained page (inline CSS and SVG, no script, no
 * font or image from the network; a Content-Security-Policy that forbids fetching anything), which
 * reads the same with JavaScript off.
 *
 * <p>Sections: the summary and verdict against the fail threshold; the four layers per GPU image;
 * the rollout chart of each GPU Deployment and Argo Rollout, with the same numbers in a table; the
 * promotion flow as a stage diagram and the rollback commands; the findings grouped by file, each
 * with a few lines of its source (the line marked), message, hint and a link to its rule's
 * explanation; the GPU scope.
 * A report of findings only ({@link #write(PolicyReport, Writer)}) has the first, the findings and
 * the scope.
 *
 * <p>Every text from a file, a message or a hint goes through the OWASP Java Encoder for its
 * context (element content or attribute), so a value like {@code <script>} or {@code "><img
 * onerror=} is shown as text.
 *
 * @since 0.2.0
 */
public final class HtmlReportWriter implements ReportWriter {

  /** The page's Content-Security-Policy: nothing may be fetched, not even from the page's own folder. */
  public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

  private static final String CSS = """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
      header{background:#1b2a3a;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
      main{padding:8px 24px 32px;max-width:1200px}
      section{background:#fff;border:1px solid #d8dde3;border-radius:6px;padding:4px 16px 12px;margin:16px 0}
      h2{font-size:17px;margin:12px 0 8px}h3{font-size:15px;margin:14px 0 6px}
      table{border-collapse:collapse;width:100%;margin:6px 0 10px}caption{text-align:left;font-weight:600;padding:4px 0;color:#3a4654}
      th,td{border:1px solid #d8dde3;padding:4px 6px;text-align:left;vertical-align:top}th{background:#eef1f4}
      code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
      td code{word-break:break-all}
      pre.src{background:#f6f8fa;border:1px solid #e1e4e8;padding:4px 0;margin:4px 0;overflow-x:auto}
      pre.src span{display:block;padding:0 8px;white-space:pre}pre.src .hit{background:#fff1c2;font-weight:600}
      .verdict{display:inline-block;padding:2px 10px;border-radius:10px;font-weight:700;margin-left:8px}
      .pass{background:#d8f3e1;color:#1d6b3c}.fail{background:#fbdcd9;color:#8a1f16}
      .sev-error{color:#b42318;font-weight:700}.sev-warning{color:#9a6700;font-weight:700}.sev-info{color:#2457a6}
      .yes{color:#1d6b3c;font-weight:600}.no{color:#b42318;font-weight:600}.missing{color:#6b7280}
      .hint{color:#3a4654}.flow{display:flex;flex-wrap:wrap;gap:6px;list-style:none;padding:0;margin:6px 0}
      .flow li{border:2px solid #6b7f99;border-radius:6px;padding:6px 10px;background:#f3f6fa;min-width:120px}
      .flow li+li::before{content:"\\2192";margin:0 8px 0 -18px;color:#6b7f99;font-weight:700}
      .legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px;border:1px solid #888}
      .deadlock{color:#8a1f16;font-weight:700}.ok{color:#1d6b3c;font-weight:700}
      figure{margin:8px 0;overflow-x:auto}dt{font-weight:700;margin-top:8px}dd{margin-left:16px}
      """;

  @Override
  public void write(PolicyReport report, Writer out) throws IOException {
    write(HtmlReport.of(report), out);
  }

  /** Writes the full page, then flushes {@code out}; {@code out} is left open. */
  public void write(HtmlReport page, Writer out) throws IOException {
    out.write(new Page(page).render());
    out.flush();
  }

  /** Renders the full page to a string. */
  public String render(HtmlReport page) {
    StringWriter out = new StringWriter();
    try {
      write(page, out);
    } catch (IOException e) {
      throw new UncheckedIOException("a StringWriter cannot fail", e);
    }
    return out.toString();
  }

  /** A page with only one rollout chart and its table: what {@code gpukit rollout simulate --format html} prints. */
  public static String chartPage(RolloutChart chart) {
    StringBuilder sb = new StringBuilder();
    head(sb, "gpukit rollout: " + chart.title());
    sb.append("<header><h1>Rollout of ").append(forHtml(chart.title())).append("</h1></header>\n<main>\n");
    Page.rollout(sb, chart, "rollout-0");
    sb.append("</main>\n</body>\n</html>\n");
    return sb.toString();
  }

  /** The chart alone as an SVG document: what {@code gpukit rollout simulate --format svg} prints. */
  public static String chartSvg(RolloutChart chart) {
    return RolloutSvg.svg(chart, "rollout", true) + "\n";
  }

  private static void head(StringBuilder sb, String title) {
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CONTENT_SECURITY_POLICY).append("\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(forHtml(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
  }

  /** One rendering. */
  private static final class Page {
    private final HtmlReport page;
    private final PolicyReport report;
    private final Map<Violation, Integer> index = new HashMap<>();
    private final StringBuilder sb = new StringBuilder();

    Page(HtmlReport page) {
      this.page = page;
      this.report = page.report();
      List<Violation> all = report.violations();
      for (int i = 0; i < all.size(); i++) {
        index.putIfAbsent(all.get(i), i + 1);
      }
    }

    String render() {
      head(sb, "gpukit report");
      boolean fails = page.failOn().map(report::failsAt).orElse(false);
      sb.append("<header><h1>gpukit report <span class=\"verdict ").append(fails ? "fail\">FAIL" : "pass\">PASS")
          .append("</span></h1></header>\n<main>\n");
      summary(fails);
      if (!page.images().isEmpty()) {
        layers();
      }
      if (!page.rollouts().isEmpty()) {
        sb.append("<section id=\"rollouts\">\n<h2>Rollouts on the GPU pool</h2>\n");
        for (int i = 0; i < page.rollouts().size(); i++) {
          rollout(sb, page.rollouts().get(i), "rollout-" + i);
        }
        sb.append("</section>\n");
      }
      if (!page.promotions().isEmpty()) {
        promotions();
      }
      FindingsSection findings = new FindingsSection(sb, report, index);
      findings.findings();
      findings.rules();
      scope();
      sb.append("</main>\n</body>\n</html>\n");
      return sb.toString();
    }

    private void summary(boolean fails) {
      sb.append("<section id=\"summary\">\n<h2>Summary</h2>\n<p>").append(forHtml(report.summary())).append(". ");
      sb.append(page.failOn().map(s -> (fails ? "Fails" : "Passes") + " at --fail-on " + s.label() + ".")
          .orElse("--fail-on never: the check does not fail.")).append("</p>\n");
      sb.append("<table class=\"counts\">\n<caption>Findings by severity</caption>\n<thead><tr>");
      for (Severity s : Severity.values()) {
        sb.append("<th scope=\"col\">").append(s.label()).append("</th>");
      }
      sb.append("<th scope=\"col\">suppressed</th><th scope=\"col\">in baseline</th></tr></thead>\n<tbody><tr>");
      for (Severity s : Severity.values()) {
        sb.append("<td class=\"sev-").append(s.label()).append("\">").append(report.count(s)).append("</td>");
      }
      sb.append("<td>").append(report.suppressed().size()).append("</td><td>").append(report.baselined().size())
          .append("</td></tr></tbody>\n</table>\n</section>\n");
    }

    private void layers() {
      sb.append("<section id=\"layers\">\n<h2>The four layers: who asks whether the GPU works</h2>\n")
          .append("<p>The CI job on a GPU runner, the image's HEALTHCHECK and the pods' readiness, liveness and startup")
          .append(" probes should all run a probe that exercises the GPU, and the same one.</p>\n");
      for (HtmlReport.Layers image : page.images()) {
        sb.append("<table class=\"layers\">\n<caption>GPU image built by ").append(forHtml(image.image()))
            .append("</caption>\n<thead><tr><th scope=\"col\">Layer</th><th scope=\"col\">Where</th>")
            .append("<th scope=\"col\">Command</th><th scope=\"col\">Timing budget</th>")
            .append("<th scope=\"col\">Exercises the GPU?</th><th scope=\"col\">Agrees?</th>")
            .append("<th scope=\"col\">Findings</th></tr></thead>\n<tbody>\n");
        for (HtmlReport.Layer l : image.layers()) {
          sb.append("<tr class=\"layer\"><th scope=\"row\">").append(forHtml(l.place())).append("<br><small>")
              .append(forHtml(l.owner())).append("</small></th><td>").append(forHtml(l.where())).append("</td><td>")
              .append(l.command().isEmpty() ? "<span class=\"missing\">not written</span>" : "<code>" + forHtml(l.command()) + "</code>")
              .append("</td><td>").append(forHtml(l.budget())).append("</td><td>").append(exercise(l.gpu()))
              .append("</td><td class=\"").append(l.agrees() ? "yes" : "no").append("\">").append(forHtml(l.agreement()))
              .append("</td><td>");
          links(l.findings());
          sb.append("</td></tr>\n");
        }
        sb.append("</tbody>\n</table>\n");
      }
      sb.append("</section>\n");
    }

    private static String exercise(HtmlReport.Exercise e) {
      return switch (e) {
        case YES -> "<span class=\"yes\">yes</span>";
        case NO -> "<span class=\"no\">no</span>";
        case MISSING -> "<span class=\"missing\">missing</span>";
      };
    }

    private void links(List<Violation> findings) {
      List<String> out = new ArrayList<>();
      for (Violation v : findings) {
        Integer n = index.get(v);
        String label = forHtml(v.ruleId());
        out.add(n == null ? label : "<a href=\"#f-" + n + "\">" + label + "</a>");
      }
      sb.append(out.isEmpty() ? "none" : String.join("<br>", out));
    }

    static void rollout(StringBuilder sb, RolloutChart chart, String id) {
      sb.append("<h3 id=\"").append(forHtmlAttribute(id)).append("\">").append(forHtml(chart.title())).append(" <small>")
          .append(forHtml(chart.where())).append("</small></h3>\n");
      sb.append("<p>").append(forHtml(RolloutSvg.setup(chart))).append(".</p>\n");
      if (!chart.completes()) {
        sb.append("<p class=\"deadlock\">Deadlock: ").append(forHtml(chart.stall().orElse("the rollout stalls"))).append("</p>\n");
      } else {
        sb.append("<p class=\"ok\">The rollout completes.</p>\n");
      }
      if (chart.steps().isEmpty()) {
        return;
      }
      sb.append("<figure>\n").append(RolloutSvg.svg(chart, id, false)).append("\n<figcaption class=\"legend\">")
          .append(swatch(RolloutSvg.OLD, "old pod, Ready")).append(swatch(RolloutSvg.NEW_READY, "new pod, Ready"))
          .append(swatch(RolloutSvg.NEW_UNREADY, "new pod, not Ready")).append(swatch(RolloutSvg.PENDING, "new pod, Pending"))
          .append(swatch(RolloutSvg.GPU, "GPUs in use")).append("<span>dashed line: GPUs in the pool</span>")
          .append("</figcaption>\n</figure>\n");
      sb.append("<table class=\"steps\">\n<caption>").append(forHtml(chart.title()))
          .append(": pods and GPUs after each step</caption>\n<thead><tr><th scope=\"col\">Step</th>")
          .append("<th scope=\"col\">Old, Ready</th><th scope=\"col\">New, Ready</th><th scope=\"col\">New, not Ready</th>")
          .append("<th scope=\"col\">New, Pending</th><th scope=\"col\">GPUs in use</th><th scope=\"col\">GPUs in the pool</th><th scope=\"col\">Fewest Ready during the step</th>")
          .append("</tr></thead>\n<tbody>\n");
      for (int i = 0; i < chart.steps().size(); i++) {
        RolloutChart.Step s = chart.steps().get(i);
        sb.append("<tr><th scope=\"row\">").append(i).append(!chart.completes() && i == chart.steps().size() - 1 ? " (stalled)" : "")
            .append("</th><td>").append(s.oldReady()).append("</td><td>").append(s.newReady()).append("</td><td>")
            .append(s.newUnready()).append("</td><td>").append(s.newPending()).append("</td><td>").append(s.unitsInUse())
            .append("</td><td>").append(s.unitsInPool()).append("</td><td>").append(s.lowestAvailable()).append("</td></tr>\n");
      }
      sb.append("</tbody>\n</table>\n");
    }

    private static String swatch(String colour, String label) {
      return "<span><i style=\"background:" + colour + "\"></i>" + forHtml(label) + "</span>";
    }

    private void promotions() {
      sb.append("<section id=\"promotion\">\n<h2>Promotion and rollback</h2>\n");
      for (HtmlReport.Promotion p : page.promotions()) {
        sb.append("<h3>").append(forHtml(p.file())).append("</h3>\n");
        if (!p.stages().isEmpty()) {
          sb.append("<ol class=\"flow\" aria-label=\"stages of ").append(forHtmlAttribute(p.file())).append("\">\n");
          for (HtmlReport.Stage s : p.stages()) {
            sb.append("<li><strong>").append(forHtml(s.name())).append("</strong>");
            if (!s.env().isEmpty()) {
              sb.append("<br>env: ").append(forHtml(s.env()));
            }
            sb.append("<br>gate: ").append(s.gates().isEmpty() ? "none" : forHtml(String.join(", ", s.gates())));
            sb.append("<br>tags: ").append(s.tagPattern().isEmpty() ? "any" : "<code>" + forHtml(s.tagPattern()) + "</code>")
                .append("</li>\n");
          }
          sb.append("</ol>\n");
        }
        if (!p.commands().isEmpty()) {
          sb.append("<table class=\"commands\">\n<caption>Rollback commands of ").append(forHtml(p.file()))
              .append("</caption>\n<thead><tr><th scope=\"col\">Line</th><th scope=\"col\">Command</th>")
              .append("<th scope=\"col\">What gpukit checks</th></tr></thead>\n<tbody>\n");
          for (HtmlReport.Command c : p.commands()) {
            sb.append("<tr><th scope=\"row\">").append(forHtml(c.where())).append("</th><td><code>").append(forHtml(c.text()))
                .append("</code></td><td>").append(forHtml(c.check())).append("</td></tr>\n");
          }
          sb.append("</tbody>\n</table>\n");
        }
      }
      sb.append("</section>\n");
    }

    private void scope() {
      if (report.scopes().isEmpty()) {
        return;
      }
      sb.append("<section id=\"scope\">\n<h2>What gpukit treats as GPU</h2>\n<table class=\"scope\">\n")
          .append("<caption>GPU scope per file, with its evidence</caption>\n<thead><tr><th scope=\"col\">File</th>")
          .append("<th scope=\"col\">Kind</th><th scope=\"col\">GPU?</th><th scope=\"col\">Evidence</th></tr></thead>\n<tbody>\n");
      for (ArtifactScope s : report.scopes()) {
        sb.append("<tr><th scope=\"row\">").append(forHtml(SourceLocation.renderPath(s.file()))).append("</th><td>")
            .append(forHtml(s.kind())).append("</td><td>").append(s.gpu() ? "yes" : "no").append("</td><td>");
        List<String> ev = new ArrayList<>();
        for (GpuEvidence e : s.evidence()) {
          ev.add(forHtml(e.subject() + ": " + e.reason() + " (line " + e.location().line() + ")"));
        }
        s.note().ifPresent(n -> ev.add(forHtml(n)));
        sb.append(ev.isEmpty() ? "none" : String.join("<br>", ev)).append("</td></tr>\n");
      }
      sb.append("</tbody>\n</table>\n</section>\n");
    }
  }
}
