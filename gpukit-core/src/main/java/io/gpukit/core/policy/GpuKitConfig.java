package io.gpukit.core.policy;

import io.gpukit.core.internal.yaml.YamlReader;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.source.SourceParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The repository's {@code gpukit.yaml}: ignores, severity overrides, the fail threshold, which CI
 * runner labels mean "GPU" and which commands count as a GPU probe.
 *
 * <pre>{@code
 * fail-on: error               # error | warning | info | never
 * baseline: gpukit-baseline.txt
 * ignore:
 *   - rule: dockerfile/base-image-pinned
 *     paths: ["legacy/**"]
 *     reason: the legacy image is rebuilt by the platform team
 * severity:
 *   dockerfile/final-stage-full-jdk: error
 *   dockerfile/exec-form: off
 * gpu:
 *   runner-labels: ["^gpu-pool-.*"]       # regular expressions, added to the defaults
 *   probe-commands: ["/opt/bin/gpu-ready"] # regular expressions, added to the defaults
 *   images: ["^registry\\.example\\.com/ml/.*"] # container images that use a GPU (Kubernetes)
 *   probe-paths: ["^/ready/gpu$"]        # HTTP probe paths that exercise the GPU (Kubernetes)
 *   probe-timeout-seconds: 2             # the least timeoutSeconds a GPU probe needs (default 1)
 *   paths: ["services/llm/**"]           # path globs of files that are GPU, whatever they contain
 *   not-paths: ["docker/postgres/**"]    # path globs of files that are not GPU, whatever they contain
 * floating-tags: ["^canary$"]            # image tags that move, regular expressions added to the defaults
 * promotion:
 *   stage-order: ["^dev$", "^staging$", "^prod$"] # regular expressions, one per stage, in order
 * project:                               # where the project view looks, instead of the conventional places
 *   dockerfiles: ["docker/gpu.Dockerfile"] # path globs relative to this file
 *   workflows: [".github/workflows/release.yml"]
 *   manifests: ["deploy/k8s/**"]
 *   promotion: ["release/promotion.yaml", "docs/ROLLBACK.md"]
 * }</pre>
 *
 * @param root the folder paths in the configuration are relative to
 * @param source the file it was read from; empty for the defaults
 * @param failOn the least severity that fails a check; empty means never fail
 * @param baseline the baseline file, resolved against {@code root}
 * @param ignores rules ignored by id and path
 * @param severityOverrides a severity per rule id; an empty value turns the rule off
 * @param gpuRunnerLabels patterns of CI runner labels that mean a GPU runner, defaults first
 * @param gpuProbeCommands patterns of commands that count as a GPU probe, defaults first
 * @param ruleReferences every rule id the file names (under {@code severity} or {@code ignore}),
 *     with where, so that a misspelt id can be reported instead of silently matching nothing
 * @param gpuImages patterns of container images that use a GPU, besides CUDA images and
 *     containers that ask for {@code nvidia.com/gpu}
 * @param gpuProbePaths patterns of HTTP probe paths whose handler exercises the GPU
 * @param gpuProbeTimeoutSeconds the least {@code timeoutSeconds} a GPU probe needs
 * @param promotionStageOrder patterns of the promotion stages' names, in the order a release
 *     must pass them (by default dev, staging, prod and their usual spellings)
 * @param projectPaths where the project view finds each kind of artifact ({@link #PROJECT_KEYS}),
 *     as path globs relative to {@code root}; a kind not named is looked for in the conventional places
 * @param gpuPaths path globs, relative to {@code root}, of files that are GPU whatever they contain
 *     ({@code gpu.paths})
 * @param notGpuPaths path globs of files that are not GPU whatever they contain ({@code
 *     gpu.not-paths}); they win over {@code gpuPaths} and over every other evidence
 * @param floatingTags patterns of image tags that move ({@code latest}, {@code nightly}…), matched
 *     case-insensitively against the whole tag, defaults first
 * @param gpuFiles files found to be GPU through other files (the Dockerfile whose image a GPU
 *     Deployment runs), relative to {@code root}, with why: set by the project view, never read
 *     from {@code gpukit.yaml}
 * @param notGpuFiles files found not to be GPU through other files (a workflow that builds only
 *     images that are not GPU), relative to {@code root}, with why: set by the project view
 * @since 0.1.0
 */
public record GpuKitConfig(
    Path root,
    Optional<Path> source,
    Optional<Severity> failOn,
    Optional<Path> baseline,
    List<Ignore> ignores,
    Map<String, Optional<Severity>> severityOverrides,
    List<Pattern> gpuRunnerLabels,
    List<Pattern> gpuProbeCommands,
    Map<String, SourceLocation> ruleReferences,
    List<Pattern> gpuImages,
    List<Pattern> gpuProbePaths,
    int gpuProbeTimeoutSeconds,
    List<Pattern> promotionStageOrder,
    Map<String, List<PathGlob>> projectPaths,
    List<PathGlob> gpuPaths,
    List<PathGlob> notGpuPaths,
    List<Pattern> floatingTags,
    Map<String, String> gpuFiles,
    Map<String, String> notGpuFiles) {

  /** The configuration file's conventional name, at the repository root. */
  public static final String FILE_NAME = "gpukit.yaml";

  /**
   * Runner labels that name AMD's GPUs: {@code amd}, {@code rocm}, Instinct models ({@code mi250},
   * {@code mi300x}) and architectures ({@code gfx90a}, {@code gfx942}), as words of the label ({@code
   * amd64} is not one). One of {@link #DEFAULT_GPU_RUNNER_LABELS}.
   */
  public static final Pattern AMD_GPU_RUNNER_LABEL =
      Pattern.compile("(?i)(.*[-_.])?(amd|rocm|mi\\d{2,3}[a-z]?|radeon|instinct|gfx\\d{2,4}[a-z]?)([-_.].*)?");

  /**
   * Runner labels and group names that name a cloud GPU instance: AWS families ({@code g4dn}, {@code
   * g4ad}, {@code g5}, {@code g5g}, {@code g6}, {@code g6e}, {@code gr6}, {@code p3}, {@code p4d},
   * {@code p5}…, alone or with a size: {@code g5.xlarge}, {@code p4d-24xlarge}), Google Cloud's
   * accelerator-optimized machines ({@code a2-highgpu-1g}, {@code a3-megagpu-8g}, {@code
   * g2-standard-8}) and Azure's N series ({@code Standard_NC24ads_A100_v4}, {@code Standard_ND96asr_v4},
   * {@code Standard_NV36ads_A10_v5}), as words of the label. One of {@link #DEFAULT_GPU_RUNNER_LABELS}.
   */
  public static final Pattern CLOUD_GPU_INSTANCE_LABEL =
      Pattern.compile(
          "(?i)(.*[-_.=/:])?(g4dn|g4ad|g5g?|g6e?|gr6|p3dn?|p4de?|p5e?n?)([-_.][0-9]*x?(large|metal)|[-_.].*)?"
              + "|(.*[-_.=/:])?(a2-(highgpu|ultragpu|megagpu)|a3-(highgpu|megagpu|edgegpu|ultragpu)|g2-standard)([-_.].*)?"
              + "|(.*[-_.=/:])?standard_n[cdv]\\d+\\w*");

  /**
   * Runner labels that mean a GPU by default, matched case-insensitively against each label: how
   * GPU projects name runners ({@code gpu}, {@code nvidia}, {@code cuda} anywhere, {@code cu121},
   * GPU models, AMD's names and cloud GPU instance types).
   */
  public static final List<Pattern> DEFAULT_GPU_RUNNER_LABELS =
      List.of(
          Pattern.compile("(?i).*(gpu|nvidia|cuda).*"),
          Pattern.compile("(?i)(.*[-_.])?cu\\d{2,3}([-_.].*)?"),
          Pattern.compile(
              "(?i)(.*[-_.])?(a100|a10|a10g|a30|a40|a6000|a5000|a4000|h100|h200|h20|b100|b200|gb200"
                  + "|l4|l40|l40s|t4|v100|p100|p4|k80|rtx\\d*)([-_.].*)?"),
          AMD_GPU_RUNNER_LABEL,
          CLOUD_GPU_INSTANCE_LABEL);

  /**
   * Image tags that move by default, matched case-insensitively against the whole tag: {@code
   * latest} as a word of the tag ({@code latest-gpu}, {@code gpu-latest}); {@code nightly}, {@code
   * rolling}, {@code edge}, {@code main}, {@code master}, {@code dev}, {@code develop}, {@code
   * canary}, {@code lts}, {@code current} and {@code stable}, alone or with word suffixes ({@code
   * nightly-gpu}, {@code lts-alpine3.20}). A dated tag ({@code nightly-2026-01-05}) does not move.
   */
  public static final List<Pattern> DEFAULT_FLOATING_TAGS =
      List.of(
          Pattern.compile("(?i)(.*[-_.])?latest([-_.].*)?"),
          Pattern.compile(
              "(?i)(nightly|rolling|edge|main|master|dev|develop|canary|lts|current|stable)([-_.][a-z]+[\\d.]*)*"));

  /**
   * Commands that count as a GPU probe by default: the gpukit probe, and conventional GPU smoke
   * test scripts ({@code python3 /app/smoke_test.py}, {@code gpu_check.sh}, {@code cuda-probe.py}).
   */
  public static final List<Pattern> DEFAULT_GPU_PROBE_COMMANDS =
      List.of(
          Pattern.compile("gpukit-probe"),
          Pattern.compile("io\\.gpukit\\.probe"),
          Pattern.compile(
              "(?i)(^|[\\s/'\"=])[\\w-]*(smoke|gpu|cuda|nvml)[\\w-]*(test|check|probe)[\\w-]*\\.(py|sh)\\b"),
          Pattern.compile(
              "(?i)(^|[\\s/'\"=])[\\w-]*(test|check|probe)[\\w-]*(smoke|gpu|cuda|nvml)[\\w-]*\\.(py|sh)\\b"));

  private static final Set<String> TOP_LEVEL_KEYS =
      Set.of("fail-on", "baseline", "ignore", "severity", "gpu", "promotion", "project", "floating-tags");

  /**
   * The promotion stages a release passes, in order, by default: development, then staging (or a
   * QA, UAT or pre-production stage), then production.
   */
  public static final List<Pattern> DEFAULT_PROMOTION_STAGE_ORDER =
      List.of(
          Pattern.compile("(?i)^(dev|develop|development)$"),
          Pattern.compile("(?i)^(stage|staging|stg|qa|uat|test|pre-?prod|preproduction)$"),
          Pattern.compile("(?i)^(prod|production|live)$"));

  /** The keys under {@code project}: one per kind of artifact the project view reads. */
  public static final Set<String> PROJECT_KEYS = Set.of("dockerfiles", "workflows", "manifests", "promotion");

  private static final Set<String> PROMOTION_KEYS = Set.of("stage-order");

  /** The least {@code timeoutSeconds} a GPU probe needs by default: the gpukit probe's readiness mode fits in 1 s. */
  public static final int DEFAULT_GPU_PROBE_TIMEOUT_SECONDS = 1;

  private static final Set<String> GPU_KEYS =
      Set.of("runner-labels", "probe-commands", "images", "probe-paths", "probe-timeout-seconds", "paths", "not-paths");

  /** An ignore entry: a rule id (or {@code *}) on paths matching any glob (all paths if none). */
  public record Ignore(String ruleId, List<PathGlob> paths, String reason, SourceLocation location) {
    /** Copies the globs. */
    public Ignore {
      Objects.requireNonNull(ruleId, "ruleId");
      paths = List.copyOf(paths);
      reason = reason == null ? "" : reason;
    }

    /** Whether this entry ignores a rule at a relative path. */
    public boolean matches(String id, String relativePath) {
      boolean ruleMatches = ruleId.equals("*") || ruleId.equals(id);
      return ruleMatches && (paths.isEmpty() || paths.stream().anyMatch(g -> g.matches(relativePath)));
    }
  }

  /** Copies everything. */
  public GpuKitConfig {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(failOn, "failOn");
    Objects.requireNonNull(baseline, "baseline");
    ignores = List.copyOf(ignores);
    severityOverrides = Map.copyOf(severityOverrides);
    gpuRunnerLabels = List.copyOf(gpuRunnerLabels);
    gpuProbeCommands = List.copyOf(gpuProbeCommands);
    ruleReferences = Map.copyOf(ruleReferences);
    gpuImages = List.copyOf(gpuImages);
    gpuProbePaths = List.copyOf(gpuProbePaths);
    promotionStageOrder = List.copyOf(promotionStageOrder);
    Map<String, List<PathGlob>> copied = new LinkedHashMap<>();
    projectPaths.forEach((k, v) -> copied.put(k, List.copyOf(v)));
    projectPaths = Collections.unmodifiableMap(copied);
    gpuPaths = List.copyOf(gpuPaths);
    notGpuPaths = List.copyOf(notGpuPaths);
    floatingTags = List.copyOf(floatingTags);
    gpuFiles = Collections.unmodifiableMap(new LinkedHashMap<>(gpuFiles));
    notGpuFiles = Collections.unmodifiableMap(new LinkedHashMap<>(notGpuFiles));
  }

  /** The defaults: fail on errors, nothing ignored, the default GPU patterns. */
  public static GpuKitConfig defaults(Path root) {
    return new GpuKitConfig(
        root,
        Optional.empty(),
        Optional.of(Severity.ERROR),
        Optional.empty(),
        List.of(),
        Map.of(),
        DEFAULT_GPU_RUNNER_LABELS,
        DEFAULT_GPU_PROBE_COMMANDS,
        Map.of(),
        List.of(),
        List.of(),
        DEFAULT_GPU_PROBE_TIMEOUT_SECONDS,
        DEFAULT_PROMOTION_STAGE_ORDER,
        Map.of(),
        List.of(),
        List.of(),
        DEFAULT_FLOATING_TAGS,
        Map.of(),
        Map.of());
  }

  /** The defaults, relative to the working directory. */
  public static GpuKitConfig defaults() {
    return defaults(Path.of(""));
  }

  /** Reads {@code gpukit.yaml} from a folder if it has one, else the defaults for that folder. */
  public static GpuKitConfig discover(Path folder) {
    Path file = folder.resolve(FILE_NAME);
    return Files.isRegularFile(file) ? load(file) : defaults(folder);
  }

  /**
   * Reads a configuration file; paths in it are relative to its folder.
   *
   * @throws SourceParseException with the file:line of anything unknown or malformed
   */
  public static GpuKitConfig load(Path file) {
    SourceFile source = SourceFile.read(file);
    Path root = file.toAbsolutePath().getParent() == null ? Path.of("") : parentOf(file);
    GpuKitConfig config = defaults(root);
    Optional<Node> doc = YamlReader.composeOne(source);
    if (doc.isEmpty()) {
      return withSource(config, file);
    }
    MappingNode top = YamlReader.mapping(file, doc.get(), "gpukit.yaml");
    Optional<Severity> failOn = config.failOn();
    Optional<Path> baseline = Optional.empty();
    List<Ignore> ignores = new ArrayList<>();
    Map<String, Optional<Severity>> overrides = new LinkedHashMap<>();
    List<Pattern> labels = new ArrayList<>(DEFAULT_GPU_RUNNER_LABELS);
    List<Pattern> probes = new ArrayList<>(DEFAULT_GPU_PROBE_COMMANDS);
    List<Pattern> images = new ArrayList<>();
    List<Pattern> paths = new ArrayList<>();
    int[] probeTimeout = {DEFAULT_GPU_PROBE_TIMEOUT_SECONDS};
    List<Pattern> stageOrder = new ArrayList<>(DEFAULT_PROMOTION_STAGE_ORDER);
    Map<String, List<PathGlob>> projectPaths = new LinkedHashMap<>();
    Map<String, List<PathGlob>> scopePaths = new LinkedHashMap<>();
    List<Pattern> floating = new ArrayList<>(DEFAULT_FLOATING_TAGS);
    for (NodeTuple t : top.getValue()) {
      String key = YamlReader.key(file, t);
      Node value = t.getValueNode();
      switch (key) {
        case "fail-on" -> failOn = parseFailOn(file, value);
        case "baseline" -> baseline = Optional.of(root.resolve(YamlReader.scalar(file, value, "baseline")));
        case "ignore" -> ignores.addAll(parseIgnores(file, value));
        case "severity" -> overrides.putAll(parseSeverities(file, value));
        case "gpu" -> parseGpu(file, value, labels, probes, images, paths, probeTimeout, scopePaths);
        case "floating-tags" -> floating.addAll(patterns(file, value, "floating-tags", true));
        case "promotion" -> parsePromotion(file, value, stageOrder);
        case "project" -> parseProject(file, value, projectPaths);
        default -> throw unknownKey(file, t, key, TOP_LEVEL_KEYS);
      }
    }
    Map<String, SourceLocation> references = new LinkedHashMap<>();
    ignores.stream().filter(i -> !i.ruleId().equals("*")).forEach(i -> references.putIfAbsent(i.ruleId(), i.location()));
    YamlReader.get(top, "severity")
        .filter(MappingNode.class::isInstance)
        .map(MappingNode.class::cast)
        .ifPresent(m -> m.getValue().forEach(t -> references.putIfAbsent(
            YamlReader.key(file, t), YamlReader.location(file, t.getKeyNode()))));
    return new GpuKitConfig(
        root, Optional.of(file), failOn, baseline, ignores, overrides, labels, probes, references,
        images, paths, probeTimeout[0], stageOrder, projectPaths,
        scopePaths.getOrDefault("paths", List.of()), scopePaths.getOrDefault("not-paths", List.of()), floating, Map.of(), Map.of());
  }

  private static Path parentOf(Path file) {
    Path parent = file.getParent();
    return parent == null ? Path.of("") : parent;
  }

  private static GpuKitConfig withSource(GpuKitConfig c, Path file) {
    return new GpuKitConfig(
        c.root(), Optional.of(file), c.failOn(), c.baseline(), c.ignores(), c.severityOverrides(),
        c.gpuRunnerLabels(), c.gpuProbeCommands(), c.ruleReferences(),
        c.gpuImages(), c.gpuProbePaths(), c.gpuProbeTimeoutSeconds(), c.promotionStageOrder(), c.projectPaths(),
        c.gpuPaths(), c.notGpuPaths(), c.floatingTags(), c.gpuFiles(), c.notGpuFiles());
  }

  private static Optional<Severity> parseFailOn(Path file, Node value) {
    String text = YamlReader.scalar(file, value, "fail-on");
    if (text.equalsIgnoreCase("never")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Severity.fromLabel(text));
    } catch (IllegalArgumentException e) {
      throw new SourceParseException(
          YamlReader.location(file, value),
          "fail-on must be error, warning, info or never but was '" + text + "'");
    }
  }

  private static List<Ignore> parseIgnores(Path file, Node value) {
    if (!(value instanceof SequenceNode seq)) {
      throw new SourceParseException(YamlReader.location(file, value), "ignore should be a list of {rule, paths, reason}");
    }
    List<Ignore> out = new ArrayList<>();
    for (Node item : seq.getValue()) {
      MappingNode m = YamlReader.mapping(file, item, "an ignore entry");
      String rule = null;
      List<PathGlob> globs = new ArrayList<>();
      String reason = "";
      for (NodeTuple t : m.getValue()) {
        String key = YamlReader.key(file, t);
        switch (key) {
          case "rule" -> rule = YamlReader.scalar(file, t.getValueNode(), "rule");
          case "paths" -> {
            for (String g : YamlReader.scalars(file, t.getValueNode(), "paths")) {
              try {
                globs.add(PathGlob.of(g));
              } catch (IllegalArgumentException e) {
                throw new SourceParseException(YamlReader.location(file, t.getValueNode()), "paths: " + e.getMessage());
              }
            }
          }
          case "reason" -> reason = YamlReader.scalar(file, t.getValueNode(), "reason");
          default -> throw unknownKey(file, t, key, Set.of("rule", "paths", "reason"));
        }
      }
      if (rule == null) {
        throw new SourceParseException(YamlReader.location(file, item), "an ignore entry needs 'rule' (a rule id or '*')");
      }
      out.add(new Ignore(rule, globs, reason, YamlReader.location(file, item)));
    }
    return out;
  }

  private static Map<String, Optional<Severity>> parseSeverities(Path file, Node value) {
    MappingNode m = YamlReader.mapping(file, value, "severity");
    Map<String, Optional<Severity>> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      String id = YamlReader.key(file, t);
      String level = YamlReader.scalar(file, t.getValueNode(), "severity of " + id);
      if (level.equalsIgnoreCase("off")) {
        out.put(id, Optional.empty());
        continue;
      }
      try {
        out.put(id, Optional.of(Severity.fromLabel(level)));
      } catch (IllegalArgumentException e) {
        throw new SourceParseException(
            YamlReader.location(file, t.getValueNode()),
            "severity of '" + id + "' must be error, warning, info or off but was '" + level + "'");
      }
    }
    return out;
  }

  private static void parseGpu(
      Path file, Node value, List<Pattern> labels, List<Pattern> probes, List<Pattern> images,
      List<Pattern> paths, int[] probeTimeout, Map<String, List<PathGlob>> scopePaths) {
    MappingNode m = YamlReader.mapping(file, value, "gpu");
    for (NodeTuple t : m.getValue()) {
      String key = YamlReader.key(file, t);
      switch (key) {
        case "runner-labels" -> labels.addAll(patterns(file, t.getValueNode(), "gpu.runner-labels", true));
        case "probe-commands" -> probes.addAll(patterns(file, t.getValueNode(), "gpu.probe-commands", false));
        case "images" -> images.addAll(patterns(file, t.getValueNode(), "gpu.images", false));
        case "probe-paths" -> paths.addAll(patterns(file, t.getValueNode(), "gpu.probe-paths", false));
        case "probe-timeout-seconds" -> probeTimeout[0] = positiveInt(file, t.getValueNode(), "gpu.probe-timeout-seconds");
        case "paths", "not-paths" -> scopePaths.put(key, globs(file, t.getValueNode(), "gpu." + key));
        default -> throw unknownKey(file, t, key, GPU_KEYS);
      }
    }
  }

  private static void parsePromotion(Path file, Node value, List<Pattern> stageOrder) {
    MappingNode m = YamlReader.mapping(file, value, "promotion");
    for (NodeTuple t : m.getValue()) {
      String key = YamlReader.key(file, t);
      if (!key.equals("stage-order")) {
        throw unknownKey(file, t, key, PROMOTION_KEYS);
      }
      List<Pattern> order = patterns(file, t.getValueNode(), "promotion.stage-order", false);
      if (order.size() < 2) {
        throw new SourceParseException(
            YamlReader.location(file, t.getValueNode()),
            "promotion.stage-order needs at least two stages, in the order a release passes them");
      }
      stageOrder.clear();
      stageOrder.addAll(order);
    }
  }

  private static void parseProject(Path file, Node value, Map<String, List<PathGlob>> projectPaths) {
    MappingNode m = YamlReader.mapping(file, value, "project");
    for (NodeTuple t : m.getValue()) {
      String key = YamlReader.key(file, t);
      if (!PROJECT_KEYS.contains(key)) {
        throw unknownKey(file, t, key, PROJECT_KEYS);
      }
      projectPaths.put(key, globs(file, t.getValueNode(), "project." + key));
    }
  }

  private static List<PathGlob> globs(Path file, Node node, String what) {
    List<PathGlob> globs = new ArrayList<>();
    for (String glob : YamlReader.scalars(file, node, what)) {
      try {
        globs.add(PathGlob.of(glob));
      } catch (IllegalArgumentException e) {
        throw new SourceParseException(YamlReader.location(file, node), what + ": " + e.getMessage());
      }
    }
    return globs;
  }

  private static int positiveInt(Path file, Node node, String what) {
    String text = YamlReader.scalar(file, node, what);
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new SourceParseException(
        YamlReader.location(file, node), what + " must be a whole number of seconds, 1 or more, but was '" + text + "'");
  }

  private static List<Pattern> patterns(Path file, Node node, String what, boolean ignoreCase) {
    List<Pattern> out = new ArrayList<>();
    for (String regex : YamlReader.scalars(file, node, what)) {
      try {
        out.add(Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
      } catch (PatternSyntaxException e) {
        throw new SourceParseException(
            YamlReader.location(file, node),
            what + " item '" + regex + "' is not a valid regular expression: " + e.getDescription());
      }
    }
    return out;
  }

  private static SourceParseException unknownKey(Path file, NodeTuple t, String key, Set<String> known) {
    return new SourceParseException(
        YamlReader.location(file, t.getKeyNode()),
        "unknown key '" + key + "'; expected one of " + known.stream().sorted().toList());
  }

  /** The effective severity of a rule: the override if any, else its default; empty when off. */
  public Optional<Severity> severityOf(String ruleId, Severity defaultSeverity) {
    return severityOverrides.containsKey(ruleId)
        ? severityOverrides.get(ruleId)
        : Optional.of(defaultSeverity);
  }

  /** The ignore entry that silences a rule at a file, if any. */
  public Optional<Ignore> ignoreFor(String ruleId, Path file) {
    String relative = relativize(file);
    return ignores.stream().filter(i -> i.matches(ruleId, relative)).findFirst();
  }

  /** A file's path relative to {@link #root()}, with {@code /}. */
  public String relativize(Path file) {
    Path absRoot = root.toAbsolutePath().normalize();
    Path absFile = file.toAbsolutePath().normalize();
    Path rel = absFile.startsWith(absRoot) ? absRoot.relativize(absFile) : file.normalize();
    return SourceLocation.renderPath(rel);
  }

  /** Whether a CI runner label means a GPU runner. */
  public boolean isGpuRunnerLabel(String label) {
    return gpuRunnerLabels.stream().anyMatch(p -> p.matcher(label).matches());
  }

  /** Whether a command line runs a GPU probe. */
  public boolean isGpuProbeCommand(String commandLine) {
    return gpuProbeCommands.stream().anyMatch(p -> p.matcher(commandLine).find());
  }

  /** This configuration with another fail threshold; empty means never fail. */
  public GpuKitConfig withFailOn(Optional<Severity> threshold) {
    return new GpuKitConfig(
        root, source, threshold, baseline, ignores, severityOverrides, gpuRunnerLabels, gpuProbeCommands,
        ruleReferences, gpuImages, gpuProbePaths, gpuProbeTimeoutSeconds, promotionStageOrder, projectPaths,
        gpuPaths, notGpuPaths, floatingTags, gpuFiles, notGpuFiles);
  }

  /**
   * This configuration with files found to be GPU through other files, relative paths to why (the
   * project view sets it before the per-file rules run).
   */
  public GpuKitConfig withGpuFiles(Map<String, String> found) {
    return new GpuKitConfig(
        root, source, failOn, baseline, ignores, severityOverrides, gpuRunnerLabels, gpuProbeCommands,
        ruleReferences, gpuImages, gpuProbePaths, gpuProbeTimeoutSeconds, promotionStageOrder, projectPaths,
        gpuPaths, notGpuPaths, floatingTags, found, notGpuFiles);
  }

  /**
   * This configuration with files found not to be GPU through other files, relative paths to why
   * (the project view sets it before the per-file rules run).
   */
  public GpuKitConfig withNotGpuFiles(Map<String, String> found) {
    return new GpuKitConfig(
        root, source, failOn, baseline, ignores, severityOverrides, gpuRunnerLabels, gpuProbeCommands,
        ruleReferences, gpuImages, gpuProbePaths, gpuProbeTimeoutSeconds, promotionStageOrder, projectPaths,
        gpuPaths, notGpuPaths, floatingTags, gpuFiles, found);
  }

  /**
   * What is said of a file outright: {@code false} when {@code gpu.not-paths} matches it (or the
   * project view found it not GPU: {@link #notGpuFiles()}), else {@code true} when {@code gpu.paths}
   * matches it, else empty (its content decides).
   */
  public Optional<Boolean> declaredGpu(Path file) {
    String relative = relativize(file);
    if (notGpuPaths.stream().anyMatch(g -> g.matches(relative)) || notGpuFiles.containsKey(relative)) {
      return Optional.of(false);
    }
    return gpuPaths.stream().anyMatch(g -> g.matches(relative)) ? Optional.of(true) : Optional.empty();
  }

  /** Why the project view found a file to be GPU through other files ({@link #gpuFiles()}), if it did. */
  public Optional<String> gpuFileEvidence(Path file) {
    return Optional.ofNullable(gpuFiles.get(relativize(file)));
  }

  /** Whether an image tag moves ({@code latest}, {@code nightly}…: {@link #floatingTags()}). */
  public boolean isFloatingTag(String tag) {
    return floatingTags.stream().anyMatch(p -> p.matcher(tag).matches());
  }

  /** Whether a container image is configured as one that uses a GPU ({@code gpu.images}). */
  public boolean isGpuImage(String image) {
    return gpuImages.stream().anyMatch(p -> p.matcher(image).find());
  }

  /** Whether an HTTP probe path is configured as one that exercises the GPU ({@code gpu.probe-paths}). */
  public boolean isGpuProbePath(String path) {
    return gpuProbePaths.stream().anyMatch(p -> p.matcher(path).find());
  }

  /**
   * The position of a promotion stage's name in {@code promotion.stage-order}: 0 for the first
   * (development), empty for a name no pattern matches.
   */
  public Optional<Integer> promotionStageRank(String stageName) {
    for (int i = 0; i < promotionStageOrder.size(); i++) {
      if (promotionStageOrder.get(i).matcher(stageName).find()) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /**
   * The path globs the project view reads one kind of artifact from ({@code project.dockerfiles},
   * {@code workflows}, {@code manifests}, {@code promotion}); empty when the conventional places apply.
   */
  public List<PathGlob> projectPaths(String kind) {
    if (!PROJECT_KEYS.contains(kind)) {
      throw new IllegalArgumentException("'" + kind + "' is not one of " + PROJECT_KEYS);
    }
    return projectPaths.getOrDefault(kind, List.of());
  }
}
