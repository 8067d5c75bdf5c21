package io.gpukit.cli;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.DockerfileJson;
import io.gpukit.core.dockerfile.Instruction;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.ManifestsJson;
import io.gpukit.core.source.SourceParseException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gpukit parse dockerfile FILE [--format json|text]}. */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    description = "Prints the model gpukit parses from a file, as BuildKit's parser would split it.")
final class ParseCommand implements Callable<Integer> {

  /** What can be parsed. */
  enum Kind {
    DOCKERFILE,
    K8S
  }

  /** Output formats. */
  enum Format {
    JSON,
    TEXT
  }

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KIND", description = "What the file is: dockerfile or k8s.")
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
    if (kind == Kind.K8S) {
      return parseManifests(out);
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

  private int parseManifests(PrintWriter out) {
    Manifests manifests;
    try {
      manifests = Manifests.parse(file);
    } catch (SourceParseException e) {
      spec.commandLine().getErr().println(GpuKitCommand.oneLine(e.getMessage()));
      return GpuKitCommand.FINDINGS;
    }
    if (format == Format.JSON) {
      out.print(ManifestsJson.toJson(manifests));
      out.println();
    } else {
      manifests.resources().forEach(r -> out.printf("%d %s %s%n", r.location().line(), r.apiVersion(), r.displayName()));
    }
    out.flush();
    return GpuKitCommand.OK;
  }
}
