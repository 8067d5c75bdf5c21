package io.gpukit.core.dockerfile;

import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.source.SourceParseException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Parses Dockerfiles with BuildKit's semantics: its parser ({@code frontend/dockerfile/parser}) for
 * directives, continuations, heredocs and argument splitting, and the checks of its instruction
 * layer ({@code frontend/dockerfile/instructions}) for what each keyword accepts.
 *
 * <p>Every failure is a {@link SourceParseException} at the line and column where the input went
 * wrong. The work is linear in the size of the input.
 *
 * @since 0.1.0
 */
public final class DockerfileParser {

  /**
   * BuildKit reads lines with Go's {@code bufio.Scanner}, whose default buffer is 64 KiB; a longer
   * line is an error there, and bounding it here keeps hostile input cheap.
   */
  static final int MAX_LINE_BYTES = 64 * 1024;

  private static final Set<String> VALID_DIRECTIVES = Set.of("syntax", "escape", "check");
  private static final Set<String> HEREDOC_COMMANDS = Set.of("run", "copy", "add");

  private final SourceFile file;
  private final Path path;
  private final List<String> lines = new ArrayList<>();
  private final List<Boolean> terminated = new ArrayList<>();

  private char escape = '\\';
  private boolean directivesDone;
  private final Set<String> seenDirectives = new HashSet<>();
  private final List<Directive> directives = new ArrayList<>();

  private DockerfileParser(SourceFile file) {
    this.file = file;
    this.path = file.path();
  }

  /**
   * Parses a Dockerfile.
   *
   * @param file the file's text
   * @return the parsed file, with at least one stage
   * @throws SourceParseException at the failing location when BuildKit would reject the file
   */
  public static Dockerfile parse(SourceFile file) {
    return new DockerfileParser(file).run();
  }

  /**
   * Runs only BuildKit's parser ({@code parser.Parse}), not its instruction layer: the syntax tree
   * of every instruction, unknown keywords and unchecked flags included, as BuildKit's parser
   * tests dump it.
   *
   * @throws SourceParseException where BuildKit's parser itself fails
   */
  static List<RawNode> syntax(SourceFile file) {
    DockerfileParser parser = new DockerfileParser(file);
    parser.split(file.text());
    List<Statement> statements = parser.scan();
    if (statements.isEmpty()) {
      throw new SourceParseException(
          parser.at(Math.max(1, parser.lines.size()), 1), "file with no instructions");
    }
    return statements.stream().map(Statement::node).toList();
  }

  /** One logical instruction: its physical lines, joined text and heredocs. */
  private record Statement(
      int startLine, int endLine, int column, String joined, RawNode node, List<Heredoc> heredocs) {}

  private Dockerfile run() {
    split(file.text());
    List<Statement> statements = scan();
    if (statements.isEmpty()) {
      throw new SourceParseException(at(Math.max(1, lines.size()), 1), "file with no instructions");
    }
    return build(statements);
  }

  // ---------------------------------------------------------------------------------------------
  // Physical lines and BuildKit's Parse loop.

  /** Splits on {@code \n} as BuildKit's scanner does; a trailing segment counts only if non-empty. */
  private void split(String text) {
    int start = text.startsWith("\uFEFF") ? 1 : 0;
    int n = text.length();
    for (int i = start; i < n; i++) {
      if (text.charAt(i) == '\n') {
        lines.add(text.substring(start, i));
        terminated.add(Boolean.TRUE);
        start = i + 1;
      }
    }
    if (start < n) {
      lines.add(text.substring(start));
      terminated.add(Boolean.FALSE);
    }
  }

  /** The line without its trailing {@code \r}s (BuildKit's {@code trimNewline}), length-checked. */
  private String token(int index) {
    String raw = lines.get(index);
    if (utf8Length(raw) >= MAX_LINE_BYTES) {
      throw new SourceParseException(
          at(index + 1, 1),
          "dockerfile line greater than max allowed size of " + (MAX_LINE_BYTES - 1));
    }
    int end = raw.length();
    while (end > 0 && (raw.charAt(end - 1) == '\r' || raw.charAt(end - 1) == '\n')) {
      end--;
    }
    return raw.substring(0, end);
  }

