package io.gpukit.core.report;

import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the HTML report shows: the findings, and what the project view read of the service
 * (the four places that ask whether the GPU works, the promotion flow, the rollouts).
 *
 * <pre>{@code
 * new HtmlReportWriter().write(ReportViews.html(GpuProject.scan(repo), Optional.of(Severity.ERROR)), out);
 * }</pre>
 *
 * @param report the findings
 * @param failOn the fail threshold the check ran under; empty for never
 * @param images the layers per GPU image
 * @param promotions the promotion flows and runbooks
 * @param rollouts the rollouts of the GPU Deployments
 * @since 0.2.0
 */
public record HtmlReport(
    PolicyReport report, Optional<Severity> failOn, List<Layers> images, List<Promotion> promotions,
    List<RolloutChart> rollouts) {

  /** Validates the fields and copies the lists. */
  public HtmlReport {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(failOn, "failOn");
    images = List.copyOf(images);
    promotions = List.copyOf(promotions);
    rollouts = List.copyOf(rollouts);
  }

  /** A report of findings only, failing at errors. */
  public static HtmlReport of(PolicyReport report) {
    return new HtmlReport(report, Optional.of(Severity.ERROR), List.of(), List.of(), List.of());
  }

  /**
   * The places that ask whether one GPU image can use its GPU.
   *
   * @param image the Dockerfile, e.g. {@code Dockerfile}
   * @param layers the CI job, the HEALTHCHECK and the containers' probes, in that order
   */
  public record Layers(String image, List<Layer> layers) {

    /** Validates the fields and copies the list. */
    public Layers {
      Objects.requireNonNull(image, "image");
      layers = List.copyOf(layers);
    }
  }

  /** Whether a layer's command exercises the GPU. */
  public enum Exercise {
    /** It runs a GPU probe or the GPU tests. */
    YES,
    /** It runs, but only asks a port, {@code nvidia-smi} or an unknown command. */
    NO,
    /** The layer is not written. */
    MISSING
  }

  /**
   * One place that asks whether the GPU works.
   *
   * @param place e.g. {@code CI GPU job}, {@code HEALTHCHECK}, {@code readinessProbe}
   * @param owner whose it is, e.g. {@code job 'gpu-tests'} or {@code Deployment/x container 'app'}
   * @param where its file and line; empty when missing
   * @param command what it runs, as written; empty when missing
   * @param budget its timing budget in words, e.g. {@code period 10s, timeout 3s, failureThreshold 3}
   * @param gpu whether it exercises the GPU
   * @param agreement {@code agrees}, or how it differs from the HEALTHCHECK
   * @param agrees whether it agrees with the other layers
   * @param findings the findings about it
   */
  public record Layer(
      String place, String owner, String where, String command, String budget, Exercise gpu,
      String agreement, boolean agrees, List<Violation> findings) {

    /** Validates the fields and copies the list. */
    public Layer {
      Objects.requireNonNull(place, "place");
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(where, "where");
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(budget, "budget");
      Objects.requireNonNull(gpu, "gpu");
      Objects.requireNonNull(agreement, "agreement");
      findings = List.copyOf(findings);
    }
  }

  /**
   * A promotion flow or runbook.
   *
   * @param file its path
   * @param stages its stages, in order; none for a runbook
   * @param commands its rollback commands, in order
   */
  public record Promotion(String file, List<Stage> stages, List<Command> commands) {

    /** Validates the fields and copies the lists. */
    public Promotion {
      Objects.requireNonNull(file, "file");
      stages = List.copyOf(stages);
      commands = List.copyOf(commands);
    }
  }

  /**
   * A promotion stage.
   *
   * @param name {@code stage}
   * @param env {@code env}, or empty
   * @param gates {@code gate}s
   * @param tagPattern {@code tag_pattern}, or empty
   */
  public record Stage(String name, String env, List<String> gates, String tagPattern) {

    /** Validates the fields and copies the list. */
    public Stage {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(env, "env");
      gates = List.copyOf(gates);
      Objects.requireNonNull(tagPattern, "tagPattern");
    }
  }

  /**
   * A rollback command.
   *
   * @param text the command as written
   * @param where its file and line
   * @param check what gpukit checks of it, e.g. {@code kubectl rollout undo deployment/x}, or
   *     {@code not a kubectl rollout}
   */
  public record Command(String text, String where, String check) {

    /** Validates the fields. */
    public Command {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(where, "where");
      Objects.requireNonNull(check, "check");
    }
  }
}
