package io.gpukit.cli;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.DockerfileJson;
import io.gpukit.core.dockerfile.Instruction;
import io.gpukit.core.source.SourceParseException;
import io.gpukit.core.workflow.Workflow;
import io.gpukit.core.workflow.WorkflowJson;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gpukit parse dockerfile|workflow FILE [--format json|text]}. */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    description = "Prints the model gpukit parses from a file, as BuildKit's parser would split it.")
final class ParseCommand implements Callable<Integer> {

  /** What can be parsed. */
  enum Kind {
    DOCKERFILE,
    WORKFLOW
  }

  /** Output formats. */
  enum Format {
    JSON,
    TEXT
  }

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KIND", description = "What the file is: dockerfile or workflow.")
  Kind kind;

  @Parameters(index = "1", paramLabel = "FILE", description = "The file to parse.")
  Path file;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
      description = "json or text (default: ${DEFAULT-VALUE}).")
  Format format;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.exists(file)) {
      throw new GpuKitCommand.UsageException("no such file: " + file);
    }
    if (Files.isDirectory(file)) {
      throw new GpuKitCommand.UsageException(file + " is a folder; name the file to parse");
    }
    if (kind == Kind.WORKFLOW) {
      return parseWorkflow(out);
    }
    Dockerfile dockerfile;
    try {
      dockerfile = Dockerfile.parse(file);
    } catch (SourceParseException e) {
      spec.commandLine().getErr().println(GpuKitCommand.oneLine(e.getMessage()));
      return GpuKitCommand.FINDINGS;
    }
    if (format == Format.JSON) {
      out.print(DockerfileJson.toJson(dockerfile));
      out.println();
    } else {
      for (Instruction ins : dockerfile.instructions()) {
        out.printf("%d-%d %s %s %s%n", ins.startLine(), ins.endLine(), ins.keyword(),
            ins.form().name().toLowerCase(java.util.Locale.ROOT), ins.args());
      }
    }
    out.flush();
    return GpuKitCommand.OK;
  }

  private int parseWorkflow(PrintWriter out) {
    Workflow workflow;
    try {
      workflow = Workflow.parse(file);
    } catch (SourceParseException e) {
      spec.commandLine().getErr().println(GpuKitCommand.oneLine(e.getMessage()));
      return GpuKitCommand.FINDINGS;
    }
    if (format == Format.JSON) {
      out.print(WorkflowJson.toJson(workflow));
      out.println();
    } else {
      workflow.jobs().forEach(j -> out.printf("%d %s runs-on=%s needs=%s steps=%d%n", j.location().line(), j.id(),
          j.runsOn().map(r -> r.written()).orElse("-"), j.needIds(), j.steps().size()));
    }
    out.flush();
    return GpuKitCommand.OK;
  }
}
