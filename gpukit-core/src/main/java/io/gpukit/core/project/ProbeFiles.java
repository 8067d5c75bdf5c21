package io.gpukit.core.project;

import io.gpukit.core.dockerfile.Add;
import io.gpukit.core.dockerfile.Copy;
import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.Instruction;
import io.gpukit.core.dockerfile.Run;
import io.gpukit.core.dockerfile.Stage;
import io.gpukit.core.dockerfile.StageView;
import io.gpukit.core.dockerfile.Workdir;
import io.gpukit.core.internal.ShellCommands;
import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The files a gpukit-probe command names and cannot run without, and whether an image provides
 * them; for {@code project/probe-files-in-image}.
 *
 * <p>A command names its jar ({@code -jar P}, or a {@code gpukit-probe} jar on {@code -cp}) and
 * the probe's JNI library loaded as a JVM agent ({@code -agentpath:P}); the JVM exits 1 when either
 * is missing. Only absolute paths without variables are judged: a relative one depends on the
 * container's working folder.
 *
 * <p>An image provides a path when a {@code COPY} or {@code ADD} of its final stage (or of the
 * stages it builds on) puts a file or folder there, or when a {@code RUN} names the path; for the
 * agent, a {@code RUN} naming its folder counts too, since {@code --cds-training} with {@code
 * -Dorg.bytedeco.javacpp.cachedir=DIR} makes {@code DIR/libgpukitprobe.so}. What the base image
 * holds cannot be seen, so an image is only judged when it installs the probe's jar itself.
 */
final class ProbeFiles {

  /** The file a command needs: what it is, for messages, and where. */
  record Needed(String what, String path) {}

  /** One image's final stage, as far as the probe's files go. */
  record Image(Dockerfile dockerfile, List<Placed> placed, List<String> runs) {

    /** Where a COPY or ADD put something, resolved against the WORKDIR then. */
    record Placed(String destination, SourceLocation location, boolean probeJar) {}

    /** Whether the stage copies a gpukit-probe jar in. */
    boolean installsTheProbe() {
      return placed.stream().anyMatch(Placed::probeJar);
    }

    /** Where the probe's jar was copied to, for hints. */
    Optional<Placed> probeJar() {
      return placed.stream().filter(Placed::probeJar).findFirst();
    }

    boolean provides(Needed needed) {
      String path = needed.path();
      for (Placed p : placed) {
        if (path.equals(p.destination()) || path.startsWith(p.destination() + "/")
            || p.destination().equals("/")) {
          return true;
        }
      }
      String folder = parent(path);
      for (String run : runs) {
        if (mentions(run, path) || (needed.what().equals(AGENT) && folder.length() > 1 && mentions(run, folder))) {
          return true;
        }
      }
      return false;
    }

    String where() {
      return SourceLocation.renderPath(dockerfile.path());
    }
  }

  static final String JAR = "jar";
  static final String AGENT = "-agentpath library";

  private ProbeFiles() {}

  /** The final stage of {@code dockerfile}, with the stages it builds on (earliest first). */
  static Image image(Dockerfile dockerfile) {
    List<Stage> lineage = new ArrayList<>(StageView.lineage(dockerfile, dockerfile.finalStage()));
    Collections.reverse(lineage);
    List<Image.Placed> placed = new ArrayList<>();
    List<String> runs = new ArrayList<>();
    for (Stage stage : lineage) {
      String workdir = "/";
      for (Instruction i : stage.instructions()) {
        if (i instanceof Workdir w) {
          workdir = resolve(workdir, w.path());
        } else if (i instanceof Copy c) {
          placed.add(new Image.Placed(resolve(workdir, c.destination()), c.location(),
              isProbeJar(c.sources(), c.destination())));
        } else if (i instanceof Add a) {
          placed.add(new Image.Placed(resolve(workdir, a.destination()), a.location(),
              isProbeJar(a.sources(), a.destination())));
        } else if (i instanceof Run r) {
          runs.add(r.commandLine());
        }
      }
    }
    return new Image(dockerfile, List.copyOf(placed), List.copyOf(runs));
  }

