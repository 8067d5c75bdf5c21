package io.gpukit.core.report;

import static org.owasp.encoder.Encode.forHtml;
import static org.owasp.encoder.Encode.forXmlAttribute;

import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link RolloutChart} as SVG: per step, a stacked bar of the pods (old Ready, new Ready,
 * new not Ready, new Pending) above a bar of the GPUs in use against the pool; a stall is marked on
 * the last step and named in the description. Colours are attributes, not classes, so the SVG
 * looks the same inline in a page and on its own.
 */
final class RolloutSvg {

  static final String OLD = "#6b7f99";
  static final String NEW_READY = "#2e9d5b";
  static final String NEW_UNREADY = "#e0a020";
  static final String PENDING = "#ffffff";
  static final String PENDING_STROKE = "#c2362b";
  static final String GPU = "#7a4fc0";
  static final String POOL = "#222222";

  private static final int LEFT = 44;
  private static final int TOP = 28;
  private static final int PODS_HEIGHT = 150;
  private static final int GAP = 34;
  private static final int GPUS_HEIGHT = 90;
  private static final int BOTTOM = 30;

  private RolloutSvg() {}

  /**
   * The chart as an {@code <svg>} element.
   *
   * @param chart the chart
   * @param id a document-unique prefix for the title and description ids
   * @param standalone whether to add the SVG namespace and XML declaration, for an {@code .svg} file
   */
  static String svg(RolloutChart chart, String id, boolean standalone) {
    List<RolloutChart.Step> steps = chart.steps();
    int n = Math.max(steps.size(), 1);
    int slot = Math.max(14, Math.min(48, 560 / n));
    int width = Math.max(LEFT + n * slot + 20, 420);
    int height = TOP + PODS_HEIGHT + GAP + GPUS_HEIGHT + BOTTOM;
    int maxPods = Math.max(1, steps.stream().mapToInt(RolloutChart.Step::pods).max().orElse(1));
    int maxUnits = Math.max(1, steps.stream().mapToInt(s -> Math.max(s.unitsInUse(), s.unitsInPool())).max().orElse(1));
    StringBuilder sb = new StringBuilder();
    if (standalone) {
      sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    sb.append("<svg").append(standalone ? " xmlns=\"http://www.w3.org/2000/svg\"" : "")
        .append(" class=\"chart\" role=\"img\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" aria-labelledby=\"").append(attr(id)).append("-t ").append(attr(id)).append("-d\"")
        .append(" font-family=\"sans-serif\" font-size=\"11\">\n");
    sb.append("<title id=\"").append(attr(id)).append("-t\">Rollout of ").append(text(chart.title())).append("</title>\n");
    sb.append("<desc id=\"").append(attr(id)).append("-d\">").append(text(describe(chart))).append("</desc>\n");
    sb.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" fill=\"#ffffff\"/>\n");
    int podsBase = TOP + PODS_HEIGHT;
    int gpusTop = podsBase + GAP;
    int gpusBase = gpusTop + GPUS_HEIGHT;
    axis(sb, podsBase, width);
    axis(sb, gpusBase, width);
    for (int i = 0; i < steps.size(); i++) {
      RolloutChart.Step s = steps.get(i);
      int x = LEFT + i * slot + 2;
      int w = slot - 4;
      boolean stalledHere = !chart.completes() && i == steps.size() - 1;
      sb.append("<g class=\"step").append(stalledHere ? " stalled" : "").append("\" data-step=\"").append(i).append("\">");
      sb.append("<title>").append(text(stepText(i, s, stalledHere, chart.replicas()))).append("</title>");
      int y = podsBase;
      y = bar(sb, x, y, w, s.oldReady(), maxPods, PODS_HEIGHT, OLD, null);
      y = bar(sb, x, y, w, s.newReady(), maxPods, PODS_HEIGHT, NEW_READY, null);
      y = bar(sb, x, y, w, s.newUnready(), maxPods, PODS_HEIGHT, NEW_UNREADY, null);
      bar(sb, x, y, w, s.newPending(), maxPods, PODS_HEIGHT, PENDING, PENDING_STROKE);
      if (s.lowestAvailable() < chart.replicas()) { // a dip below the desired replicas within the step
        int lowY = podsBase - scaled(s.lowestAvailable(), maxPods, PODS_HEIGHT);
        sb.append("<line x1=\"").append(x).append("\" y1=\"").append(lowY).append("\" x2=\"").append(x + w)
            .append("\" y2=\"").append(lowY).append("\" stroke=\"").append(PENDING_STROKE).append("\" stroke-width=\"2\"/>");
      }
      bar(sb, x, gpusBase, w, s.unitsInUse(), maxUnits, GPUS_HEIGHT, GPU, null);
      int poolY = gpusBase - scaled(s.unitsInPool(), maxUnits, GPUS_HEIGHT);
      sb.append("<line x1=\"").append(x - 2).append("\" y1=\"").append(poolY).append("\" x2=\"").append(x + w + 2)
          .append("\" y2=\"").append(poolY).append("\" stroke=\"").append(POOL).append("\" stroke-dasharray=\"3 2\"/>");
      if (stalledHere) {
        sb.append("<rect x=\"").append(x - 2).append("\" y=\"").append(TOP - 2).append("\" width=\"").append(w + 4)
            .append("\" height=\"").append(gpusBase - TOP + 4).append("\" fill=\"none\" stroke=\"").append(PENDING_STROKE)
            .append("\" stroke-width=\"2\"/>");
      }
      if (steps.size() <= 30 || i % 5 == 0) {
        sb.append("<text x=\"").append(x + w / 2).append("\" y=\"").append(gpusBase + 14)
            .append("\" text-anchor=\"middle\" fill=\"#333333\">").append(i).append("</text>");
      }
      sb.append("</g>\n");
    }
    // labels last, so that a stalled step's frame does not cover them
    label(sb, LEFT, TOP - 10, "pods (max " + maxPods + ")");
    label(sb, LEFT, gpusTop - 8, "GPUs in use (max " + maxUnits + ")"
        + (chart.resource().equals("nvidia.com/gpu") ? "" : ", in units of " + chart.resource()) + "; dashed: the pool");
    String end = chart.completes() ? "completes" : "DEADLOCK: stalls at step " + Math.max(0, steps.size() - 1);
    sb.append("<text x=\"").append(LEFT).append("\" y=\"").append(height - 4).append("\" fill=\"")
        .append(chart.completes() ? "#1d6b3c" : PENDING_STROKE).append("\" font-weight=\"bold\">step · ")
        .append(text(end)).append("</text>\n");
    sb.append("</svg>");
    return sb.toString();
  }

