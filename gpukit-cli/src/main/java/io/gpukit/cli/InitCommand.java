package io.gpukit.cli;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.workflow.JobTraits;
import io.gpukit.core.workflow.JobTraits.RunnerKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gpukit init [DIR]}: scaffolds a GPU service that {@code gpukit check} passes clean. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Scaffolds a GPU service that 'gpukit check' passes, without overwriting a file.",
      "Writes into DIR (default: the current folder; made when missing): a two-stage Dockerfile"
          + " (CUDA devel build, CUDA runtime final stage, non-root uid, a gpukit-probe HEALTHCHECK),"
          + " .github/workflows/ci.yml (gpukit check, build, GPU test on a GPU runner, push gated on main),"
          + " k8s/deployment.yaml (GPU limits, readiness and liveness probes, maxSurge 1 / maxUnavailable 0),"
          + " promotion.yaml, ROLLBACK.md and gpukit.yaml.",
      "It never overwrites a file: one that exists is left alone and listed."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the scaffold is written (files that existed are left alone, and listed)",
      "1:nothing written: every file of the scaffold exists in DIR",
      "2:usage error (a bad option; DIR is a file; a file cannot be written: those written before it are listed)",
      "3:internal error (a gpukit bug; please report it)"
    })
final class InitCommand implements Callable<Integer> {

  /** The longest name: {@code <name>-staging}, a namespace, must still be a DNS-1123 label (63). */
  static final int MAX_NAME = 55;

  /** The image repository when {@code --image} is not given: a placeholder a user must change to push. */
  static final String DEFAULT_REGISTRY = "registry.example.com";

  /** The release of gpukit's GitHub Action the workflow uses when this build has no release version. */
  static final String DEFAULT_ACTION_REF = "v0.1.0";

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** A Docker repository: an optional registry host (and port), then lowercase path components. */
  private static final Pattern REPOSITORY = Pattern.compile(
      "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]+)?/)?"
          + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

  private static final Pattern RUNNER_LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /** Runner labels that say where a runner is, never that it has a GPU. */
  private static final Set<String> GENERIC_LABELS = Set.of("self-hosted", "linux", "windows", "macos", "x64", "x86", "arm64", "arm");

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", arity = "0..1", description = "The folder to scaffold into (default: .).")
  Path dir;

  @Option(names = "--name", paramLabel = "NAME",
      description = "The service: its Deployment, container, image and namespaces (NAME-dev, NAME-staging, NAME-prod)"
          + " are named after it (default: DIR's name). A DNS-1123 label of at most " + MAX_NAME + " characters:"
          + " lowercase letters, digits and '-'.")
  String name;

  @Option(names = "--image", paramLabel = "REPOSITORY",
      description = "The image repository CI pushes to and the Deployment runs, without a tag, e.g. ghcr.io/acme/llm"
          + " (default: " + DEFAULT_REGISTRY + "/NAME, to be changed before the first push).")
  String image;

  @Option(names = "--gpus", paramLabel = "N", defaultValue = "1",
      description = "GPUs per pod: the container's nvidia.com/gpu limit (default: ${DEFAULT-VALUE}).")
  int gpus;

  @Option(names = "--runner", paramLabel = "LABELS", defaultValue = "self-hosted,gpu",
      description = "The labels of the GPU runner the GPU test runs on, comma-separated (default: ${DEFAULT-VALUE})."
          + " Labels gpukit does not know as GPU labels are declared under gpu.runner-labels in gpukit.yaml.")
  String runner;

  @Option(names = "--dry-run", description = "Print each file and its content; write nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    Path target = dir == null ? Path.of(".") : dir;
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new GpuKitCommand.UsageException(target + " is a file, not a folder to scaffold into");
    }
    String service = serviceName(target);
    String repository = repository(service);
    if (gpus < 1) {
      throw new GpuKitCommand.UsageException("--gpus " + gpus + ": a GPU pod needs at least 1 GPU");
    }
    List<String> labels = runnerLabels();
    List<String> undeclared = undeclaredGpuLabels(labels);
    Scaffold scaffold = Scaffold.of(Map.of(
        "name", service,
        "image", repository,
        "gpus", Integer.toString(gpus),
        "runner", "[" + String.join(", ", labels) + "]",
        "gpukit-ref", actionRef(),
        "gpu-runner-labels", runnerLabelsConfig(labels, undeclared)));

    List<Scaffold.File> missing = scaffold.files().stream()
        .filter(f -> !Files.exists(target.resolve(f.path()), LinkOption.NOFOLLOW_LINKS))
        .toList();
    writeOrPrint(target, scaffold, missing);
    PrintWriter err = spec.commandLine().getErr();
    if (missing.isEmpty()) {
      err.println("gpukit: nothing " + (dryRun ? "would be " : "") + "written: every file of the scaffold exists in "
          + target + " (gpukit init never overwrites a file)");
      err.flush();
      return GpuKitCommand.FINDINGS;
    }
    if (image == null) {
      err.println("gpukit: note: the image is " + repository + ", a placeholder: pass --image (e.g. ghcr.io/<owner>/"
          + service + ") to name the registry and repository CI pushes to");
    }
    if (!undeclared.isEmpty()) {
      err.println("gpukit: note: gpukit.yaml declares " + quoted(undeclared) + " under gpu.runner-labels, so that gpukit"
          + " knows the runner as a GPU runner");
    }
    err.flush();
    return GpuKitCommand.OK;
  }

