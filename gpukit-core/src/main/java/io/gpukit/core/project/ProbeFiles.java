package io.gpukit.core.project;

import io.gpukit.core.dockerfile.Add;
import io.gpukit.core.dockerfile.Arg;
import io.gpukit.core.dockerfile.ArgDef;
import io.gpukit.core.dockerfile.Copy;
import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.Env;
import io.gpukit.core.dockerfile.Heredoc;
import io.gpukit.core.dockerfile.Instruction;
import io.gpukit.core.dockerfile.KeyValue;
import io.gpukit.core.dockerfile.Run;
import io.gpukit.core.dockerfile.Stage;
import io.gpukit.core.dockerfile.StageView;
import io.gpukit.core.dockerfile.Workdir;
import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * stages it builds on) puts it there: a file source copied into a folder lands at the folder plus
 * its name, a folder, a glob or an archive {@code ADD} unpacks may hold anything under the
 * destination. {@code ARG} defaults and {@code ENV} values are substituted and quotes removed; what
 * stays unknown (a variable without a value, a relative destination before any {@code WORKDIR})
 * provides the paths that end the way its known part does. A {@code RUN} (heredocs included)
 * naming the path provides it too; for the agent, so does a {@code RUN} naming its folder, and
 * {@code --cds-training} with {@code -Dorg.bytedeco.javacpp.cachedir=DIR} (in the {@code RUN} or an
 * {@code ENV}, {@code DIR} resolved against the {@code WORKDIR}) makes {@code DIR/libgpukitprobe.so}.
 * What the base image holds cannot be seen, so an image is only judged when it copies the probe's
 * jar in itself.
 */
final class ProbeFiles {

  /** The file a command needs: what it is, for messages, and where. */
  record Needed(String what, String path) {}

  static final String JAR = "jar";
  static final String AGENT = "-agentpath library";

