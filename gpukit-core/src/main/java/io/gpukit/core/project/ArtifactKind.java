package io.gpukit.core.project;

import io.gpukit.core.dockerfile.DockerfileKind;
import io.gpukit.core.internal.EditDistance;
import io.gpukit.core.k8s.K8sKind;
import io.gpukit.core.k8s.ManifestParser;
import io.gpukit.core.policy.FileKind;
import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.BuiltInRules;
import io.gpukit.core.promotion.PromotionKind;
import io.gpukit.core.workflow.WorkflowKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The kinds of files gpukit checks, and how a file is recognised: by name first, then, for a file
 * named explicitly, by content.
 *
 * @since 0.1.0
 */
public enum ArtifactKind {
  /** {@code Dockerfile}, {@code *.Dockerfile}, {@code Dockerfile.*}, {@code Dockerfile-*}, {@code Dockerfile_*} (TGI's {@code Dockerfile_amd}), {@code Containerfile}. */
  DOCKERFILE(DockerfileKind.INSTANCE),
  /** GitHub Actions workflows: {@code .github/workflows/*.yml} and {@code *.yaml}. */
  WORKFLOW(WorkflowKind.INSTANCE),
  /** Kubernetes manifests: {@code *.yaml} and {@code *.yml} with a top-level {@code apiVersion} and {@code kind}. */
  KUBERNETES(K8sKind.INSTANCE),
  /**
   * Promotion flows and rollback runbooks: {@code promotion.yaml}, {@code promotion.yml}, {@code
   * promotion.json}, {@code ROLLBACK.md} (any case); other YAML or JSON files with a top-level {@code
   * image_promotion_flow}. Other Markdown files are never runbooks.
   */
  PROMOTION(PromotionKind.INSTANCE);

  private static final Pattern DOCKERFILE_NAME =
      Pattern.compile("(?i)(dockerfile|containerfile)([._-][^/]*)?|[^/]+\\.(dockerfile|containerfile)");
  /** {@code Dockerfile.<ext>} files that are not Dockerfiles: sources, docs, templates, BuildKit's per-file ignores. */
  private static final Pattern NOT_A_DOCKERFILE =
      Pattern.compile(
          "(?i).*\\.(java|kt|kts|scala|groovy|go|py|rb|js|ts|rs|c|h|cc|cpp|cs|md|adoc|txt|json|ya?ml|xml|toml"
              + "|out|sh|bat|class|jar|bak|orig|rej|swp|tmpl|template|tpl|j2|jinja|erb|dockerignore|lock"
              + "|html?|css|svg|png|jpe?g|gif|pdf|rst|properties|log|diff|patch|gz|tgz|zip|tar|php|pl|lua|swift"
              + "|gradle|ps1|csv|sql)");
  private static final Pattern WORKFLOW_PATH = Pattern.compile("(^|/)\\.github/workflows/[^/]+\\.ya?ml");
  private static final Pattern WORKFLOW_ON = Pattern.compile("(?m)^(on|\"on\"|'on')\\s*:");
  private static final Pattern WORKFLOW_JOBS = Pattern.compile("(?m)^jobs\\s*:");
  private static final Pattern PROMOTION_NAME = Pattern.compile("(?i)promotion\\.(ya?ml|json)|rollback\\.md");
  /** A top-level {@code image_promotion_flow} key in YAML, or the key anywhere in JSON. */
  private static final Pattern PROMOTION_FLOW_KEY =
      Pattern.compile("(?m)^(image_promotion_flow|\"image_promotion_flow\"|'image_promotion_flow')\\s*:"
          + "|^\\s*\\{?\\s*\"image_promotion_flow\"\\s*:");
  private static final Pattern DOCKERFILE_FIRST_INSTRUCTION = Pattern.compile("(?i)^\\s*(from|arg)\\s+\\S");

  private final FileKind<?> kind;

  ArtifactKind(FileKind<?> kind) {
    this.kind = kind;
  }

  /** The parser and rules of this kind. */
  public FileKind<?> fileKind() {
    return kind;
  }