  /** Writes the missing files and lists every file, or, for a dry run, prints them. */
  private void writeOrPrint(Path target, Scaffold scaffold, List<Scaffold.File> missing) {
    PrintWriter out = spec.commandLine().getOut();
    for (Scaffold.File file : scaffold.files()) {
      boolean exists = !missing.contains(file);
      if (dryRun) {
        out.println("=== " + file.path() + (exists ? " (exists: would be left alone)" : ""));
        out.print(exists ? "" : file.text());
      } else if (exists) {
        out.println("left alone " + file.path() + ": it exists");
      } else {
        write(target, file, scaffold.files().subList(0, scaffold.files().indexOf(file)), missing);
        out.println("wrote " + file.path());
      }
      out.flush();
    }
    if (!dryRun && !missing.isEmpty()) {
      out.println();
      out.println(missing.size() + " of " + scaffold.files().size() + " files written into " + target
          + ". Next: put gpukit-probe.jar next to the Dockerfile and your build in its build stage (see its comments),"
          + " then run 'gpukit check " + target + "'.");
      out.flush();
    }
  }

  /** Writes a file that does not exist; never replaces one, not even one that appeared meanwhile. */
  private static void write(Path target, Scaffold.File file, List<Scaffold.File> before, List<Scaffold.File> missing) {
    Path path = target.resolve(file.path());
    List<Scaffold.File> written = before.stream().filter(missing::contains).toList();
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(path, file.text(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      boolean inTheWay = e.getFile() != null && !Path.of(e.getFile()).equals(path);
      throw new GpuKitCommand.UsageException("cannot write " + file.path() + ": "
          + (inTheWay ? e.getFile() + " is a file, not a folder" : "it appeared while gpukit init ran, and is left alone")
          + writtenSoFar(written));
    } catch (AccessDeniedException e) {
      throw new GpuKitCommand.UsageException("cannot write " + file.path() + ": permission denied" + writtenSoFar(written));
    } catch (FileSystemException e) {
      throw new GpuKitCommand.UsageException("cannot write " + file.path() + ": "
          + Optional.ofNullable(e.getReason()).orElse(e.getMessage()) + writtenSoFar(written));
    } catch (IOException e) {
      throw new GpuKitCommand.UsageException("cannot write " + file.path() + ": " + e.getMessage() + writtenSoFar(written));
    }
  }

  private static String writtenSoFar(List<Scaffold.File> written) {
    return written.isEmpty() ? "" : " (written before it: "
        + written.stream().map(Scaffold.File::path).collect(Collectors.joining(", ")) + ")";
  }

  /** {@code --name}, else the folder's name, as a DNS-1123 label. */
  private String serviceName(Path target) {
    if (name != null) {
      String problem = labelProblem(name);
      if (problem != null) {
        throw new GpuKitCommand.UsageException("--name '" + name + "' " + problem + suggestion(name));
      }
      return name;
    }
    Path folder = target.toAbsolutePath().normalize().getFileName();
    if (folder == null) {
      throw new GpuKitCommand.UsageException("the folder " + target.toAbsolutePath().normalize() + " has no name to name the service after: pass --name");
    }
    String fromFolder = folder.toString();
    String problem = labelProblem(fromFolder);
    if (problem != null) {
      throw new GpuKitCommand.UsageException("the service is named after its folder, and '" + fromFolder + "' " + problem
          + ": pass --name" + suggestion(fromFolder).replace("; e.g. --name", ""));
    }
    return fromFolder;
  }

  /** Why a name is not a DNS-1123 label of at most {@link #MAX_NAME} characters; null when it is one. */
  static String labelProblem(String candidate) {
    if (!DNS_LABEL.matcher(candidate).matches()) {
      return "is not a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit),"
          + " which Kubernetes requires of the Deployment, container and namespaces named after it";
    }
    if (candidate.length() > MAX_NAME) {
      return "is " + candidate.length() + " characters long; at most " + MAX_NAME + " keep '" + candidate
          + "-staging' a namespace name (63)";
    }
    return null;
  }

  /** A label close to a rejected name, if one can be made: {@code My_Service} gives {@code my-service}. */
  private static String suggestion(String rejected) {
    String s = rejected.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (s.length() > MAX_NAME) {
      s = s.substring(0, MAX_NAME).replaceAll("-+$", "");
    }
    return s.isEmpty() || labelProblem(s) != null ? "" : "; e.g. --name " + s;
  }

  private String repository(String service) {
    if (image == null) {
      return DEFAULT_REGISTRY + "/" + service;
    }
    String repo = image.strip();
    if (repo.contains("@") || repo.substring(repo.lastIndexOf('/') + 1).contains(":")) {
      throw new GpuKitCommand.UsageException("--image '" + image + "': give the repository without a tag or digest"
          + " (CI tags each build sha-<commit>, and promotion.yaml promotes those tags)");
    }
    if (!REPOSITORY.matcher(repo).matches()) {
      throw new GpuKitCommand.UsageException("--image '" + image + "' is not an image repository: an optional registry"
          + " host, then lowercase path components (letters, digits, '.', '_', '-'), e.g. ghcr.io/acme/" + service);
    }
    return repo;
  }

  private List<String> runnerLabels() {
    String written = runner.strip();
    if (written.startsWith("[") && written.endsWith("]")) {
      written = written.substring(1, written.length() - 1);
    }
    List<String> labels = Arrays.stream(written.split(","))
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .distinct()
        .toList();
    if (labels.isEmpty()) {
      throw new GpuKitCommand.UsageException("--runner '" + runner + "' names no label; e.g. --runner self-hosted,gpu");
    }
    for (String label : labels) {
      if (!RUNNER_LABEL.matcher(label).matches()) {
        throw new GpuKitCommand.UsageException("--runner: '" + label + "' is not a runner label gpukit init writes"
            + " (letters, digits, '.', '_', '-'; labels separated by commas, e.g. --runner self-hosted,gpu)");
      }
    }
    return labels;
  }

  /**
   * The labels that gpukit.yaml must declare as GPU labels: none when gpukit already reads one of them as
   * a GPU label; else those that are not generic ({@code self-hosted}, {@code linux}, {@code x64}…).
   */
  private List<String> undeclaredGpuLabels(List<String> labels) {
    RunnerKind kind = JobTraits.runnerKind(labels, Optional.empty(), GpuKitConfig.defaults());
    if (kind == RunnerKind.GPU) {
      return List.of();
    }
    if (kind == RunnerKind.GITHUB_HOSTED) {
      throw new GpuKitCommand.UsageException("--runner '" + runner + "' is a GitHub-hosted runner, which has no GPU:"
          + " name the labels of your GPU runners, e.g. --runner self-hosted,gpu");
    }
    List<String> specific = labels.stream().filter(l -> !GENERIC_LABELS.contains(l.toLowerCase(Locale.ROOT))).toList();
    if (specific.isEmpty()) {
      throw new GpuKitCommand.UsageException("--runner '" + runner + "' has no label that picks a GPU runner out"
          + " (" + String.join(", ", labels) + " fit any runner): add your GPU runners' own label, e.g. --runner "
          + String.join(",", labels) + ",gpu");
    }
    return specific;
  }

  /** The {@code gpu:} block of gpukit.yaml for labels gpukit does not know, or nothing. */
  private static String runnerLabelsConfig(List<String> labels, List<String> undeclared) {
    if (undeclared.isEmpty()) {
      return "";
    }
    String patterns = undeclared.stream().map(l -> "'" + l.replace(".", "[.]") + "'").collect(Collectors.joining(", "));
    return "# The GPU test runs on [" + String.join(", ", labels) + "]: these labels mean a GPU runner\n"
        + "# (regular expressions, added to the GPU labels gpukit knows).\ngpu:\n  runner-labels: [" + patterns + "]";
  }

  private static String quoted(List<String> labels) {
    return labels.stream().map(l -> "'" + l + "'").collect(Collectors.joining(", "));
  }

  /** The release tag of gpukit's Action that matches this build: {@code v0.1.0} for 0.1.0 and 0.1.0-SNAPSHOT. */
  static String actionRef() {
    String version = InitCommand.class.getPackage().getImplementationVersion();
    if (version == null || !version.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?")) {
      return DEFAULT_ACTION_REF;
    }
    return "v" + version.replace("-SNAPSHOT", "");
  }
}
