package io.gpukit.core.promotion;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Generates strings that a Java regular expression matches, to compare two tag patterns without
 * deciding regex inclusion (which is hard in general and undecidable with back-references).
 *
 * <p>The expression is read into a small tree: literals, character classes and escapes (their
 * members found by testing an alphabet of ASCII and a few non-ASCII characters against the class
 * itself, so {@code \p{Alpha}} and {@code [a-z&&[^x]]} work), {@code .}, groups, alternation and
 * quantifiers; anchors, word boundaries and look-arounds generate nothing. Samples are drawn with a
 * fixed seed (the same expression always gives the same samples): one with the smallest choices,
 * then random walks with repetitions near their minimum. Every sample is checked against the whole
 * expression and dropped unless it matches, so a sample is always a real match.
 *
 * <p>Limits: back-references, comments mode ({@code (?x)}) and classes with no member in the
 * alphabet are not supported ({@link #samples} is empty); unbounded repetitions are drawn at most a
 * few times past their minimum; a difference that only long or rare strings show can be missed.
 */
final class RegexSampler {

  /** The characters class membership is tested on, tag-like characters first. */
  static final String ALPHABET;

  static {
    StringBuilder sb = new StringBuilder("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.-_");
    for (char c = 0x20; c < 0x7f; c++) {
      if (sb.indexOf(String.valueOf(c)) < 0) {
        sb.append(c);
      }
    }
    sb.append("\t\né߀中");
    ALPHABET = sb.toString();
  }

  /** Repetitions drawn past an unbounded quantifier's minimum. */
  private static final int UNBOUNDED_EXTRA = 3;

  /** Longest sample kept. */
  static final int MAX_LENGTH = 256;

  /** Nodes of the tree; a hostile expression stops here. */
  private static final int MAX_NODES = 5_000;

  private sealed interface Node permits Chars, Seq, Alt, Repeat {}

  private record Chars(String members) implements Node {}

  private record Seq(List<Node> items) implements Node {}

  private record Alt(List<Node> branches) implements Node {}

  private record Repeat(Node node, int min, int max) implements Node {}

  /** Thrown for constructs the sampler does not support. */
  private static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported(String what) {
      super(what, null, false, false);
    }
  }

  private final String re;
  private int pos;
  private int nodes;

  private RegexSampler(String re) {
    this.re = re;
  }

  /**
   * Up to {@code count} distinct strings the whole expression matches, shortest first; empty when
   * the expression does not compile or uses what the sampler does not support.
   */
  static Optional<List<String>> samples(String regex, int count) {
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException | StackOverflowError e) {
      return Optional.empty();
    }
    Node tree;
    try {
      RegexSampler parser = new RegexSampler(regex);
      tree = parser.alternation();
      if (parser.pos < regex.length()) {
        return Optional.empty();
      }
    } catch (Unsupported | StackOverflowError | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
    Set<String> out = new LinkedHashSet<>();
    StringBuilder sb = new StringBuilder();
    generate(tree, null, sb);
    keep(pattern, sb, out);
    Random random = new Random(0x6770756b6974L); // fixed: the same expression gives the same samples
    for (int i = 0; i < count * 4 && out.size() < count; i++) {
      sb.setLength(0);
      generate(tree, random, sb);
      keep(pattern, sb, out);
    }
    List<String> sorted = new ArrayList<>(out);
    sorted.sort((a, b) -> a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b));
    return Optional.of(List.copyOf(sorted));
  }

  private static void keep(Pattern pattern, StringBuilder sb, Set<String> out) {
    if (sb.length() <= MAX_LENGTH) {
      String s = sb.toString();
      if (TagMatching.matches(pattern, s)) {
        out.add(s);
      }
    }
  }

  /** Appends one string of {@code node}: the smallest choices when {@code random} is null. */
  private static void generate(Node node, Random random, StringBuilder sb) {
    if (sb.length() > MAX_LENGTH) {
      return;
    }
    if (node instanceof Chars c) {
      sb.append(c.members().charAt(random == null ? 0 : pick(random, c.members().length())));
    } else if (node instanceof Seq s) {
      s.items().forEach(item -> generate(item, random, sb));
    } else if (node instanceof Alt a) {
      generate(a.branches().get(random == null ? 0 : random.nextInt(a.branches().size())), random, sb);
    } else if (node instanceof Repeat r) {
      int span = r.max() == Integer.MAX_VALUE ? UNBOUNDED_EXTRA : Math.min(r.max() - r.min(), 64);
      int times = r.min() + (random == null || span == 0 ? 0 : random.nextInt(span + 1));
      for (int i = 0; i < times && sb.length() <= MAX_LENGTH; i++) {
        generate(r.node(), random, sb);
      }
    }
  }

  /** Mostly one of the first, most tag-like members; sometimes any. */
  private static int pick(Random random, int size) {
    return random.nextInt(4) == 0 ? random.nextInt(size) : random.nextInt(Math.min(size, 16));
  }

  // ---- parsing --------------------------------------------------------------------------------

  private Node alternation() {
    List<Node> branches = new ArrayList<>();
    branches.add(sequence());
    while (pos < re.length() && re.charAt(pos) == '|') {
      pos++;
      branches.add(sequence());
    }
    return branches.size() == 1 ? branches.get(0) : count(new Alt(List.copyOf(branches)));
  }

  private Node sequence() {
    List<Node> items = new ArrayList<>();
    while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
      Optional<Node> atom = atom();
      if (atom.isPresent()) {
        items.add(quantified(atom.get()));
      } else {
        skipQuantifier(); // a quantified anchor or look-around generates nothing
      }
    }
    return count(new Seq(List.copyOf(items)));
  }

  private Node count(Node node) {
    if (++nodes > MAX_NODES) {
      throw new Unsupported("too large");
    }
    return node;
  }

  /** One atom; empty for what generates nothing (anchors, look-arounds, flags). */
  private Optional<Node> atom() {
    char c = re.charAt(pos);
    switch (c) {
      case '^', '$' -> {
        pos++;
        return Optional.empty();
      }
      case '.' -> {
        pos++;
        return Optional.of(count(new Chars(members("."))));
      }
      case '[' -> {
        int end = classEnd(pos);
        String cls = re.substring(pos, end);
        pos = end;
        return Optional.of(count(new Chars(members(cls))));
      }
      case '(' -> {
        return group();
      }
      case '\\' -> {
        return escape();
      }
      default -> {
        pos++;
        return Optional.of(count(new Chars(String.valueOf(c))));
      }
    }
  }

  private Optional<Node> group() {
    pos++; // (
    boolean generates = true;
    if (re.startsWith("?", pos)) {
      if (re.startsWith("?:", pos) || re.startsWith("?>", pos)) {
        pos += 2;
      } else if (re.startsWith("?=", pos) || re.startsWith("?!", pos)) {
        pos += 2;
        generates = false;
      } else if (re.startsWith("?<=", pos) || re.startsWith("?<!", pos)) {
        pos += 3;
        generates = false;
      } else if (re.startsWith("?<", pos)) {
        pos = re.indexOf('>', pos) + 1; // a named group
      } else {
        // inline flags: (?i) or (?i:...)
        int end = pos + 1;
        while (end < re.length() && re.charAt(end) != ')' && re.charAt(end) != ':') {
          end++;
        }
        String flags = re.substring(pos + 1, end);
        if (flags.contains("x")) {
          throw new Unsupported("comments mode");
        }
        pos = end + 1;
        if (re.charAt(end) == ')') {
          return Optional.empty();
        }
      }
    }
    Node inner = alternation();
    if (pos >= re.length() || re.charAt(pos) != ')') {
      throw new Unsupported("unclosed group");
    }
    pos++;
    return generates ? Optional.of(inner) : Optional.empty();
  }

  private Optional<Node> escape() {
    char e = re.charAt(pos + 1);
    switch (e) {
      case 'b', 'B', 'A', 'z', 'Z', 'G' -> {
        pos += 2;
        return Optional.empty();
      }
      case 'Q' -> {
        int end = re.indexOf("\\E", pos + 2);
        String literal = re.substring(pos + 2, end < 0 ? re.length() : end);
        pos = end < 0 ? re.length() : end + 2;
        List<Node> items = new ArrayList<>();
        literal.chars().forEach(ch -> items.add(count(new Chars(String.valueOf((char) ch)))));
        return Optional.of(count(new Seq(items)));
      }
      case 'k' -> throw new Unsupported("back-reference");
      case 'R' -> {
        pos += 2;
        return Optional.of(count(new Chars("\n")));
      }
      case 'X' -> {
        pos += 2;
        return Optional.of(count(new Chars("a")));
      }
      default -> {
        if (e >= '1' && e <= '9') {
          throw new Unsupported("back-reference");
        }
        int end = escapeEnd(pos);
        String escape = re.substring(pos, end);
        pos = end;
        return Optional.of(count(new Chars(members(escape))));
      }
    }
  }

  /** The index after the escape sequence at {@code start} (a backslash). */
  private int escapeEnd(int start) {
    char e = re.charAt(start + 1);
    int i = start + 2;
    switch (e) {
      case 'p', 'P' -> {
        if (i < re.length() && re.charAt(i) == '{') {
          i = re.indexOf('}', i) + 1;
          if (i == 0) {
            throw new Unsupported("unclosed property");
          }
        } else {
          i++;
        }
      }
      case 'x' -> {
        if (i < re.length() && re.charAt(i) == '{') {
          i = re.indexOf('}', i) + 1;
        } else {
          i += 2;
        }
      }
      case 'u' -> i += 4;
      case 'c' -> i += 1;
      case '0' -> {
        int digits = 0;
        while (i < re.length() && digits < 3 && re.charAt(i) >= '0' && re.charAt(i) <= '7') {
          i++;
          digits++;
        }
      }
      case 'N' -> i = re.indexOf('}', i) + 1;
      default -> { }
    }
    return Math.min(Math.max(i, start + 2), re.length());
  }

  /** The index after the character class that starts at {@code start}, nested classes included. */
  private int classEnd(int start) {
    int depth = 0;
    int i = start;
    while (i < re.length()) {
      char c = re.charAt(i);
      if (c == '\\') {
        if (re.startsWith("\\Q", i)) {
          int end = re.indexOf("\\E", i + 2);
          i = end < 0 ? re.length() : end + 2;
          continue;
        }
        i += 2;
        continue;
      }
      if (c == '[') {
        depth++;
        i++;
        // a ']' right after '[' or '[^' is a member, not the end
        if (i < re.length() && re.charAt(i) == '^') {
          i++;
        }
        if (i < re.length() && re.charAt(i) == ']') {
          i++;
        }
        continue;
      }
      if (c == ']') {
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      }
      i++;
    }
    throw new Unsupported("unclosed class");
  }

  /** The alphabet's members of a one-character expression (a class, an escape, a dot). */
  private static String members(String oneChar) {
    Pattern p;
    try {
      p = Pattern.compile(oneChar);
    } catch (PatternSyntaxException e) {
      throw new Unsupported(oneChar);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ALPHABET.length(); i++) {
      char c = ALPHABET.charAt(i);
      if (p.matcher(String.valueOf(c)).matches()) {
        sb.append(c);
      }
    }
    if (sb.length() == 0) {
      throw new Unsupported("a class with no member in the alphabet: " + oneChar);
    }
    return sb.toString();
  }

  private Node quantified(Node atom) {
    if (pos >= re.length()) {
      return atom;
    }
    char c = re.charAt(pos);
    int min;
    int max;
    if (c == '*') {
      min = 0;
      max = Integer.MAX_VALUE;
      pos++;
    } else if (c == '+') {
      min = 1;
      max = Integer.MAX_VALUE;
      pos++;
    } else if (c == '?') {
      min = 0;
      max = 1;
      pos++;
    } else if (c == '{' && bounds(pos).isPresent()) {
      int[] b = bounds(pos).get();
      min = b[0];
      max = b[1];
      pos = b[2];
    } else {
      return atom;
    }
    if (pos < re.length() && (re.charAt(pos) == '?' || re.charAt(pos) == '+')) {
      pos++; // lazy or possessive: the same strings
    }
    if (min > MAX_LENGTH) {
      throw new Unsupported("repetition too large");
    }
    return quantified(count(new Repeat(atom, min, Math.max(min, max))));
  }

  private void skipQuantifier() {
    if (pos < re.length() && "*+?".indexOf(re.charAt(pos)) >= 0) {
      pos++;
    } else if (pos < re.length() && re.charAt(pos) == '{' && bounds(pos).isPresent()) {
      pos = bounds(pos).get()[2];
    } else {
      return;
    }
    if (pos < re.length() && (re.charAt(pos) == '?' || re.charAt(pos) == '+')) {
      pos++;
    }
  }

  /** {@code {n}}, {@code {n,}}, {@code {n,m}} at {@code start}: min, max, index after. */
  private Optional<int[]> bounds(int start) {
    int close = re.indexOf('}', start);
    if (close < 0) {
      return Optional.empty();
    }
    String inside = re.substring(start + 1, close);
    if (!inside.matches("\\d{1,6}(,\\d{0,6})?")) {
      return Optional.empty();
    }
    int comma = inside.indexOf(',');
    int min = Integer.parseInt(comma < 0 ? inside : inside.substring(0, comma));
    int max = comma < 0 ? min
        : comma == inside.length() - 1 ? Integer.MAX_VALUE : Integer.parseInt(inside.substring(comma + 1));
    return Optional.of(new int[] {min, max, close + 1});
  }
}
