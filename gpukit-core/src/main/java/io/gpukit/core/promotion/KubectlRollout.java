package io.gpukit.core.promotion;

import io.gpukit.core.internal.ShellCommands;
import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@code kubectl rollout} command, read the way kubectl reads its arguments: flags in any order,
 * before or after the resource, with {@code =} or a space; the resource as {@code deployment/NAME},
 * {@code deployment NAME}, {@code deploy/NAME} or {@code deployments.apps/NAME}; other flags
 * ({@code --context}, {@code --timeout=5m}, {@code --watch}) skipped.
 *
 * <pre>{@code
 * KubectlRollout.parse("sudo KUBECONFIG=/etc/k.conf kubectl -n ml rollout undo deploy/inference --to-revision 3", at)
 *     // UNDO deployment 'inference' in namespace 'ml', to revision 3
 * }</pre>
 *
 * @param action what the command does
 * @param resourceKind the kind of the resource, lower-case and singular ({@code deployment},
 *     {@code statefulset}, {@code daemonset}); empty when the command selects resources by file
 *     ({@code -f}) or label ({@code -l}) instead of naming one
 * @param name the resource's name; empty when none is named
 * @param namespace the {@code -n} / {@code --namespace}, as written
 * @param toRevision the {@code --to-revision}, when it is a number
 * @param location where the command starts
 * @since 0.1.0
 */
