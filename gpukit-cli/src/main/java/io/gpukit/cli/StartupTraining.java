package io.gpukit.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run behind the distribution's class-data sharing archive: runs the commands users
 * run most, in one JVM, so that {@code -XX:DumpLoadedClassList} lists every class they load. The
 * build then dumps those classes into {@code lib/gpukit.jsa}, which {@code bin/gpukit} maps at
 * start instead of reading, verifying and linking them from the jar again on every run.
 *
 * <p>Not a command: {@code java -cp gpukit.jar io.gpukit.cli.StartupTraining [FOLDER]}, where
 * FOLDER is a GPU service to check (the bundled example); without one only the commands that need
 * no input run. It prints nothing and always exits 0: what the commands find does not matter here.
 */
final class StartupTraining {

  private StartupTraining() {}

  public static void main(String[] args) {
    Path service = args.length > 0 ? Path.of(args[0]) : null;
    for (List<String> command : commands(service)) {
      PrintWriter discard = new PrintWriter(Writer.nullWriter());
      GpuKitCommand.execute(discard, discard, command.toArray(String[]::new));
    }
  }

  /** The command lines, the one-file check (a pre-commit hook's) first. */
  static List<List<String>> commands(Path service) {
    List<List<String>> commands = new ArrayList<>();
    if (service != null && Files.isDirectory(service)) {
      String folder = service.toString();
      List<String> files = new ArrayList<>();
      for (String name : List.of("Dockerfile", "k8s/deployment.yaml", ".github/workflows/ci.yml", "promotion.yaml",
          "ROLLBACK.md")) {
        Path file = service.resolve(name);
        if (Files.isRegularFile(file)) {
          files.add(file.toString());
          commands.add(List.of("check", file.toString()));
        }
      }
      if (!files.isEmpty()) {
        List<String> all = new ArrayList<>(List.of("check"));
        all.addAll(files);
        commands.add(all);
      }
      commands.add(List.of("check", folder));
      commands.add(List.of("check", "--show-scope", folder));
      for (String format : List.of("json", "sarif", "junit")) {
        commands.add(List.of("check", "--format", format, folder));
      }
    }
    commands.add(List.of("check", service == null ? "no-such-folder" : service.resolve("no-such-file").toString()));
    commands.add(List.of("rules"));
    commands.add(List.of("explain", "dockerfile/final-stage-healthcheck"));
    commands.add(List.of("--version"));
    commands.add(List.of("--help"));
    commands.add(List.of("check", "--help"));
    return commands;
  }
}