  private static final Pattern CACHEDIR = Pattern.compile("javacpp\\.cachedir=[\"']?([^\"'\\s]+)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+][^}]*)?}|\\$([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern ARCHIVE = Pattern.compile(".*\\.(tar|tar\\.gz|tgz|tar\\.bz2|tbz2|tar\\.xz|txz|tar\\.zst)$");

  /**
   * Where a COPY or ADD put something: a file at {@code path}, or anything under it ({@code
   * under}); with {@code suffix} set, the path is unknown and only that ending is.
   */
  record Placed(String path, boolean under, String suffix, SourceLocation location, boolean probeJar) {

    boolean provides(String needed) {
      if (suffix != null) {
        return suffix.isEmpty() || needed.endsWith("/" + suffix) || (under && needed.contains("/" + suffix + "/"));
      }
      return needed.equals(path) || (under && (path.equals("/") || needed.startsWith(path + "/")));
    }
  }

  /** A RUN's text (heredocs included) or an ENV's values, with the working folder then. */
  record Text(String text, String workdir, boolean run) {}

  /** One image's final stage, as far as the probe's files go. */
  record Image(Dockerfile dockerfile, List<Placed> placed, List<Text> texts) {

    /** Whether the stage copies a gpukit-probe jar in. */
    boolean installsTheProbe() {
      return placed.stream().anyMatch(Placed::probeJar);
    }

    /** Where the probe's jar was copied to, for hints. */
    Optional<Placed> probeJar() {
      return placed.stream().filter(p -> p.probeJar() && p.suffix() == null).findFirst();
    }

    boolean provides(Needed needed) {
      String path = needed.path();
      if (placed.stream().anyMatch(p -> p.provides(path))) {
        return true;
      }
      String folder = parent(path);
      boolean trains = texts.stream().anyMatch(t -> t.run() && t.text().contains("--cds-training"));
      for (Text t : texts) {
        if (t.run() && mentions(t.text(), path)) {
          return true;
        }
        if (!needed.what().equals(AGENT)) {
          continue;
        }
        if (t.run() && folder.length() > 1 && mentions(t.text(), folder)) {
          return true;
        }
        Matcher m = CACHEDIR.matcher(t.text());
        while (trains && m.find()) {
          String dir = m.group(1);
          if (dir.contains("$") || (!dir.startsWith("/") && t.workdir() == null)
              || resolve(t.workdir() == null ? "/" : t.workdir(), dir).equals(folder)) {
            return true;
          }
        }
      }
      return false;
    }

    String where() {
      return SourceLocation.renderPath(dockerfile.path());
    }
  }

  private ProbeFiles() {}

  /** The final stage of {@code dockerfile}, with the stages it builds on (earliest first). */
  static Image image(Dockerfile dockerfile) {
    List<Stage> lineage = new ArrayList<>(StageView.lineage(dockerfile, dockerfile.finalStage()));
    Collections.reverse(lineage);
    Map<String, String> vars = new HashMap<>();
    for (Arg arg : dockerfile.globalArgs()) {
      define(arg, vars);
    }
    List<Placed> placed = new ArrayList<>();
    List<Text> texts = new ArrayList<>();
    String workdir = null; // unknown until a WORKDIR: the base image's own
    for (Stage stage : lineage) {
      for (Instruction i : stage.instructions()) {
        if (i instanceof Arg a) {
          define(a, vars);
        } else if (i instanceof Env e) {
          StringBuilder values = new StringBuilder();
          for (KeyValue kv : e.pairs()) {
            String value = substitute(unquote(kv.value()), vars);
            vars.put(kv.key(), value);
            values.append(value).append('\n');
          }
          texts.add(new Text(values.toString(), workdir, false));
        } else if (i instanceof Workdir w) {
          String path = substitute(unquote(w.path()), vars);
          workdir = path.startsWith("/") ? normalise(path) : workdir == null ? null : resolve(workdir, path);
        } else if (i instanceof Copy c) {
          place(c.sources(), substitute(unquote(c.destination()), vars), workdir, c.location(), false, placed);
        } else if (i instanceof Add a) {
          place(a.sources(), substitute(unquote(a.destination()), vars), workdir, a.location(), true, placed);
        } else if (i instanceof Run r) {
          StringBuilder text = new StringBuilder(r.commandLine());
          for (Heredoc h : r.heredocs()) {
            text.append('\n').append(h.effectiveContent());
          }
          texts.add(new Text(substitute(text.toString(), vars), workdir, true));
        }
      }
    }
    return new Image(dockerfile, List.copyOf(placed), List.copyOf(texts));
  }

  private static void define(Arg arg, Map<String, String> vars) {
    for (ArgDef d : arg.definitions()) {
      d.defaultValue().ifPresent(v -> vars.put(d.name(), substitute(unquote(v), vars)));
    }
  }

  /** What a COPY or ADD of {@code sources} to {@code destination} places. */
  private static void place(List<String> sources, String destination, String workdir, SourceLocation location,
      boolean add, List<Placed> out) {
    boolean probeJar = sources.stream().anyMatch(s -> isProbeJar(ProbeProgram.baseName(s))) || isProbeJar(ProbeProgram.baseName(destination));
    boolean intoFolder = destination.endsWith("/") || sources.size() > 1;
    String known = destination.contains("$") ? null
        : destination.startsWith("/") ? normalise(destination)
        : workdir == null ? null : resolve(workdir, destination);
    if (!intoFolder) {
      if (known != null) {
        out.add(new Placed(known, true, null, location, probeJar));
      } else {
        out.add(new Placed(null, true, literalEnding(destination), location, probeJar));
      }
      return;
    }
    for (String source : sources) {
      String name = ProbeProgram.baseName(source.endsWith("/") ? source.substring(0, source.length() - 1) : source);
      boolean file = !source.endsWith("/") && name.contains(".") && !name.equals(".") && !name.equals("..")
          && !name.matches(".*[*?\\[].*") && !name.contains("$") && !(add && ARCHIVE.matcher(name).matches());
      if (known != null) {
        out.add(file ? new Placed(resolve(known, name), false, null, location, isProbeJar(name) || probeJar)
            : new Placed(known, true, null, location, probeJar));
      } else {
        out.add(new Placed(null, !file, file ? name : literalEnding(destination), location, probeJar));
      }
    }
  }

  /** The part of an unknown path after its last variable's folder: what a path there ends with. */
  private static String literalEnding(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    int dollar = p.lastIndexOf('$');
    int slash = p.indexOf('/', Math.max(dollar, 0));
    if (dollar < 0) {
      return p.startsWith("./") ? p.substring(2) : p;
    }
    return slash < 0 ? "" : p.substring(slash + 1);
  }

  private static boolean isProbeJar(String name) {
    return name.startsWith(ProbeProgram.GPUKIT_PROBE) && name.endsWith(".jar");
  }

  /**
   * The files a probe command needs, when it runs the gpukit probe through {@code java} (exec form,
   * or a shell line whose first command is {@code java}); else none.
   */
  static List<Needed> needed(List<String> argv) {
    if (!ProbeProgram.ofArgv(argv).map(p -> p.name().equals(ProbeProgram.GPUKIT_PROBE)).orElse(false)) {
      return List.of();
    }
    List<String> words = ProbeProgram.commandWords(argv);
    if (words.isEmpty() || !ProbeProgram.isJava(words.get(0))) {
      return List.of();
    }
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
          if (isProbeJar(ProbeProgram.baseName(entry))) {
            add(out, JAR, entry);
          }
        }
      } else if (ProbeProgram.JAVA_OPTIONS_WITH_VALUE.contains(w)) {
        i++;
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

  /** {@code ${NAME}} and {@code $NAME} with the values known; unknown ones are left as they are. */
  private static String substitute(String text, Map<String, String> vars) {
    if (!text.contains("$")) {
      return text;
    }
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      String value = vars.get(name);
      m.appendReplacement(out, Matcher.quoteReplacement(value != null && !value.contains("$") ? value : m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String unquote(String s) {
    String t = s.strip();
    if (t.length() >= 2 && (t.charAt(0) == '"' || t.charAt(0) == '\'') && t.charAt(t.length() - 1) == t.charAt(0)) {
      return t.substring(1, t.length() - 1);
    }
    return t;
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
}
