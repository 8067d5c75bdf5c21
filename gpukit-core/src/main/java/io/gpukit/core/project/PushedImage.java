package io.gpukit.core.project;

import io.gpukit.core.internal.ImageNames;
import io.gpukit.core.workflow.ImagePush;
import io.gpukit.core.workflow.Job;
import io.gpukit.core.workflow.JobTraits;
import io.gpukit.core.workflow.Step;
import io.gpukit.core.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One image reference a workflow pushes, as written, and what it becomes when the workflow runs:
 * {@code env} values and {@code docker/metadata-action} outputs are substituted, GitHub's context
 * becomes sample values ({@code github.sha} 40 hex digits, {@code github.ref_name} {@code v1.2.3},
 * {@code 1.2.3} or {@code main}, {@code github.run_number} {@code 42}), and what cannot be known
 * (an input, a secret, {@code github.repository}, a command's output) is a wildcard.
 *
 * @param written the reference as the workflow writes it
 * @param expansions the references it may become; {@link #UNKNOWN} marks a part that cannot be known
 * @param workflow the workflow
 * @param job the job that pushes
 * @param step the step that pushes
 */
record PushedImage(String written, List<String> expansions, Workflow workflow, Job job, Step step) {

  /** Marks a part of an expansion that cannot be known before the workflow runs. */
  static final char UNKNOWN = '\u0001';

  /** A sample commit SHA. */
  static final String SHA = "3f786850e387550fdab836ed7e6dc881de23001b";

  private static final List<String> REF_NAMES = List.of("v1.2.3", "1.2.3", "main");
  private static final List<String> RELEASE_TAGS = List.of("v1.2.3", "1.2.3");
  private static final Map<String, List<String>> GITHUB_CONTEXT = Map.ofEntries(
      Map.entry("github.sha", List.of(SHA)),
      Map.entry("github.ref_name", REF_NAMES),
      Map.entry("github.event.release.tag_name", RELEASE_TAGS),
      Map.entry("github.run_number", List.of("42")),
      Map.entry("github.run_id", List.of("9876543210")),
      Map.entry("github.run_attempt", List.of("1")),
      Map.entry("github.head_ref", List.of("feature-x")),
      Map.entry("github.base_ref", List.of("main")));
  private static final Map<String, String> GITHUB_ENV = Map.of(
      "GITHUB_SHA", "github.sha",
      "GITHUB_REF_NAME", "github.ref_name",
      "GITHUB_RUN_NUMBER", "github.run_number",
      "GITHUB_RUN_ID", "github.run_id",
      "GITHUB_RUN_ATTEMPT", "github.run_attempt",
      "GITHUB_HEAD_REF", "github.head_ref",
      "GITHUB_BASE_REF", "github.base_ref");
  private static final int MAX_EXPANSIONS = 32;
  private static final int MAX_DEPTH = 8;
  private static final Pattern ASSIGNMENT =
      Pattern.compile("(?m)^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s;&|]*)");
  private static final Pattern GITHUB_ENV_LINE =
      Pattern.compile("(?m)echo\\s+[\"']?([A-Za-z_][A-Za-z0-9_]*)=([^\"'\\n>]*)[\"']?\\s*>>\\s*\"?\\$\\{?GITHUB_ENV");
  private static final Pattern STEP_OUTPUT = Pattern.compile("steps\\.([\\w-]+)\\.outputs\\.tags");
  private static final Pattern SHELL_PARAMETER = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(,,|\\^\\^|:(\\d*)(?::(\\d+))?)?");

  /** Validates the fields. */
  PushedImage {
    Objects.requireNonNull(written, "written");
    expansions = List.copyOf(expansions);
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(step, "step");
  }

  /** Every reference the workflows push, per step, in file order. */
  static List<PushedImage> of(List<Workflow> workflows) {
    List<PushedImage> out = new ArrayList<>();
    for (Workflow wf : workflows) {
      for (Job job : wf.jobs()) {
        for (Step step : JobTraits.pushSteps(job)) {
          Job only = new Job(job.id(), job.name(), job.runsOn(), job.needs(), job.condition(), job.matrix(),
              job.container(), job.services(), job.outputs(), job.env(), job.environment(), job.permissions(),
              job.concurrency(), job.uses(), job.with(), job.timeoutMinutes(), List.of(step), job.location());
          List<String> refs = ImagePush.pushedReferences(only);
          if (refs.isEmpty()) {
            out.add(new PushedImage("", List.of(String.valueOf(UNKNOWN)), wf, job, step));
          }
          Resolver resolver = new Resolver(wf, job, step);
          for (String ref : refs) {
            List<String> expanded = ref.equals("*") ? List.of(String.valueOf(UNKNOWN)) : resolver.expand(ref, 0);
            for (String e : expanded) {
              out.add(new PushedImage(ref, List.of(e), wf, job, step));
            }
          }
        }
      }
    }
    return out;
  }

  /** The single expansion of this reference. */
  String expansion() {
    return expansions.get(0);
  }

  /** The repository (with its registry) as a pattern; an unknown part matches anything. */
  Pattern repositoryPattern() {
    String e = expansion();
    ImageNames.Parts parts = ImageNames.split(e);
    String repo = normalise(parts.registry().map(r -> r + "/").orElse("") + parts.repository());
    StringBuilder re = new StringBuilder();
    String[] pieces = repo.split(Pattern.quote(String.valueOf(UNKNOWN)), -1);
    for (int k = 0; k < pieces.length; k++) {
      if (k > 0) {
        re.append(".*");
      }
      if (!pieces[k].isEmpty()) {
        re.append(Pattern.quote(pieces[k]));
      }
    }
    return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
  }

  /** Whether a repository (with its registry) is the one pushed. */
  boolean pushes(String repositoryWithRegistry) {
    return repositoryPattern().matcher(normalise(repositoryWithRegistry)).matches();
  }

  /**
   * The repositories a project's pushes name, to ask of every container at once: a set for those
   * known in full, a pattern for those with an unknown part. Asking it is {@code
   * pushed.stream().anyMatch(p -> p.pushes(repository))} without a pattern per push and container.
   */
  static final class Repositories {
    private final Set<String> known = new HashSet<>();
    private final List<Pattern> patterns = new ArrayList<>();

    Repositories(List<PushedImage> pushed) {
      for (PushedImage p : pushed) {
        ImageNames.Parts parts = ImageNames.split(p.expansion());
        String repo = normalise(parts.registry().map(r -> r + "/").orElse("") + parts.repository());
        if (repo.indexOf(UNKNOWN) >= 0) {
          patterns.add(p.repositoryPattern());
        } else {
          known.add(repo);
        }
      }
    }

    /** Whether some push names this repository (with its registry). */
    boolean anyPushes(String repositoryWithRegistry) {
      String repo = normalise(repositoryWithRegistry);
      return known.contains(repo) || patterns.stream().anyMatch(p -> p.matcher(repo).matches());
    }
  }

  /**
   * Whether a repository could be this push under another name or registry: it lies in the same
   * namespace (registry and path without the last name: {@code ghcr.io/acme} for {@code
   * ghcr.io/acme/llm}), or has the same last name ({@code registry.example.com/acme/llm}). True when
   * part of the pushed reference is unknown. Otherwise it is a vendor's image ({@code
   * nvcr.io/nvidia/k8s/cuda-sample}, {@code rocm/vllm}), not one the workflows ship.
   */
  boolean mayBe(String repositoryWithRegistry) {
    ImageNames.Parts parts = ImageNames.split(expansion());
    String repo = normalise(parts.registry().map(r -> r + "/").orElse("") + parts.repository());
    if (repo.indexOf(UNKNOWN) >= 0) {
      return true;
    }
    String other = normalise(repositoryWithRegistry);
    return namespace(repo).equals(namespace(other)) || lastName(repo).equals(lastName(other));
  }

  private static String namespace(String repository) {
    int slash = repository.lastIndexOf('/');
    return slash < 0 ? "" : repository.substring(0, slash);
  }

  private static String lastName(String repository) {
    return repository.substring(repository.lastIndexOf('/') + 1);
  }

  /** The repository as written for messages, unknown parts as {@code …}. */
  String displayRepository() {
    ImageNames.Parts parts = ImageNames.split(expansion());
    String repo = parts.registry().map(r -> r + "/").orElse("") + parts.repository();
    return repo.replace(String.valueOf(UNKNOWN), "…");
  }

  /**
   * The tag this push gives, when it can be known: {@code latest} for a reference without one;
   * empty when part of it is unknown or it pushes by digest.
   */
  Optional<String> tag() {
    String e = expansion();
    ImageNames.Parts parts = ImageNames.split(e);
    if (parts.digest().isPresent()) {
      return Optional.empty();
    }
    if (parts.tag().isEmpty()) {
      return parts.repository().indexOf(UNKNOWN) >= 0 || parts.registry().map(r -> r.indexOf(UNKNOWN) >= 0).orElse(false)
          ? Optional.empty() : Optional.of("latest");
    }
    return parts.tag().get().indexOf(UNKNOWN) >= 0 ? Optional.empty() : parts.tag();
  }

  /** Lower case, without Docker Hub's implicit registry and {@code library/}. */
  static String normalise(String repository) {
    String r = repository.toLowerCase(Locale.ROOT);
    for (String hub : List.of("docker.io/", "index.docker.io/", "registry-1.docker.io/")) {
      if (r.startsWith(hub)) {
        r = r.substring(hub.length());
        break;
      }
    }
    return r.startsWith("library/") ? r.substring("library/".length()) : r;
  }

  /** Substitutes expressions and shell variables in a pushed reference. */
  private static final class Resolver {
    private final Job job;
    private final Map<String, String> env = new LinkedHashMap<>();

    Resolver(Workflow workflow, Job job, Step step) {
      this.job = job;
      workflow.env().forEach(e -> env.put(e.key(), e.value()));
      job.env().forEach(e -> env.put(e.key(), e.value()));
      for (Step s : job.steps()) {
        s.run().ifPresent(run -> {
          Matcher a = ASSIGNMENT.matcher(run);
          while (a.find()) {
            env.putIfAbsent(a.group(1), unquote(a.group(2)));
          }
          Matcher g = GITHUB_ENV_LINE.matcher(run);
          while (g.find()) {
            env.putIfAbsent(g.group(1), g.group(2).strip());
          }
        });
      }
      step.env().forEach(e -> env.put(e.key(), e.value()));
    }

    /** The strings {@code text} may become, each with {@link #UNKNOWN} for what cannot be known. */
    List<String> expand(String text, int depth) {
      if (depth > MAX_DEPTH) {
        return List.of(String.valueOf(UNKNOWN));
      }
      List<List<String>> segments = new ArrayList<>();
      int i = 0;
      StringBuilder literal = new StringBuilder();
      while (i < text.length()) {
        char c = text.charAt(i);
        if (c == '$' && text.startsWith("${{", i)) {
          int end = text.indexOf("}}", i + 3);
          if (end < 0) {
            break;
          }
          flush(literal, segments);
          segments.add(expression(text.substring(i + 3, end).strip(), depth));
          i = end + 2;
        } else if (c == '$' && text.startsWith("$(", i)) {
          int end = closing(text, i + 1);
          flush(literal, segments);
          segments.add(List.of(String.valueOf(UNKNOWN)));
          i = end < 0 ? text.length() : end + 1;
        } else if (c == '$' && text.startsWith("${", i)) {
          int end = text.indexOf('}', i + 2);
          if (end < 0) {
            break;
          }
          flush(literal, segments);
          segments.add(parameter(text.substring(i + 2, end), depth));
          i = end + 1;
        } else if (c == '$' && i + 1 < text.length() && (Character.isLetter(text.charAt(i + 1)) || text.charAt(i + 1) == '_')) {
          int end = i + 1;
          while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
          }
          flush(literal, segments);
          segments.add(parameter(text.substring(i + 1, end), depth));
          i = end;
        } else if (c == '`') {
          int end = text.indexOf('`', i + 1);
          flush(literal, segments);
          segments.add(List.of(String.valueOf(UNKNOWN)));
          i = end < 0 ? text.length() : end + 1;
        } else {
          literal.append(c);
          i++;
        }
      }
      flush(literal, segments);
      return product(segments);
    }

    private List<String> expression(String e, int depth) {
      List<String> context = GITHUB_CONTEXT.get(e);
      if (context != null) {
        return context;
      }
      if (e.startsWith("env.") && env.containsKey(e.substring(4))) {
        return expand(env.get(e.substring(4)), depth + 1);
      }
      Matcher tags = STEP_OUTPUT.matcher(e);
      if (tags.matches()) {
        Optional<Step> meta = job.steps().stream()
            .filter(s -> s.id().filter(tags.group(1)::equals).isPresent())
            .filter(s -> s.action().filter("docker/metadata-action"::equals).isPresent())
            .findFirst();
        if (meta.isPresent()) {
          return metadataTags(meta.get(), depth);
        }
      }
      return List.of(String.valueOf(UNKNOWN));
    }

    /** {@code NAME}, {@code NAME,,} (lower case), {@code NAME:0:7} (a substring). */
    private List<String> parameter(String p, int depth) {
      Matcher m = SHELL_PARAMETER.matcher(p);
      if (!m.matches()) {
        return List.of(String.valueOf(UNKNOWN));
      }
      String name = m.group(1);
      List<String> values;
      if (env.containsKey(name)) {
        values = expand(env.get(name), depth + 1);
      } else if (GITHUB_ENV.containsKey(name)) {
        values = GITHUB_CONTEXT.get(GITHUB_ENV.get(name));
      } else {
        return List.of(String.valueOf(UNKNOWN));
      }
      String op = m.group(2);
      if (op == null) {
        return values;
      }
      List<String> out = new ArrayList<>();
      for (String v : values) {
        if (op.equals(",,")) {
          out.add(v.toLowerCase(Locale.ROOT));
        } else if (op.equals("^^")) {
          out.add(v.toUpperCase(Locale.ROOT));
        } else if (v.indexOf(UNKNOWN) >= 0) {
          out.add(String.valueOf(UNKNOWN));
        } else {
          int from = Math.min(v.length(), m.group(3).isEmpty() ? 0 : Integer.parseInt(m.group(3)));
          int to = m.group(4) == null ? v.length() : Math.min(v.length(), from + Integer.parseInt(m.group(4)));
          out.add(v.substring(from, to));
        }
      }
      return out;
    }

    /** The references {@code docker/metadata-action} outputs as {@code tags}: each image with each tag. */
    private List<String> metadataTags(Step meta, int depth) {
      List<String> images = new ArrayList<>();
      for (String line : meta.input("images").orElse("").split("\\n")) {
        String l = line.strip();
        if (l.isEmpty()) {
          continue;
        }
        if (l.contains("name=")) {
          for (String kv : l.split(",")) {
            if (kv.strip().startsWith("name=")) {
              images.addAll(expand(kv.strip().substring(5), depth + 1));
            }
          }
        } else {
          for (String image : l.split(",")) {
            if (!image.isBlank()) {
              images.addAll(expand(image.strip(), depth + 1));
            }
          }
        }
      }
      if (images.isEmpty()) {
        return List.of(String.valueOf(UNKNOWN));
      }
      Set<String> tags = new LinkedHashSet<>();
      Optional<String> written = meta.input("tags");
      List<String> specs = written.map(t -> List.of(t.split("\\n"))).orElse(
          List.of("type=schedule", "type=ref,event=branch", "type=ref,event=tag", "type=ref,event=pr"));
      for (String spec : specs) {
        if (!spec.isBlank()) {
          tags.addAll(metadataTag(spec.strip(), depth));
        }
      }
      List<String> out = new ArrayList<>();
      for (String image : images) {
        for (String tag : tags) {
          if (out.size() < MAX_EXPANSIONS) {
            out.add(image + ":" + tag);
          }
        }
      }
      return out;
    }

    /** The tags one {@code tags} line of {@code docker/metadata-action} gives. */
    private List<String> metadataTag(String spec, int depth) {
      Map<String, String> attributes = new LinkedHashMap<>();
      for (String kv : spec.split(",")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          attributes.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
        }
      }
      if (attributes.isEmpty()) {
        attributes.put("type", "raw");
        attributes.put("value", spec);
      }
      String prefix = attributes.getOrDefault("prefix", "");
      String suffix = attributes.getOrDefault("suffix", "");
      List<String> values = switch (attributes.getOrDefault("type", "raw")) {
        case "sha" -> {
          prefix = attributes.getOrDefault("prefix", "sha-");
          yield List.of(attributes.getOrDefault("format", "short").equals("long") ? SHA : SHA.substring(0, 7));
        }
        case "semver", "pep440" -> List.of(semver(attributes.getOrDefault("pattern", "{{version}}")));
        case "ref" -> switch (attributes.getOrDefault("event", "")) {
          case "branch" -> List.of("main");
          case "tag" -> RELEASE_TAGS;
          case "pr" -> List.of("pr-1");
          default -> List.of(String.valueOf(UNKNOWN));
        };
        case "raw" -> expand(attributes.getOrDefault("value", ""), depth + 1);
        case "schedule" -> List.of(attributes.getOrDefault("pattern", "nightly").contains("{{")
            ? String.valueOf(UNKNOWN) : attributes.getOrDefault("pattern", "nightly"));
        case "edge" -> List.of("edge");
        default -> List.of(String.valueOf(UNKNOWN));
      };
      List<String> out = new ArrayList<>();
      for (String v : values) {
        out.add(prefix + v + suffix);
      }
      return out;
    }

    private static String semver(String pattern) {
      return pattern.replace("{{version}}", "1.2.3").replace("{{raw}}", "v1.2.3")
          .replace("{{major}}", "1").replace("{{minor}}", "2").replace("{{patch}}", "3");
    }

    private static void flush(StringBuilder literal, List<List<String>> segments) {
      if (literal.length() > 0) {
        segments.add(List.of(literal.toString()));
        literal.setLength(0);
      }
    }

    private static List<String> product(List<List<String>> segments) {
      List<String> out = List.of("");
      for (List<String> alternatives : segments) {
        List<String> next = new ArrayList<>();
        for (String prefix : out) {
          for (String alternative : alternatives) {
            if (next.size() < MAX_EXPANSIONS) {
              next.add(prefix + alternative);
            }
          }
        }
        out = next;
      }
      return out;
    }

    private static int closing(String text, int open) {
      int depth = 0;
      for (int i = open; i < text.length(); i++) {
        if (text.charAt(i) == '(') {
          depth++;
        } else if (text.charAt(i) == ')' && --depth == 0) {
          return i;
        }
      }
      return -1;
    }

    private static String unquote(String value) {
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
        return value.substring(1, value.length() - 1);
      }
      return value;
    }
  }
}