  /** One sentence of the whole chart, for its description. */
  static String describe(RolloutChart chart) {
    StringBuilder sb = new StringBuilder(setup(chart)).append(": ");
    if (chart.completes()) {
      sb.append("the rollout completes in ").append(Math.max(0, chart.steps().size() - 1)).append(" step(s)");
    } else {
      sb.append("the rollout deadlocks: ").append(chart.stall().orElse("it stalls"));
    }
    return sb.append('.').toString();
  }

  /** What rolls out on which pool, without the outcome. */
  static String setup(RolloutChart chart) {
    return chart.replicas() + " replica(s), " + chart.strategy() + ", " + chart.unitsPerPod() + " " + chart.resource()
        + " per pod, on " + chart.pool();
  }

  static String stepText(int i, RolloutChart.Step s, boolean stalled, int replicas) {
    return String.format(Locale.ROOT, "step %d: %d old Ready, %d new Ready, %d new not Ready, %d new Pending;"
            + " %d of %d GPUs in use%s", i, s.oldReady(), s.newReady(), s.newUnready(), s.newPending(),
        s.unitsInUse(), s.unitsInPool(), stalled ? "; stalled" : "")
        + (s.lowestAvailable() < replicas ? "; only " + s.lowestAvailable() + " Ready during the step" : "");
  }

  private static int bar(StringBuilder sb, int x, int base, int w, int count, int max, int height, String fill, String stroke) {
    if (count <= 0) {
      return base;
    }
    int h = Math.max(1, scaled(count, max, height));
    int y = base - h;
    sb.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(w).append("\" height=\"")
        .append(h).append("\" fill=\"").append(fill).append('"');
    if (stroke != null) {
      sb.append(" stroke=\"").append(stroke).append("\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"");
    }
    sb.append("/>");
    return y;
  }

  private static int scaled(int count, int max, int height) {
    return (int) Math.round((double) count * height / max);
  }

  private static void axis(StringBuilder sb, int y, int width) {
    sb.append("<line x1=\"").append(LEFT - 4).append("\" y1=\"").append(y).append("\" x2=\"").append(width - 10)
        .append("\" y2=\"").append(y).append("\" stroke=\"#999999\"/>\n");
  }

  private static void label(StringBuilder sb, int x, int y, String s) {
    sb.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" fill=\"#333333\">").append(text(s))
        .append("</text>\n");
  }

  private static String text(String s) {
    return forHtml(s);
  }

  private static String attr(String s) {
    return forXmlAttribute(s);
  }
}
