package io.gpukit.cli;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.DockerfileJson;
import io.gpukit.core.dockerfile.Instruction;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.ManifestsJson;
import io.gpukit.core.promotion.PromotionFlow;
import io.gpukit.core.promotion.PromotionJson;
import io.gpukit.core.source.SourceParseException;
import io.gpukit.core.workflow.Workflow;
import io.gpukit.core.workflow.WorkflowJson;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gpukit parse dockerfile|workflow|k8s|promotion FILE [--format json|text]}. */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    description = "Prints the model gpukit parses from a file, with locations (Dockerfiles as BuildKit's parser splits them).")
final class ParseCommand implements Callable<Integer> {

  /** What can be parsed. */
  enum Kind {
    DOCKERFILE,
    WORKFLOW,
    K8S,
    PROMOTION
  }

  /** Output formats. */
  enum Format {
    JSON,
    TEXT
  }

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KIND", description = "What the file is: dockerfile, workflow, k8s or promotion (a promotion flow or a ROLLBACK.md).")
  Kind kind;

  @Parameters(index = "1", paramLabel = "FILE", description = "The file to parse.")
  Path file;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
      description = "json or text (default: ${DEFAULT-VALUE}).")
  Format format;

  @Override
  public Integer call() {
    if (!Files.exists(file)) {
      throw new GpuKitCommand.UsageException("no such file: " + file);
    }
    if (Files.isDirectory(file)) {
      throw new GpuKitCommand.UsageException(file + " is a folder; name the file to parse");
    }
    return switch (kind) {
      case DOCKERFILE -> print(Dockerfile::parse, DockerfileJson::toJson, ParseCommand::dockerfileText);
      case WORKFLOW -> print(Workflow::parse, WorkflowJson::toJson, ParseCommand::workflowText);
      case K8S -> print(Manifests::parse, ManifestsJson::toJson, ParseCommand::manifestsText);
      case PROMOTION -> print(PromotionFlow::parse, PromotionJson::toJson, ParseCommand::promotionText);
    };
  }

  private <T> int print(Function<Path, T> parser, Function<T, String> json, BiConsumer<T, PrintWriter> text) {
    PrintWriter out = spec.commandLine().getOut();
    T model;
    try {
      model = parser.apply(file);
    } catch (SourceParseException e) {
      spec.commandLine().getErr().println(GpuKitCommand.oneLine(e.getMessage()));
      return GpuKitCommand.FINDINGS;
    }
    if (format == Format.JSON) {
      out.print(json.apply(model));
      out.println();
    } else {
      text.accept(model, out);
    }
    out.flush();
    return GpuKitCommand.OK;
  }

  private static void dockerfileText(Dockerfile dockerfile, PrintWriter out) {
    for (Instruction ins : dockerfile.instructions()) {
      out.printf("%d-%d %s %s %s%n", ins.startLine(), ins.endLine(), ins.keyword(),
          ins.form().name().toLowerCase(Locale.ROOT), ins.args());
    }
  }

  private static void workflowText(Workflow workflow, PrintWriter out) {
    workflow.jobs().forEach(j -> out.printf("%d %s runs-on=%s needs=%s steps=%d%n", j.location().line(), j.id(),
        j.runsOn().map(r -> r.written()).orElse("-"), j.needIds(), j.steps().size()));
  }

  private static void manifestsText(Manifests manifests, PrintWriter out) {
    manifests.resources().forEach(
        r -> out.printf("%d %s %s%n", r.location().line(), r.apiVersion(), r.displayName()));
  }

  private static void promotionText(PromotionFlow flow, PrintWriter out) {
    flow.stages().forEach(s -> out.printf("%d stage %s env=%s tag_pattern=%s gate=%s%n", s.location().line(), s.name(),
        s.env().orElse("-"), s.tagPattern().orElse("-"), s.gates().isEmpty() ? "-" : String.join(",", s.gates())));
    flow.rollbackCommands().forEach(c -> out.printf("%d rollback %s%s%n", c.location().line(), c.text(),
        c.kubectl().map(k -> "  [kubectl rollout " + k.action().word() + " " + k.resource()
            + k.namespace().map(ns -> " -n " + ns).orElse("") + "]").orElse("")));
  }
}