  /**
   * The files a probe command needs, when it runs the gpukit probe through {@code java} (exec form,
   * or a shell line whose first command is {@code java}); else none.
   */
  static List<Needed> needed(List<String> argv) {
    if (!ProbeProgram.ofArgv(argv).map(p -> p.name().equals(ProbeProgram.GPUKIT_PROBE)).orElse(false)) {
      return List.of();
    }
    List<String> words = javaWords(argv);
    List<Needed> out = new ArrayList<>();
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i);
      if (w.equals("-jar") && i + 1 < words.size()) {
        add(out, JAR, words.get(i + 1));
        break;
      } else if (w.startsWith("-agentpath:")) {
        String path = w.substring("-agentpath:".length());
        int eq = path.indexOf('=');
        add(out, AGENT, eq >= 0 ? path.substring(0, eq) : path);
      } else if ((w.equals("-cp") || w.equals("-classpath") || w.equals("--class-path")) && i + 1 < words.size()) {
        for (String entry : words.get(++i).split(":")) {
          if (baseName(entry).startsWith(ProbeProgram.GPUKIT_PROBE) && entry.endsWith(".jar")) {
            add(out, JAR, entry);
          }
        }
      } else if (!w.startsWith("-")) {
        break;
      }
    }
    return out;
  }

  private static void add(List<Needed> out, String what, String path) {
    if (path.startsWith("/") && !path.contains("$") && !path.contains("*")) {
      out.add(new Needed(what, normalise(path)));
    }
  }

  /** The words of the {@code java} command: the argv itself, or the first java command of a shell line. */
  private static List<String> javaWords(List<String> argv) {
    int c = argv.indexOf("-c");
    if (!argv.isEmpty() && Set.of("sh", "bash", "dash", "ash").contains(baseName(argv.get(0)))
        && c >= 0 && c + 1 < argv.size()) {
      for (ShellCommands.Simple command : ShellCommands.split(argv.get(c + 1))) {
        List<String> words = withoutPrefixes(command.words());
        if (!words.isEmpty() && isJava(words.get(0))) {
          return words;
        }
      }
      return List.of();
    }
    return withoutPrefixes(argv);
  }

  private static List<String> withoutPrefixes(List<String> words) {
    int i = 0;
    while (i < words.size() && (Set.of("exec", "env", "nice", "nohup", "command").contains(words.get(i))
        || words.get(i).matches("[A-Za-z_][A-Za-z0-9_]*=.*"))) {
      i++;
    }
    List<String> rest = words.subList(i, words.size());
    return !rest.isEmpty() && isJava(rest.get(0)) ? rest : List.of();
  }

  private static boolean isJava(String word) {
    String base = baseName(word);
    return base.equals("java") || base.equals("java.exe");
  }

  private static boolean isProbeJar(List<String> sources, String destination) {
    for (String s : sources) {
      String base = baseName(s);
      if (base.startsWith(ProbeProgram.GPUKIT_PROBE) && base.endsWith(".jar")) {
        return true;
      }
    }
    String base = baseName(destination);
    return base.startsWith(ProbeProgram.GPUKIT_PROBE) && base.endsWith(".jar");
  }

  /** Whether {@code text} names {@code path} as a whole path (not as the start of a longer one). */
  static boolean mentions(String text, String path) {
    int from = 0;
    while (true) {
      int at = text.indexOf(path, from);
      if (at < 0) {
        return false;
      }
      int end = at + path.length();
      boolean startOk = at == 0 || !isPathChar(text.charAt(at - 1));
      boolean endOk = end == text.length() || !isPathChar(text.charAt(end)) || text.charAt(end) == '/';
      if (startOk && endOk) {
        return true;
      }
      from = at + 1;
    }
  }

  private static boolean isPathChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '/';
  }

  /** {@code path} against the working folder {@code workdir}, normalised, without a trailing slash. */
  static String resolve(String workdir, String path) {
    String p = path.startsWith("/") ? path : (workdir.endsWith("/") ? workdir : workdir + "/") + path;
    return normalise(p);
  }

  private static String normalise(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(part);
      }
    }
    return "/" + String.join("/", parts);
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  private static String baseName(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