  private static int utf8Length(String s) {
    if (s.length() >= MAX_LINE_BYTES) {
      return s.length();
    }
    if (s.length() * 3 < MAX_LINE_BYTES) {
      return s.length();
    }
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return bytes;
  }

  private List<Statement> scan() {
    List<Statement> statements = new ArrayList<>();
    int n = lines.size();
    int i = 0;
    while (i < n) {
      String first = token(i);
      String tok = GoText.trimLeft(first);
      directive(tok, i + 1, first.length() - tok.length() + 1);
      if (isComment(tok)) {
        tok = "";
      }
      i++;
      int startLine = i;
      int column = first.length() - GoText.trimLeft(first).length() + 1;
      String[] cont = new String[1];
      boolean endOfLine = !trimContinuation(tok, cont);
      if (endOfLine && cont[0].isEmpty()) {
        continue;
      }
      StringBuilder joined = new StringBuilder(cont[0]);
      while (!endOfLine && i < n) {
        String next = token(i);
        directive(next, i + 1, 1);
        i++;
        if (isComment(next)) {
          continue; // comment lines inside a continuation are dropped
        }
        if (GoText.trimLeft(next).isEmpty()) {
          continue; // so are empty ones (BuildKit warns that this will become an error)
        }
        endOfLine = !trimContinuation(next, cont);
        joined.append(cont[0]);
      }
      String line = joined.toString();
      SourceLocation keyword = at(startLine, column);
      RawNode node;
      try {
        node = LineParsers.nodeFromLine(line, escape);
      } catch (LineParsers.LineException e) {
        throw new SourceParseException(keyword, e.getMessage());
      }
      List<Heredoc> heredocs = new ArrayList<>();
      if (canContainHeredoc(node) && line.contains("<<")) {
        for (String word : ShellWords.rawWords(line)) {
          Heredoc opener = heredocOpener(word);
          if (opener == null) {
            continue;
          }
          StringBuilder content = new StringBuilder();
          boolean closed = false;
          while (i < n) {
            String body = token(i);
            String candidate = opener.chomp() ? stripLeadingTabs(body) : body;
            boolean hadNewline = terminated.get(i);
            i++;
            if (candidate.equals(opener.name())) {
              closed = true;
              break;
            }
            content.append(lines.get(i - 1));
            if (hadNewline) {
              content.append('\n');
            }
          }
          if (!closed) {
            throw new SourceParseException(
                locate(startLine, i, word, keyword), "unterminated heredoc");
          }
          heredocs.add(
              new Heredoc(opener.name(), content.toString(), opener.expand(), opener.chomp()));
        }
      }
      statements.add(new Statement(startLine, i, column, line, node, List.copyOf(heredocs)));
    }
    return statements;
  }

  private static boolean isComment(String line) {
    String t = GoText.trimLeft(line);
    return !t.isEmpty() && t.charAt(0) == '#';
  }