public record KubectlRollout(
    Action action,
    String resourceKind,
    String name,
    Optional<String> namespace,
    OptionalInt toRevision,
    SourceLocation location) {

  /** The {@code kubectl rollout} subcommands. */
  public enum Action {
    /** {@code kubectl rollout status}: waits until the rollout finishes (or fails). */
    STATUS,
    /** {@code kubectl rollout history}: lists the revisions. */
    HISTORY,
    /** {@code kubectl rollout undo}: rolls back to the previous or a given revision. */
    UNDO,
    /** {@code kubectl rollout restart}: restarts the pods. */
    RESTART,
    /** {@code kubectl rollout pause}. */
    PAUSE,
    /** {@code kubectl rollout resume}. */
    RESUME;

    /** The subcommand as typed: {@code undo}. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);
  private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");

  /** Words that may stand before a command without changing which command runs. */
  private static final Set<String> PREFIX_WORDS =
      Set.of("time", "command", "exec", "nohup", "builtin", "if", "then", "else", "elif", "do", "while", "until",
          "!", "{", "(", "eval");

  /** sudo options that take a value. */
  private static final Set<String> SUDO_VALUE_OPTIONS =
      Set.of("-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T", "-R", "--user", "--group", "--chdir",
          "--host", "--prompt", "--role", "--type", "--other-user", "--command-timeout", "--chroot", "--close-from");

  /** kubectl's long flags that take a value (written {@code --flag value} or {@code --flag=value}). */
  private static final Set<String> LONG_VALUE_FLAGS =
      Set.of("namespace", "context", "cluster", "kubeconfig", "user", "server", "token", "to-revision", "revision",
          "timeout", "selector", "output", "filename", "kustomize", "field-manager", "template", "as", "as-group",
          "as-uid", "request-timeout", "certificate-authority", "client-certificate", "client-key",
          "tls-server-name", "cache-dir", "password", "username", "profile", "profile-output", "v", "vmodule",
          "log-file", "log-dir", "log-flush-frequency", "disable-compression-for", "warnings-as-errors-for");

  /** kubectl's short flags that take a value ({@code -n NS}, {@code -nNS}, {@code -n=NS}). */
  private static final String SHORT_VALUE_FLAGS = "nslfokv";

  /** Validates the fields. */
  public KubectlRollout {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resourceKind, "resourceKind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(toRevision, "toRevision");
    Objects.requireNonNull(location, "location");
  }

  /**
   * The first {@code kubectl rollout} command in a command line. The line is split into simple
   * commands first ({@code &&}, {@code ||}, {@code ;}, {@code |}, respecting quotes); {@code kubectl}
   * may be prefixed by environment assignments, {@code sudo}, {@code env} or a path ({@code
   * /usr/local/bin/kubectl}). Anything else, or a malformed rollout, is empty: never an error.
   *
   * @param commandLine the shell text
   * @param location where {@code commandLine} starts; the result's location is where its simple
   *     command starts
   */
  public static Optional<KubectlRollout> parse(String commandLine, SourceLocation location) {
    return parseAll(commandLine, location).stream().findFirst();
  }

  /** Every {@code kubectl rollout} command in a command line, in order (see {@link #parse}). */
  public static List<KubectlRollout> parseAll(String commandLine, SourceLocation location) {
    Objects.requireNonNull(commandLine, "commandLine");
    Objects.requireNonNull(location, "location");
    List<KubectlRollout> out = new ArrayList<>();
    for (ShellCommands.Simple simple : ShellCommands.split(commandLine)) {
      fromWords(simple.words(), offset(location, commandLine, simple.offset())).ifPresent(out::add);
    }
    return List.copyOf(out);
  }

  /** Reads the words of one simple command. */
  static Optional<KubectlRollout> fromWords(List<String> words, SourceLocation location) {
    int i = skipPrefixes(words);
    if (i >= words.size() || !isKubectl(words.get(i))) {
      return Optional.empty();
    }
    List<String> positionals = new ArrayList<>();
    Optional<String> namespace = Optional.empty();
    Optional<String> revision = Optional.empty();
    boolean selected = false;
    for (int j = i + 1; j < words.size(); j++) {
      String a = words.get(j);
      if (a.equals("--") && j == i + 1) {
        continue;
      }
      if (a.equals("--")) {
        positionals.addAll(words.subList(j + 1, words.size()));
        break;
      }
      if (a.startsWith("--")) {
        int eq = a.indexOf('=');
        String flag = eq < 0 ? a.substring(2) : a.substring(2, eq);
        Optional<String> value = Optional.empty();
        if (eq >= 0) {
          value = Optional.of(a.substring(eq + 1));
        } else if (LONG_VALUE_FLAGS.contains(flag) && j + 1 < words.size()) {
          value = Optional.of(words.get(++j));
        }
        switch (flag) {
          case "namespace" -> namespace = value.or(() -> Optional.of(""));
          case "to-revision" -> revision = value;
          case "filename", "selector", "kustomize" -> selected = true;
          default -> { }
        }
      } else if (a.startsWith("-") && a.length() > 1) {
        char flag = a.charAt(1);
        if (SHORT_VALUE_FLAGS.indexOf(flag) >= 0) {
          String value;
          if (a.length() > 2) {
            value = a.charAt(2) == '=' ? a.substring(3) : a.substring(2);
          } else {
            value = j + 1 < words.size() ? words.get(++j) : "";
          }
          if (flag == 'n') {
            namespace = Optional.of(value);
          } else if (flag == 'f' || flag == 'l' || flag == 'k') {
            selected = true;
          }
        }
      } else {
        positionals.add(a);
      }
    }
    if (positionals.size() < 2 || !positionals.get(0).equals("rollout")) {
      return Optional.empty();
    }
    Optional<Action> action = action(positionals.get(1));
    if (action.isEmpty()) {
      return Optional.empty();
    }
    String kind = "";
    String name = "";
    List<String> resources = positionals.subList(2, positionals.size());
    if (!resources.isEmpty()) {
      String first = resources.get(0);
      int slash = first.indexOf('/');
      if (slash >= 0) {
        kind = normaliseKind(first.substring(0, slash));
        name = first.substring(slash + 1);
      } else {
        kind = normaliseKind(first);
        name = resources.size() > 1 ? resources.get(1) : "";
      }
    } else if (!selected) {
      return Optional.empty(); // "kubectl rollout undo" names nothing: kubectl refuses it
    }
    OptionalInt toRevision = revision.filter(r -> NUMBER.matcher(r).matches())
        .map(r -> OptionalInt.of(Integer.parseInt(r))).orElse(OptionalInt.empty());
    return Optional.of(new KubectlRollout(
        action.get(), kind, name, namespace.filter(ns -> !ns.isEmpty()), toRevision, location));
  }

  private static Optional<Action> action(String word) {
    for (Action a : Action.values()) {
      if (a.word().equals(word)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** Skips environment assignments, sudo, env and shell keywords; returns the index of the command word. */
  private static int skipPrefixes(List<String> words) {
    int i = 0;
    while (i < words.size()) {
      String w = words.get(i);
      String base = basename(w);
      if (ASSIGNMENT.matcher(w).matches() || PREFIX_WORDS.contains(w)) {
        i++;
      } else if (base.equals("sudo") || base.equals("doas")) {
        i++;
        while (i < words.size() && words.get(i).startsWith("-")) {
          String option = words.get(i);
          i += option.equals("--") ? 1 : SUDO_VALUE_OPTIONS.contains(option) ? 2 : 1;
          if (option.equals("--")) {
            break;
          }
        }
      } else if (base.equals("env")) {
        i++;
        while (i < words.size() && (words.get(i).startsWith("-") || ASSIGNMENT.matcher(words.get(i)).matches())) {
          String option = words.get(i);
          i += option.equals("-u") || option.equals("--unset") || option.equals("-C") ? 2 : 1;
        }
      } else if (base.equals("timeout")) {
        i++;
        while (i < words.size() && words.get(i).startsWith("-")) {
          String option = words.get(i);
          i += option.equals("-s") || option.equals("-k") || option.equals("--signal") || option.equals("--kill-after")
              ? 2 : 1;
        }
        i++; // the duration
      } else if ((base.equals("microk8s") || base.equals("k3s")) && i + 1 < words.size()
          && words.get(i + 1).equals("kubectl")) {
        i++;
      } else if (base.equals("minikube") && i + 1 < words.size() && words.get(i + 1).equals("kubectl")) {
        i++; // "minikube kubectl -- rollout …": the "--" is minikube's; fromWords skips it
      } else {
        break;
      }
    }
    return i;
  }

  private static boolean isKubectl(String word) {
    String base = basename(word);
    return base.equals("kubectl") || base.equals("kubectl.exe") || base.equals("oc");
  }

  private static String basename(String word) {
    int slash = Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\'));
    return slash < 0 ? word : word.substring(slash + 1);
  }

  /** {@code deploy}, {@code deployments}, {@code deployments.apps}, {@code Deployment.v1.apps}: {@code deployment}. */
  static String normaliseKind(String written) {
    String k = written.toLowerCase(Locale.ROOT);
    int dot = k.indexOf('.');
    if (dot >= 0) {
      k = k.substring(0, dot);
    }
    return switch (k) {
      case "deploy", "deployment", "deployments" -> "deployment";
      case "ds", "daemonset", "daemonsets" -> "daemonset";
      case "sts", "statefulset", "statefulsets" -> "statefulset";
      default -> k;
    };
  }

  /** The location {@code offset} characters into text that starts at {@code start}. */
  static SourceLocation offset(SourceLocation start, String text, int offset) {
    int line = start.line();
    int column = start.column();
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return SourceLocation.of(start.file(), line, column);
  }

  /** Whether the resource is a Deployment (or not named: selected by file or label). */
  public boolean isDeployment() {
    return resourceKind.equals("deployment");
  }

  /** The resource as kubectl writes it: {@code deployment/inference}; {@code deployment/NAME} when unnamed. */
  public String resource() {
    return (resourceKind.isEmpty() ? "deployment" : resourceKind) + "/" + (name.isEmpty() ? "NAME" : name);
  }

  /** {@code  -n NS} for messages and hints, or nothing when no namespace is given. */
  public String namespaceFlag() {
    return namespace.map(ns -> " -n " + ns).orElse("");
  }
}