  /** The kind a file name says, if it says one. */
  public static Optional<ArtifactKind> byName(String fileName) {
    if (DOCKERFILE_NAME.matcher(fileName).matches() && !NOT_A_DOCKERFILE.matcher(fileName).matches()) {
      return Optional.of(DOCKERFILE);
    }
    if (PROMOTION_NAME.matcher(fileName).matches()) {
      return Optional.of(PROMOTION);
    }
    return Optional.empty();
  }

  /**
   * The kind a path says: its file name, else where it lies (a {@code .yml} or {@code .yaml} file in
   * {@code .github/workflows} is a workflow).
   */
  public static Optional<ArtifactKind> byPath(Path file) {
    Optional<ArtifactKind> named = file.getFileName() == null ? Optional.empty() : byName(file.getFileName().toString());
    if (named.isPresent()) {
      return named;
    }
    String path = file.toAbsolutePath().normalize().toString().replace('\\', '/');
    return WORKFLOW_PATH.matcher(path).find() ? Optional.of(WORKFLOW) : Optional.empty();
  }

  /**
   * The kind the text says: a Dockerfile when its first instruction (after comments, directives and
   * blank lines) is {@code FROM} or {@code ARG}; a workflow when it is YAML with top-level {@code
   * on} and {@code jobs}; Kubernetes manifests when a line at column 0 sets {@code apiVersion} and
   * one sets {@code kind}; a promotion flow when it has a top-level {@code image_promotion_flow} key.
   */
  public static Optional<ArtifactKind> byContent(String text) {
    for (String line : text.lines().limit(1000).toList()) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      if (DOCKERFILE_FIRST_INSTRUCTION.matcher(t).find()) {
        return Optional.of(DOCKERFILE);
      }
      break;
    }
    if (WORKFLOW_ON.matcher(text).find() && WORKFLOW_JOBS.matcher(text).find()) {
      return Optional.of(WORKFLOW);
    }
    if (PROMOTION_FLOW_KEY.matcher(text).find()) {
      return Optional.of(PROMOTION);
    }
    return ManifestParser.looksLikeManifest(text) ? Optional.of(KUBERNETES) : Optional.empty();
  }

  /**
   * Whether a path may hold Kubernetes manifests: a {@code .yaml} or {@code .yml} file outside
   * {@code .github/workflows}. Its content decides ({@link #byContent(String)}).
   */
  public static boolean isManifestCandidate(String path) {
    String p = path.replace('\\', '/');
    return (p.endsWith(".yaml") || p.endsWith(".yml")) && !p.contains(".github/workflows/");
  }

  /**
   * Whether a path may hold a promotion flow that only its content reveals: a {@code .yaml}, {@code
   * .yml} or {@code .json} file outside {@code .github/workflows}.
   */
  public static boolean isPromotionCandidate(String path) {
    String p = path.replace('\\', '/');
    return isManifestCandidate(p) || (p.endsWith(".json") && !p.contains(".github/workflows/"));
  }

  /** The kind with this short name ({@code dockerfile}, {@code workflow}, {@code k8s}, {@code promotion}). */
  public static Optional<ArtifactKind> byKindName(String name) {
    for (ArtifactKind k : values()) {
      if (k.kind.name().equals(name.toLowerCase(Locale.ROOT))) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** Every rule gpukit has, the engine's own and the project view's cross-file rules included, sorted by id. */
  public static List<RuleDescriptor> allRules() {
    List<RuleDescriptor> all = new ArrayList<>(BuiltInRules.ALL);
    for (ArtifactKind k : values()) {
      k.kind.rules().forEach(r -> all.add(r.descriptor()));
    }
    all.addAll(ProjectRules.descriptors());
    all.sort(Comparator.comparing(RuleDescriptor::id));
    return List.copyOf(all);
  }

  /** The id of the rule whose id is closest to {@code id} (for "did you mean …?"). */
  public static Optional<String> closestRuleId(String id) {
    return EditDistance.closest(id, allRules().stream().map(RuleDescriptor::id).toList(), Integer.MAX_VALUE);
  }

  /** A rule by id. */
  public static Optional<RuleDescriptor> rule(String id) {
    return allRules().stream().filter(r -> r.id().equals(id)).findFirst();
  }
}