  private static String stripLeadingTabs(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == '\t') {
      i++;
    }
    return s.substring(i);
  }

  /**
   * BuildKit's line-continuation regex {@code ([^E])E[ \t]*$|^E[ \t]*$}: the escape character last
   * on the line, trailing blanks allowed, unless it is itself escaped. Sets {@code out[0]} to the
   * line without it and returns whether the line continues.
   */
  private boolean trimContinuation(String line, String[] out) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
      end--;
    }
    if (end == 0 || line.charAt(end - 1) != escape) {
      out[0] = line;
      return false;
    }
    if (end == 1) {
      out[0] = "";
      return true;
    }
    if (line.charAt(end - 2) == escape) {
      out[0] = line;
      return false;
    }
    out[0] = line.substring(0, end - 1);
    return true;
  }

  /** BuildKit's directive parser: {@code ^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$}. */
  private void directive(String line, int lineNumber, int column) {
    if (directivesDone) {
      return;
    }
    String[] match = matchDirective(line);
    if (match == null) {
      directivesDone = true;
      return;
    }
    String name = match[0].toLowerCase(Locale.ROOT);
    if (!VALID_DIRECTIVES.contains(name)) {
      directivesDone = true;
      return;
    }
    SourceLocation location = at(lineNumber, column);
    if (!seenDirectives.add(name)) {
      throw new SourceParseException(
          location, "only one " + name + " parser directive can be used");
    }
    String value = match[1];
    if (name.equals("escape")) {
      if (!value.equals("`") && !value.equals("\\")) {
        throw new SourceParseException(
            location, "invalid escape token '" + value + "' does not match ` or \\");
      }
      escape = value.charAt(0);
    }
    directives.add(new Directive(name, value, location));
  }

  private static boolean isReSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
  }

  private static String[] matchDirective(String s) {
    if (s.isEmpty() || s.charAt(0) != '#') {
      return null;
    }
    int i = 1;
    int n = s.length();
    while (i < n && isReSpace(s.charAt(i))) {
      i++;
    }
    int nameStart = i;
    if (i >= n || !isAsciiLetter(s.charAt(i))) {
      return null;
    }
    while (i < n && (isAsciiLetter(s.charAt(i)) || (s.charAt(i) >= '0' && s.charAt(i) <= '9'))) {
      i++;
    }
    String name = s.substring(nameStart, i);
    while (i < n && isReSpace(s.charAt(i))) {
      i++;
    }
    if (i >= n || s.charAt(i) != '=') {
      return null;
    }
    String rest = s.substring(i + 1);
    if (rest.isEmpty()) {
      return null;
    }
    int a = 0;
    int b = rest.length();
    while (a < b && isReSpace(rest.charAt(a))) {
      a++;
    }
    while (b > a && isReSpace(rest.charAt(b - 1))) {
      b--;
    }
    // All blanks: the lazy group still takes one character, the last one.
    String value = a < b ? rest.substring(a, b) : rest.substring(rest.length() - 1);
    return new String[] {name, value};
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean canContainHeredoc(RawNode node) {
    RawNode target = node;
    if (node.lowerCommand().equals("onbuild") && node.child() != null) {
      target = node.child();
    }
    return HEREDOC_COMMANDS.contains(target.lowerCommand()) && !target.json();
  }

  /** BuildKit's {@code ParseHeredoc}: {@code ^(\d*)<<(-?)([^<]*)$}, or {@code null}. */
  private static Heredoc heredocOpener(String word) {
    int i = 0;
    while (i < word.length() && word.charAt(i) >= '0' && word.charAt(i) <= '9') {
      i++;
    }
    if (!word.startsWith("<<", i)) {
      return null;
    }
    i += 2;
    boolean chomp = false;
    if (i < word.length() && word.charAt(i) == '-') {
      chomp = true;
      i++;
    }
    String rest = word.substring(i);
    if (rest.isEmpty() || rest.indexOf('<') >= 0) {
      return null;
    }
    String name = ShellWords.unquote(rest, '\\');
    // A quote anywhere in the delimiter turns expansion off, as BuildKit decides by counting.
    boolean expand = quotes(name) == quotes(rest);
    return new Heredoc(name, "", expand, chomp);
  }

  private static int quotes(String s) {
    int count = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\'' || s.charAt(i) == '"') {
        count++;
      }
    }
    return count;
  }

  // ---------------------------------------------------------------------------------------------
  // BuildKit's instruction layer.

  private Dockerfile build(List<Statement> statements) {
    List<Instruction> all = new ArrayList<>();
    List<Arg> globalArgs = new ArrayList<>();
    List<Stage> stages = new ArrayList<>();
    Map<String, String> env = new HashMap<>();
    Set<String> unknown = new HashSet<>();
    From currentFrom = null;
    List<Instruction> current = new ArrayList<>();
    for (Statement st : statements) {
      Instruction instruction = instruction(st, st.node(), st.column(), env, unknown);
      all.add(instruction);
      if (instruction instanceof From from) {
        if (currentFrom != null) {
          stages.add(stage(stages.size(), currentFrom, current));
        }
        currentFrom = from;
        current = new ArrayList<>();
      } else if (currentFrom == null) {
        if (!(instruction instanceof Arg arg)) {
          throw new SourceParseException(
              instruction.location(), "no build stage in current context");
        }
        globalArgs.add(arg);
        define(arg, env, unknown);
      } else {
        current.add(instruction);
      }
    }
    if (currentFrom == null) {
      throw new SourceParseException(
          all.get(all.size() - 1).location(), "dockerfile contains no stages to build");
    }
    stages.add(stage(stages.size(), currentFrom, current));
    return new Dockerfile(path, directives, escape, all, globalArgs, stages);
  }

  private static Stage stage(int index, From from, List<Instruction> instructions) {
    return new Stage(index, from.alias(), from, from.image(), from.platform(), instructions);
  }

  /** Records a global ARG's default for substitution in FROM, in declaration order. */
  private void define(Arg arg, Map<String, String> env, Set<String> unknown) {
    for (ArgDef def : arg.definitions()) {
      Optional<String> raw = rawDefault(arg, def);
      if (raw.isEmpty()) {
        continue; // declared without a default: its value comes from --build-arg, if any
      }
      ShellWords.Expansion value = ShellWords.expand(raw.get(), escape, env, unknown);
      if (value.unresolved()) {
        env.remove(def.name());
        unknown.add(def.name());
      } else {
        env.put(def.name(), value.value());
        unknown.remove(def.name());
      }
    }
  }

  private static Optional<String> rawDefault(Arg arg, ArgDef def) {
    for (String word : arg.args()) {
      int eq = word.indexOf('=');
      if (eq > 0 && word.substring(0, eq).equals(def.name())) {
        return Optional.of(word.substring(eq + 1));
      }
    }
    return Optional.empty();
  }

  private Instruction instruction(
      Statement st, RawNode node, int column, Map<String, String> env, Set<String> unknown) {
    String lower = node.lowerCommand();
    SourceLocation location = at(st.startLine(), column);
    List<Flag> flags = node.flags().stream().map(Flag::parse).toList();
    List<String> args = node.args();
    Form form = form(lower, node);
    InstructionHeader header =
        new InstructionHeader(
            lower.toUpperCase(Locale.ROOT),
            location,
            st.startLine(),
            st.endLine(),
            original(st),
            flags,
            args,
            form,
            st.heredocs());
    Checker check = new Checker(st, location, flags);
    switch (lower) {
      case "from" -> {
        return from(header, check, args, env, unknown);
      }
      case "run" -> {
        check.flags(Map.of("mount", 2, "network", 1, "security", 1, "device", 2));
        return new Run(header, args);
      }
      case "cmd" -> {
        check.flags(Map.of());
        return new Cmd(header, args);
      }
      case "entrypoint" -> {
        check.flags(Map.of());
        return new Entrypoint(header, args);
      }
      case "healthcheck" -> {
        return healthcheck(header, check, args, node.json());
      }
      case "user" -> {
        check.exactlyOne("USER", args);
        check.flags(Map.of());
        return new User(header, UserSpec.parse(args.get(0)));
      }
      case "copy", "add" -> {
        String kw = lower.toUpperCase(Locale.ROOT);
        if (args.size() < 2) {
          throw check.fail(
              kw
                  + " requires at least two arguments, but only one was provided. Destination"
                  + " could not be determined.");
        }
        check.flags(
            lower.equals("copy")
                ? Map.of("from", 1, "chown", 1, "chmod", 1, "link", 0, "parents", 0, "exclude", 2)
                : Map.of(
                    "chown", 1, "chmod", 1, "link", 0, "keep-git-dir", 0, "checksum", 1,
                    "exclude", 2, "unpack", 0));
        List<String> sources = args.subList(0, args.size() - 1);
        String destination = args.get(args.size() - 1);
        return lower.equals("copy")
            ? new Copy(header, sources, destination)
            : new Add(header, sources, destination);
      }
      case "env", "label" -> {
        String kw = lower.toUpperCase(Locale.ROOT);
        check.flags(Map.of());
        if (args.isEmpty()) {
          throw check.fail(kw + " requires at least one argument");
        }
        List<KeyValue> pairs = new ArrayList<>();
        for (int j = 0; j + 2 < args.size(); j += 3) {
          if (args.get(j).isEmpty()) {
            throw check.fail(kw + " names can not be blank");
          }
          pairs.add(
              new KeyValue(
                  ShellWords.unquote(args.get(j), escape),
                  ShellWords.unquote(args.get(j + 1), escape)));
        }
        return lower.equals("env") ? new Env(header, pairs) : new Label(header, pairs);
      }
      case "arg" -> {
        if (args.isEmpty()) {
          throw check.fail("ARG requires at least one argument");
        }
        check.flags(Map.of());
        List<ArgDef> defs = new ArrayList<>();
        for (String word : args) {
          int eq = word.indexOf('=');
          if (eq == 0) {
            throw check.fail("ARG names can not be blank");
          }
          defs.add(
              eq < 0
                  ? new ArgDef(word, Optional.empty())
                  : new ArgDef(
                      word.substring(0, eq),
                      Optional.of(ShellWords.unquote(word.substring(eq + 1), escape))));
        }
        return new Arg(header, defs);
      }
      case "workdir" -> {
        check.exactlyOne("WORKDIR", args);
        check.flags(Map.of());
        return new Workdir(header, args.get(0));
      }
      case "expose" -> {
        if (args.isEmpty()) {
          throw check.fail("EXPOSE requires at least one argument");
        }
        check.flags(Map.of());
        return new Expose(header, args);
      }
      case "volume" -> {
        if (args.isEmpty()) {
          throw check.fail("VOLUME requires at least one argument");
        }
        check.flags(Map.of());
        List<String> volumes = new ArrayList<>();
        for (String v : args) {
          String t = GoText.trimSpace(v);
          if (t.isEmpty()) {
            throw check.fail("VOLUME specified can not be an empty string");
          }
          volumes.add(t);
        }
        return new Volume(header, volumes);
      }
      case "shell" -> {
        check.flags(Map.of());
        if (args.isEmpty()) {
          throw check.fail("SHELL requires at least one argument");
        }
        if (!node.json()) {
          throw check.fail("SHELL requires the arguments to be in JSON form");
        }
        return new Shell(header, args);
      }
      case "stopsignal" -> {
        // BuildKit does not validate STOPSIGNAL's flags.
        check.exactlyOne("STOPSIGNAL", args);
        return new StopSignal(header, args.get(0));
      }
      case "maintainer" -> {
        check.exactlyOne("MAINTAINER", args);
        check.flags(Map.of());
        return new Maintainer(header, args.get(0));
      }
      case "onbuild" -> {
        if (args.isEmpty() || node.child() == null) {
          throw check.fail("ONBUILD requires at least one argument");
        }
        check.flags(Map.of());
        String trigger = node.child().lowerCommand().toUpperCase(Locale.ROOT);
        if (trigger.equals("ONBUILD")) {
          throw check.fail("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        }
        if (trigger.equals("MAINTAINER") || trigger.equals("FROM")) {
          throw check.fail(trigger + " isn't allowed as an ONBUILD trigger");
        }
        int nestedColumn = nestedColumn(st, column, node.child().command());
        Instruction nested = instruction(st, node.child(), nestedColumn, env, unknown);
        return new Onbuild(header, nested);
      }
      default -> throw new SourceParseException(
          location, "unknown instruction: " + node.command().toUpperCase(Locale.ROOT));
    }
  }

  private int nestedColumn(Statement st, int column, String command) {
    String first = lines.get(st.startLine() - 1);
    int from = Math.min(first.length(), column - 1 + "ONBUILD".length());
    int idx = first.indexOf(command, from);
    return idx < 0 ? column : idx + 1;
  }

  private static Form form(String lower, RawNode node) {
    if (node.json()) {
      return Form.EXEC;
    }
    if (node.args().isEmpty()) {
      return Form.NONE;
    }
    return switch (lower) {
      case "run", "cmd", "entrypoint", "shell", "copy", "add", "volume" -> Form.SHELL;
      case "healthcheck" -> node.args().size() > 1 ? Form.SHELL : Form.NONE;
      default -> Form.NONE;
    };
  }

  private From from(
      InstructionHeader header,
      Checker check,
      List<String> args,
      Map<String, String> env,
      Set<String> unknown) {
    Optional<String> alias = Optional.empty();
    if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
      String name = args.get(2).toLowerCase(Locale.ROOT);
      if (!validStageName(name)) {
        throw new SourceParseException(
            check.locate(args.get(2)),
            "invalid name for build stage: "
                + GoText.quote(args.get(2))
                + ", name can't start with a number or contain symbols");
      }
      alias = Optional.of(args.get(2));
    } else if (args.size() != 1) {
      throw check.fail("FROM requires either one or three arguments");
    }
    check.flags(Map.of("platform", 1));
    Optional<String> platform = header.flags().stream()
        .filter(f -> f.name().equals("platform"))
        .reduce((a, b) -> b)
        .flatMap(Flag::value);
    String original = args.get(0);
    ShellWords.Expansion expansion = ShellWords.expand(original, escape, env, unknown);
    if (!expansion.unresolved() && expansion.value().isEmpty()) {
      throw check.fail("base name (" + original + ") should not be blank");
    }
    ImageReference image =
        ImageReference.parse(original, expansion.value(), expansion.unresolved());
    return new From(header, image, alias, platform);
  }

  private static boolean validStageName(String name) {
    if (name.isEmpty() || name.charAt(0) < 'a' || name.charAt(0) > 'z') {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private Healthcheck healthcheck(
      InstructionHeader header, Checker check, List<String> args, boolean json) {
    if (args.isEmpty()) {
      throw check.fail("HEALTHCHECK requires at least one argument");
    }
    String type = args.get(0).toUpperCase(Locale.ROOT);
    List<String> rest = args.subList(1, args.size());
    Optional<Duration> none = Optional.empty();
    if (type.equals("NONE")) {
      if (!rest.isEmpty()) {
        throw check.fail("HEALTHCHECK NONE takes no arguments");
      }
      return new Healthcheck(
          header, true, List.of(), Form.NONE, none, none, none, none, OptionalInt.empty());
    }
    check.flags(
        Map.of("interval", 1, "timeout", 1, "start-period", 1, "start-interval", 1, "retries", 1));
    if (!type.equals("CMD")) {
      throw check.fail("Unknown type " + GoText.quote(type) + " in HEALTHCHECK (try CMD)");
    }
    if (rest.isEmpty()) {
      throw check.fail("Missing command after HEALTHCHECK CMD");
    }
    Map<String, String> values = check.lastValues();
    OptionalInt retries = OptionalInt.empty();
    String r = values.getOrDefault("retries", "");
    if (!r.isEmpty()) {
      long parsed = parseInt32(r, check);
      if (parsed < 0) {
        throw check.fail("--retries cannot be negative (" + parsed + ")");
      }
      retries = OptionalInt.of((int) parsed);
    }
    return new Healthcheck(
        header,
        false,
        rest,
        json ? Form.EXEC : Form.SHELL,
        interval(values, "interval", check),
        interval(values, "timeout", check),
        interval(values, "start-period", check),
        interval(values, "start-interval", check),
        retries);
  }

  /** BuildKit's {@code parseOptInterval}: empty or zero means unset; otherwise at least 1ms. */
  private static Optional<Duration> interval(
      Map<String, String> values, String name, Checker check) {
    String s = values.getOrDefault(name, "");
    if (s.isEmpty()) {
      return Optional.empty();
    }
    Duration d;
    try {
      d = GoDuration.parse(s);
    } catch (IllegalArgumentException e) {
      throw check.failAtFlag(name, e.getMessage());
    }
    if (d.isZero()) {
      return Optional.empty();
    }
    if (d.compareTo(Duration.ofMillis(1)) < 0) {
      throw check.failAtFlag(name, "Interval " + GoText.quote(name) + " cannot be less than 1ms");
    }
    return Optional.of(d);
  }

  /** Go's {@code strconv.ParseInt(s, 10, 32)} with its messages. */
  private static long parseInt32(String s, Checker check) {
    String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    String prefix = "strconv.ParseInt: parsing " + GoText.quote(s) + ": ";
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw check.failAtFlag("retries", prefix + "invalid syntax");
    }
    if (digits.length() > 10) {
      throw check.failAtFlag("retries", prefix + "value out of range");
    }
    long v = Long.parseLong(digits) * (s.startsWith("-") ? -1 : 1);
    if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
      throw check.failAtFlag("retries", prefix + "value out of range");
    }
    return v;
  }

  /** Validates arguments and flags of one instruction, failing at the best location known. */
  private final class Checker {
    private final Statement st;
    private final SourceLocation location;
    private final List<Flag> flags;

    Checker(Statement st, SourceLocation location, List<Flag> flags) {
      this.st = st;
      this.location = location;
      this.flags = flags;
    }

    SourceParseException fail(String reason) {
      return new SourceParseException(location, reason);
    }

    SourceParseException failAtFlag(String name, String reason) {
      return new SourceParseException(locate("--" + name), reason);
    }

    SourceLocation locate(String needle) {
      return DockerfileParser.this.locate(st.startLine(), st.endLine(), needle, location);
    }

    void exactlyOne(String keyword, List<String> args) {
      if (args.size() != 1) {
        throw fail(keyword + " requires exactly one argument");
      }
    }

    /** BuildKit's {@code BFlags.Parse}; kinds: 0 bool, 1 string, 2 repeatable string. */
    void flags(Map<String, Integer> allowed) {
      Set<String> used = new HashSet<>();
      for (Flag flag : flags) {
        String problem = flagProblem(flag, allowed, used);
        if (problem != null) {
          // Located only on failure, so that valid flags cost no search.
          throw new SourceParseException(locate(flag.raw()), problem);
        }
      }
    }

    private String flagProblem(Flag flag, Map<String, Integer> allowed, Set<String> used) {
      if (!flag.raw().startsWith("--")) {
        return "arg should start with -- : " + flag.raw();
      }
      Integer kind = allowed.get(flag.name());
      if (kind == null) {
        return "unknown flag: " + flag.name();
      }
      if (!used.add(flag.name()) && kind != 2) {
        return "duplicate flag specified: " + flag.name();
      }
      if (kind == 0) {
        String v = flag.value().orElse("");
        if (flag.value().isPresent() && v.isEmpty()) {
          return "missing a value on flag: " + flag.name();
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (!lower.isEmpty() && !lower.equals("true") && !lower.equals("false")) {
          return "expecting boolean value for flag " + flag.name() + ", not: " + v;
        }
      } else if (flag.value().isEmpty()) {
        return "missing a value on flag: " + flag.name();
      }
      return null;
    }

    Map<String, String> lastValues() {
      Map<String, String> values = new LinkedHashMap<>();
      for (Flag f : flags) {
        values.put(f.name(), f.value().orElse(""));
      }
      return values;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Locations and text.

  private SourceLocation at(int line, int column) {
    return SourceLocation.of(path, line, column);
  }

  /** The first place {@code needle} appears in lines {@code from..to}, or {@code fallback}. */
  private SourceLocation locate(int from, int to, String needle, SourceLocation fallback) {
    if (needle.isEmpty()) {
      return fallback;
    }
    for (int line = from; line <= to && line <= lines.size(); line++) {
      int idx = lines.get(line - 1).indexOf(needle);
      if (idx >= 0) {
        return at(line, idx + 1);
      }
    }
    return fallback;
  }

  private String original(Statement st) {
    StringBuilder out = new StringBuilder();
    for (int line = st.startLine(); line <= st.endLine(); line++) {
      if (line > st.startLine()) {
        out.append('\n');
      }
      String raw = lines.get(line - 1);
      int end = raw.length();
      while (end > 0 && raw.charAt(end - 1) == '\r') {
        end--;
      }
      out.append(raw, 0, end);
    }
    return out.toString();
  }
}
