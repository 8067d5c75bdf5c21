package io.gpukit.core.promotion;

import io.gpukit.core.internal.EditDistance;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * The promotion flow and rollback runbook rules. Ids are stable: they appear in reports, ignores
 * and baselines.
 *
 * <p>A release passes the stages of {@code promotion.stage-order} in order (by default dev, then
 * staging, then prod: {@link GpuKitConfig#promotionStageRank}), each stage deploying the image the
 * stage before it tested, production behind a person or a smoke test; and when it goes wrong, the
 * rollback commands list the revisions, roll back to a chosen one and wait until it is serving. The
 * stage rules judge flow files ({@link PromotionFileKind#FLOW}); the rollback rules judge the
 * rollback section of a flow and runbooks ({@code ROLLBACK.md}).
 *
 * @since 0.1.0
 */
public final class PromotionRules {

  private PromotionRules() {}

  /** The number of stages a flow needs: one per default rank of {@code promotion.stage-order}. */
  static final int MIN_STAGES = 3;

  /** Strings no image tag can be (Docker tags are {@code [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}}). */
  static final List<String> NOT_TAGS = List.of("not a tag!", "%%%", "/..", "中文");

  /** Gates a person or a smoke test passes; every other gate (ci-green, canary:*) is automatic. */
  static final Pattern HUMAN_OR_SMOKE_GATE =
      Pattern.compile("(?i).*(approv|manual|smoke|sign-?off|human|review).*");

  /** Samples drawn from a stage's tag pattern to compare it with the stage before. */
  static final int TAG_SAMPLES = 100;

  private static final String EXAMPLE_FLOW =
      "image_promotion_flow:\n"
          + "  - stage: dev\n    env: development\n    tag_pattern: \"sha-[0-9a-f]{7,40}\"\n    gate: ci-green\n"
          + "  - stage: staging\n    env: staging\n    tag_pattern: \"sha-[0-9a-f]{7,40}\"\n    gate: [ci-green, smoke-test]\n"
          + "  - stage: prod\n    env: production\n    tag_pattern: \"sha-[0-9a-f]{7,40}\"\n"
          + "    gate: [smoke-test, manual-approval]\n";

  private static final String EXAMPLE_ROLLBACK =
      "rollback_commands:\n"
          + "  - kubectl rollout history deployment/inference -n ml\n"
          + "  - kubectl rollout undo deployment/inference --to-revision=3 -n ml\n"
          + "  - kubectl rollout status deployment/inference -n ml --timeout=10m\n";

  /** Keys people write for the known ones, mapped to the key gpukit reads. */
  private static final Map<String, String> KEY_ALIASES = Map.ofEntries(
      Map.entry("name", "stage"),
      Map.entry("stage_name", "stage"),
      Map.entry("environment", "env"),
      Map.entry("tag", "tag_pattern"),
      Map.entry("tags", "tag_pattern"),
      Map.entry("tag_regex", "tag_pattern"),
      Map.entry("tag_regexp", "tag_pattern"),
      Map.entry("image_tag", "tag_pattern"),
      Map.entry("pattern", "tag_pattern"),
      Map.entry("gates", "gate"),
      Map.entry("approval", "gate"),
      Map.entry("approvals", "gate"),
      Map.entry("ns", "namespace"),
      Map.entry("kube_context", "cluster"));

  // ---- stages -------------------------------------------------------------------------------

  /** A flow should have at least three stages: dev, staging, prod. */
  public static final Rule<PromotionFlow> THREE_STAGES =
      Rule.<PromotionFlow>define("promotion/three-stages")
          .error()
          .describedAs("a promotion flow should have at least three stages: dev, staging and prod")
          .because(
              "An image that goes from CI straight to production was never run where production runs:"
                  + " staging, with production's drivers, node pools and traffic shape, is where a"
                  + " driver mismatch or a VRAM leak shows up before users see it.")
          .example(
              "image_promotion_flow:\n  - stage: dev\n    env: development\n    tag_pattern: \"sha-[0-9a-f]{7,40}\"\n"
                  + "    gate: ci-green\n  - stage: prod\n    env: production\n    tag_pattern: \"sha-[0-9a-f]{7,40}\"\n"
                  + "    gate: manual-approval",
              EXAMPLE_FLOW)
          .checkedBy(
              (flow, findings) -> {
                if (flow.kind() != PromotionFileKind.FLOW || flow.stages().size() >= MIN_STAGES) {
                  return;
                }
                String names = flow.stages().isEmpty() ? "no stages"
                    : flow.stages().size() + " stage" + (flow.stages().size() == 1 ? "" : "s") + " ("
                        + flow.stages().stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "))
                        + ")";
                findings.report(
                    flow.stages().isEmpty() ? flow.location() : flow.stages().get(0).location(),
                    "the promotion flow has " + names + "; a release needs at least three: dev → staging → prod",
                    "add the missing stages, e.g. '- stage: staging' with env: staging, tag_pattern:"
                        + " \"sha-[0-9a-f]{7,40}\" and gate: smoke-test between dev and prod");
              });

  /** Stages should come in the order of {@code promotion.stage-order}, and each rank should have a stage. */
  public static final Rule<PromotionFlow> STAGE_ORDER =
      Rule.<PromotionFlow>define("promotion/stage-order")
          .error()
          .describedAs("a promotion flow's stages should be ordered dev → staging → prod (promotion.stage-order)")
          .because(
              "The flow is the order a release is deployed in: a prod stage before staging ships what"
                  + " staging has not seen. Stage names are matched against promotion.stage-order in"
                  + " gpukit.yaml (by default dev/development, then staging/stage/qa/uat/pre-prod, then"
                  + " prod/production/live); stages of other names (canary, perf) may sit anywhere.")
          .example(
              "image_promotion_flow:\n  - stage: dev\n  - stage: prod\n  - stage: staging",
              "image_promotion_flow:\n  - stage: dev\n  - stage: staging\n  - stage: prod")
          .checkedBy(
              (flow, findings) -> {
                if (flow.kind() != PromotionFileKind.FLOW) {
                  return;
                }
                GpuKitConfig config = findings.config();
                PromotionStage highest = null;
                int highestRank = -1;
                boolean[] seen = new boolean[config.promotionStageOrder().size()];
                for (PromotionStage stage : flow.stages()) {
                  Optional<Integer> rank = stage.name().isBlank() ? Optional.empty()
                      : config.promotionStageRank(stage.name());
                  if (rank.isEmpty()) {
                    continue;
                  }
                  seen[rank.get()] = true;
                  if (rank.get() < highestRank) {
                    findings.report(
                        stage.locationOf("stage"),
                        stage.describe() + " comes after " + highest.describe() + ": a release passes "
                            + orderText(config) + " in that order",
                        "move " + stage.describe() + " before " + highest.describe()
                            + " (or set promotion.stage-order in gpukit.yaml if your stages are named otherwise)");
                  } else {
                    highest = stage;
                    highestRank = rank.get();
                  }
                }
                if (flow.stages().size() < MIN_STAGES) {
                  return; // promotion/three-stages says what is missing
                }
                for (int r = 0; r < seen.length; r++) {
                  if (!seen[r]) {
                    findings.report(
                        flow.stages().get(0).location(),
                        "the promotion flow has no " + rankName(config, r) + " stage: no stage name matches '"
                            + config.promotionStageOrder().get(r).pattern() + "' (promotion.stage-order["
                            + r + "])",
                        "name a stage '" + rankName(config, r) + "', or set promotion.stage-order in gpukit.yaml"
                            + " to patterns that match your stage names");
                  }
                }
              });

  /** Every stage should have a name, an env, a tag pattern and a gate. */
  public static final Rule<PromotionFlow> STAGE_FIELDS =
      Rule.<PromotionFlow>define("promotion/stage-fields")
          .error()
          .describedAs("every stage should have stage, env, tag_pattern and gate")
          .because(
              "A stage without an env deploys nowhere anyone can name; without a tag_pattern it takes any"
                  + " image, rebuilt or not; without a gate nothing decides that a release may enter it.")
          .example(
              "  - stage: staging\n    env: staging",
              "  - stage: staging\n    env: staging\n    tag_pattern: \"sha-[0-9a-f]{7,40}\"\n    gate: smoke-test")
          .checkedBy(
              (flow, findings) -> {
                for (PromotionStage stage : flow.stages()) {
                  List<String> missing = new ArrayList<>();
                  List<String> notes = new ArrayList<>();
                  List<String> fixes = new ArrayList<>();
                  Optional<Integer> rank = findings.config().promotionStageRank(stage.name());
                  check(stage, "stage", !stage.name().isBlank(), missing, notes);
                  if (stage.name().isBlank()) {
                    fixes.add("stage: " + rank.map(PromotionRules::defaultName).orElse("staging"));
                  }
                  if (!check(stage, "env", stage.env().isPresent(), missing, notes)) {
                    fixes.add("env: " + rank.map(PromotionRules::defaultEnv).orElse(stage.name()));
                  }
                  if (!check(stage, "tag_pattern", stage.tagPattern().isPresent(), missing, notes)) {
                    fixes.add("tag_pattern: \"sha-[0-9a-f]{7,40}\"");
                  }
                  if (!check(stage, "gate", !stage.gates().isEmpty(), missing, notes)) {
                    fixes.add("gate: " + rank.map(PromotionRules::defaultGate).orElse("smoke-test"));
                  }
                  if (!missing.isEmpty()) {
                    findings.report(
                        stage.location(),
                        stage.describe() + " has no " + orList(missing)
                            + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"),
                        "add " + String.join(", ", fixes));
                  }
                }
              });

  /** Records a missing or empty key; returns whether the key is there. */
  private static boolean check(
      PromotionStage stage, String key, boolean present, List<String> missing, List<String> notes) {
    if (present) {
      return true;
    }
    missing.add("'" + key + "'");
    if (stage.fieldLocations().containsKey(key)) {
      notes.add("'" + key + "' is empty");
    } else {
      nearMiss(stage, key).ifPresent(k -> notes.add("it has '" + k + "': did you mean '" + key + "'?"));
    }
    return false;
  }

  /** A key of the stage that looks like a misspelt {@code key}. */
  private static Optional<String> nearMiss(PromotionStage stage, String key) {
    return stage.fieldLocations().keySet().stream()
        .filter(k -> !PromotionStage.KNOWN_KEYS.contains(k))
        .filter(k -> suggestion(k).filter(key::equals).isPresent())
        .findFirst();
  }

  /** The known key an unknown key most likely means. */
  private static Optional<String> suggestion(String key) {
    String k = key.toLowerCase(Locale.ROOT).replace('-', '_');
    if (PromotionStage.KNOWN_KEYS.contains(k) && !k.equals(key)) {
      return Optional.of(k);
    }
    if (k.replace("_", "").equals("tagpattern")) {
      return Optional.of("tag_pattern");
    }
    if (KEY_ALIASES.containsKey(k)) {
      return Optional.of(KEY_ALIASES.get(k));
    }
    return EditDistance.closest(k, PromotionStage.KNOWN_KEYS, k.length() <= 4 ? 1 : 2);
  }

  /** A stage's key that looks like a misspelt known key; other extra keys (description, owner) are fine. */
  public static final Rule<PromotionFlow> STAGE_KEY_TYPO =
      Rule.<PromotionFlow>define("promotion/stage-key-typo")
          .warning()
          .describedAs("a stage's keys should be spelt as gpukit reads them (stage, env, tag_pattern, gate, cluster,"
              + " namespace)")
          .because(
              "A misspelt key ('tag-pattern', 'gates', 'environment') is read as an extra key: the stage"
                  + " silently has no tag pattern or gate. Other extra keys (description, owner) are kept"
                  + " and ignored.")
          .example("  - stage: prod\n    tag-pattern: \"v\\\\d+\\\\.\\\\d+\\\\.\\\\d+\"",
              "  - stage: prod\n    tag_pattern: \"v\\\\d+\\\\.\\\\d+\\\\.\\\\d+\"")
          .checkedBy(
              (flow, findings) -> {
                for (PromotionStage stage : flow.stages()) {
                  stage.fieldLocations().forEach((key, at) -> {
                    if (PromotionStage.KNOWN_KEYS.contains(key)) {
                      return;
                    }
                    suggestion(key).filter(k -> !stage.fieldLocations().containsKey(k)).ifPresent(k ->
                        findings.report(at,
                            stage.describe() + " has the key '" + key + "', which gpukit does not read"
                                + " (did you mean '" + k + "'?)",
                            "rename '" + key + "' to '" + k + "'"));
                  });
                }
              });

  /** Stage names and environments should be unique within a flow. */
  public static final Rule<PromotionFlow> UNIQUE_STAGES =
      Rule.<PromotionFlow>define("promotion/unique-stages")
          .error()
          .describedAs("a promotion flow's stage names and envs should be unique")
          .because(
              "Two stages with one name make 'promote to staging' ambiguous; two stages that deploy to one"
                  + " env mean a release can skip the stage it was meant to pass, or overwrite what the"
                  + " other stage is testing.")
          .example("  - stage: staging\n    env: staging\n  - stage: qa\n    env: staging",
              "  - stage: staging\n    env: staging\n  - stage: qa\n    env: qa")
          .checkedBy(
              (flow, findings) -> {
                Map<String, PromotionStage> names = new HashMap<>();
                Map<String, PromotionStage> envs = new HashMap<>();
                for (PromotionStage stage : flow.stages()) {
                  if (!stage.name().isBlank()) {
                    PromotionStage first = names.putIfAbsent(stage.name().toLowerCase(Locale.ROOT), stage);
                    if (first != null) {
                      findings.report(stage.locationOf("stage"),
                          "a second stage is named '" + stage.name() + "' (the first is at line "
                              + first.location().line() + ")",
                          "rename one of them, or merge them into one stage");
                    }
                  }
                  stage.env().ifPresent(env -> {
                    PromotionStage first = envs.putIfAbsent(env.toLowerCase(Locale.ROOT), stage);
                    if (first != null) {
                      findings.report(stage.locationOf("env"),
                          stage.describe() + " deploys to env '" + env + "', as " + first.describe()
                              + " (line " + first.location().line() + ") does",
                          "give " + stage.describe() + " its own env, e.g. env: " + stage.name());
                    }
                  });
                }
              });

  // ---- tag patterns -------------------------------------------------------------------------

  /** A tag pattern should be a valid Java regular expression. */
  public static final Rule<PromotionFlow> TAG_PATTERN_COMPILES =
      Rule.<PromotionFlow>define("promotion/tag-pattern-compiles")
          .error()
          .describedAs("a stage's tag_pattern should be a valid Java regular expression")
          .because(
              "tag_pattern is a Java regular expression matched against the whole image tag; one that"
                  + " does not compile accepts nothing, or, in the tool that reads it, everything.")
          .example("    tag_pattern: \"*-rc[0-9]+\"", "    tag_pattern: \"v[0-9]+\\\\.[0-9]+\\\\.[0-9]+-rc[0-9]+\"")
          .checkedBy(
              (flow, findings) -> {
                for (PromotionStage stage : flow.stages()) {
                  if (stage.tagPattern().isEmpty()) {
                    continue;
                  }
                  String written = stage.tagPattern().get();
                  Optional<String> problem = compileProblem(written);
                  problem.ifPresent(p -> findings.report(
                      stage.locationOf("tag_pattern"),
                      stage.describe() + " has tag_pattern '" + written + "', which is not a regular expression: " + p
                          + (looksLikeGlob(written) ? " (tag_pattern is a regular expression, not a glob:"
                          + " write '.*' for '*')" : ""),
                      "write a Java regular expression that matches the whole tag, e.g. tag_pattern:"
                          + " \"sha-[0-9a-f]{7,40}\" or \"v[0-9]+\\\\.[0-9]+\\\\.[0-9]+\""));
                  if (problem.isEmpty()) {
                    stage.compiledTagPattern().flatMap(p -> TagMatching.costlyTag(p,
                        RegexSampler.samples(written, 3).orElse(List.of()))).ifPresent(tag -> findings.report(
                        stage.locationOf("tag_pattern"),
                        stage.describe() + " has tag_pattern '" + written + "', which is too costly to match: on the "
                            + tag.length() + "-character tag '" + abbreviated(tag) + "' it backtracks past "
                            + TagMatching.MAX_READS + " steps, so gpukit cannot tell whether it accepts the tag"
                            + " (a repetition inside a bounded or nested repetition, such as (a+){1,30} or"
                            + " ((a+)+)+, backtracks exponentially)",
                        "repeat each part once, e.g. tag_pattern: \"sha-[0-9a-f]{7,40}\" instead of"
                            + " \"sha-([0-9a-f]+){1,40}\""));
                  }
                }
              });

  private static Optional<String> compileProblem(String regex) {
    try {
      Pattern.compile(regex);
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      return Optional.of(e.getDescription() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
    } catch (StackOverflowError e) {
      return Optional.of("nested too deeply");
    }
  }

  /** The start and end of a long probe tag: its first 16 characters, '…', its last. */
  private static String abbreviated(String tag) {
    return tag.length() <= 24 ? tag : tag.substring(0, 16) + "…" + tag.charAt(tag.length() - 1);
  }

  private static boolean looksLikeGlob(String pattern) {
    return pattern.startsWith("*") || pattern.contains("/*") || pattern.contains("-*") && !pattern.contains(".*");
  }

  /** A tag pattern should not accept {@code latest}, the empty tag, or any string. */
  public static final Rule<PromotionFlow> TAG_PATTERN_IMMUTABLE =
      Rule.<PromotionFlow>define("promotion/tag-pattern-immutable")
          .error()
          .describedAs("a stage's tag_pattern should accept neither 'latest' nor any string")
          .because(
              "'latest' and other moving tags name a different image tomorrow: what staging tested is not"
                  + " what prod pulls, and a rollback cannot name the image it returns to. A pattern that"
                  + " accepts any string (.*) checks nothing. tag_pattern is matched against the whole"
                  + " tag, so 'sha-[0-9a-f]{7,40}' needs no anchors.")
          .example("    tag_pattern: \".*\"", "    tag_pattern: \"sha-[0-9a-f]{7,40}\"")
          .checkedBy(
              (flow, findings) -> {
                for (PromotionStage stage : flow.stages()) {
                  Optional<Pattern> p = stage.compiledTagPattern();
                  if (p.isEmpty()) {
                    continue;
                  }
                  List<String> accepted = new ArrayList<>();
                  boolean latest = stage.acceptsTag("latest");
                  boolean empty = stage.acceptsTag("");
                  Optional<String> junk = NOT_TAGS.stream().filter(stage::acceptsTag).findFirst();
                  if (latest) {
                    accepted.add("'latest'");
                  }
                  if (empty) {
                    accepted.add("the empty tag ''");
                  }
                  junk.ifPresent(j -> accepted.add("'" + j + "'"));
                  if (accepted.isEmpty()) {
                    continue;
                  }
                  String what = junk.isPresent() && latest ? "accepts any string" : "accepts " + andList(accepted);
                  String examples = junk.isPresent() && latest ? " (" + andList(accepted) + " all match)" : "";
                  findings.report(
                      stage.locationOf("tag_pattern"),
                      stage.describe() + " has tag_pattern '" + stage.tagPattern().get() + "', which " + what + examples,
                      "accept only immutable tags, e.g. tag_pattern: \"sha-[0-9a-f]{7,40}\" (a commit) or"
                          + " \"v[0-9]+\\\\.[0-9]+\\\\.[0-9]+\" (a release); the pattern must match the whole tag");
                }
              });

  /** A stage should only accept tags the stage before it deploys: the same artifact, promoted. */
  public static final Rule<PromotionFlow> SAME_ARTIFACT =
      Rule.<PromotionFlow>define("promotion/same-artifact")
          .error()
          .describedAs("a stage should accept only tags the stage before it accepts (promote, do not rebuild)")
          .because(
              "Promotion moves the image a stage tested to the next stage. A later stage whose tag_pattern"
                  + " accepts tags the stage before it never deploys (a 'v1.2.3' in prod after 'sha-…' in"
                  + " staging) is fed by a rebuild or a retag nobody tested. gpukit compares the patterns by"
                  + " drawing sample tags from the later stage's pattern (a fixed-seed regex sampler) and"
                  + " matching them against the stage before: it reports only a tag it has found, and may miss"
                  + " a difference its samples do not reach; patterns with back-references are not compared."
                  + " If you retag the same digest, ignore this rule on that line with your reason.")
          .example(
              "  - stage: staging\n    tag_pattern: \"sha-[0-9a-f]{7,40}\"\n  - stage: prod\n"
                  + "    tag_pattern: \"v[0-9]+\\\\.[0-9]+\\\\.[0-9]+\"",
              "  - stage: staging\n    tag_pattern: \"sha-[0-9a-f]{7,40}\"\n  - stage: prod\n"
                  + "    tag_pattern: \"sha-[0-9a-f]{7,40}\"")
          .checkedBy(
              (flow, findings) -> {
                PromotionStage before = null;
                for (PromotionStage stage : flow.stages()) {
                  Optional<Pattern> later = stage.compiledTagPattern();
                  if (later.isEmpty()) {
                    continue;
                  }
                  if (before != null && !before.tagPattern().equals(stage.tagPattern())) {
                    Optional<String> tag = tagOnlyLaterAccepts(before.compiledTagPattern().get(), later.get());
                    PromotionStage earlier = before;
                    tag.ifPresent(t -> findings.report(
                        stage.locationOf("tag_pattern"),
                        stage.describe() + " accepts tags that " + earlier.describe() + " before it never deploys,"
                            + " e.g. '" + t + "': the image " + stage.name() + " runs was not tested in "
                            + earlier.name(),
                        "promote the image " + earlier.name() + " tested: give " + stage.describe()
                            + " the tag_pattern of " + earlier.describe() + " (\"" + earlier.tagPattern().get()
                            + "\") or a narrower one"));
                  }
                  before = stage;
                }
              });

  /** The shortest sample of {@code later} that {@code earlier} does not accept. */
  static Optional<String> tagOnlyLaterAccepts(Pattern earlier, Pattern later) {
    Optional<List<String>> samples = RegexSampler.samples(later.pattern(), TAG_SAMPLES);
    if (samples.isEmpty()) {
      return Optional.empty();
    }
    for (String sample : samples.get()) {
      if (TagMatching.tryMatches(earlier, sample).filter(matched -> !matched).isPresent()) {
        return Optional.of(sample);
      }
    }
    return Optional.empty();
  }

  // ---- gates --------------------------------------------------------------------------------

  /** The prod stage should be gated by a person or a smoke test, not by automatic checks only. */
  public static final Rule<PromotionFlow> PROD_GATE_MANUAL =
      Rule.<PromotionFlow>define("promotion/prod-gate-manual")
          .error()
          .describedAs("the prod stage should be gated by an approval or a smoke test, not only by automatic checks")
          .because(
              "ci-green and canary:<metric> gates pass on their own: a release that is green in CI and"
                  + " quiet on a canary metric still reaches every GPU node with nobody having run it."
                  + " A gate named manual-approval, approval or smoke-test (any gate that mentions approval,"
                  + " manual, smoke, sign-off or review) stops it until a person or a smoke test says so.")
          .example("  - stage: prod\n    gate: [ci-green, canary:error_rate]",
              "  - stage: prod\n    gate: [ci-green, canary:error_rate, smoke-test, manual-approval]")
          .checkedBy(
              (flow, findings) -> {
                for (PromotionStage stage : prodStages(flow, findings.config())) {
                  if (stage.gates().isEmpty()) {
                    continue; // promotion/stage-fields
                  }
                  if (stage.gates().stream().noneMatch(PromotionRules::isHumanOrSmokeGate)) {
                    findings.report(
                        stage.locationOf("gate"),
                        stage.describe() + " is gated only by automatic checks ("
                            + stage.gates().stream().map(g -> "'" + g + "'").collect(Collectors.joining(", "))
                            + "): nothing stops a release that no person and no smoke test has seen",
                        "gate: [" + String.join(", ", stage.gates()) + ", smoke-test, manual-approval]");
                  }
                }
              });

  /** Whether a gate waits for a person or a smoke test; a {@code canary:<metric>} gate never does. */
  static boolean isHumanOrSmokeGate(String gate) {
    return !gate.toLowerCase(Locale.ROOT).startsWith("canary") && HUMAN_OR_SMOKE_GATE.matcher(gate).matches();
  }

  /** The stages of the last rank; the last stage when none has it. */
  private static List<PromotionStage> prodStages(PromotionFlow flow, GpuKitConfig config) {
    if (flow.stages().isEmpty()) {
      return List.of();
    }
    int last = config.promotionStageOrder().size() - 1;
    List<PromotionStage> prod = flow.stages().stream()
        .filter(s -> !s.name().isBlank() && config.promotionStageRank(s.name()).filter(r -> r == last).isPresent())
        .toList();
    return prod.isEmpty() ? List.of(flow.stages().get(flow.stages().size() - 1)) : prod;
  }

  // ---- rollback -----------------------------------------------------------------------------

  /** A flow file should say how to roll back. */
  public static final Rule<PromotionFlow> ROLLBACK_SECTION =
      Rule.<PromotionFlow>define("promotion/rollback-section")
          .warning()
          .describedAs("a promotion flow should have rollback_commands")
          .because(
              "The moment a release goes wrong is the worst moment to look up kubectl's rollback syntax."
                  + " Keep the commands with the flow, or in a ROLLBACK.md runbook; when they live in a"
                  + " runbook, turn this rule off (severity: {promotion/rollback-section: off} in gpukit.yaml).")
          .example(EXAMPLE_FLOW, EXAMPLE_FLOW + EXAMPLE_ROLLBACK)
          .checkedBy(
              (flow, findings) -> {
                if (flow.kind() == PromotionFileKind.FLOW && !flow.hasRollbackSection()) {
                  findings.report(
                      flow.location(),
                      "the promotion flow has no rollback_commands: nothing says how to return to the last good"
                          + " revision",
                      "add rollback_commands: [\"kubectl rollout history deployment/NAME -n NS\", \"kubectl rollout"
                          + " undo deployment/NAME --to-revision=N -n NS\", \"kubectl rollout status deployment/NAME"
                          + " -n NS --timeout=10m\"], or keep them in a ROLLBACK.md");
                }
              });

  /** Rollback commands should list the revisions and roll a Deployment back. */
  public static final Rule<PromotionFlow> ROLLBACK_COMMANDS =
      Rule.<PromotionFlow>define("promotion/rollback-commands")
          .error()
          .describedAs("rollback commands should include 'kubectl rollout history' and 'kubectl rollout undo' for a"
              + " Deployment")
          .because(
              "'kubectl rollout history' shows which revision was the last good one (and that there is one:"
                  + " revisionHistoryLimit: 0 keeps none); 'kubectl rollout undo' returns to it without a"
                  + " rebuild. A rollback section or runbook without them leaves the on-call to improvise.")
          .example(
              "rollback_commands:\n  - kubectl set image deployment/inference server=registry.example.com/llm:1.4.1",
              EXAMPLE_ROLLBACK)
          .checkedBy(
              (flow, findings) -> {
                if (!flow.hasRollbackSection()) {
                  return;
                }
                List<KubectlRollout> rollouts = deploymentRollouts(flow);
                SourceLocation at = flow.rollbackCommands().isEmpty() ? flow.location()
                    : flow.rollbackCommands().get(0).location();
                String where = flow.kind() == PromotionFileKind.RUNBOOK
                    ? "the runbook's shell blocks have" : "rollback_commands has";
                KubectlRollout sample = rollouts.stream().filter(r -> !r.name().isEmpty()).findFirst().orElse(null);
                String resource = sample == null ? "deployment/NAME" : sample.resource();
                String ns = sample == null ? " -n NS" : sample.namespaceFlag();
                if (rollouts.stream().noneMatch(r -> r.action() == KubectlRollout.Action.HISTORY)) {
                  findings.report(at,
                      where + " no 'kubectl rollout history' for a Deployment: nobody sees which revision to return to",
                      "kubectl rollout history " + resource + ns);
                }
                if (rollouts.stream().noneMatch(r -> r.action() == KubectlRollout.Action.UNDO)) {
                  findings.report(at,
                      where + " no 'kubectl rollout undo' for a Deployment: nothing rolls the release back",
                      "kubectl rollout undo " + resource + " --to-revision=N" + ns);
                }
              });

  /** A rollback should wait for the rolled-back pods: {@code kubectl rollout status} after undo. */
  public static final Rule<PromotionFlow> STATUS_AFTER_UNDO =
      Rule.<PromotionFlow>define("promotion/status-after-undo")
          .warning()
          .describedAs("'kubectl rollout undo' should be followed by 'kubectl rollout status' for the same Deployment")
          .because(
              "undo only changes the Deployment's template and returns at once; the old pods still have to"
                  + " be scheduled on GPU nodes, load their model and pass readiness. 'kubectl rollout status"
                  + " --timeout=…' waits for that and fails when the rollback itself does not come up.")
          .example("  - kubectl rollout undo deployment/inference",
              "  - kubectl rollout undo deployment/inference\n  - kubectl rollout status deployment/inference --timeout=10m")
          .checkedBy(
              (flow, findings) -> {
                List<KubectlRollout> rollouts = deploymentRollouts(flow);
                for (int i = 0; i < rollouts.size(); i++) {
                  KubectlRollout undo = rollouts.get(i);
                  if (undo.action() != KubectlRollout.Action.UNDO) {
                    continue;
                  }
                  boolean waited = rollouts.subList(i + 1, rollouts.size()).stream()
                      .anyMatch(r -> r.action() == KubectlRollout.Action.STATUS && sameResource(undo, r));
                  if (!waited) {
                    findings.report(undo.location(),
                        "'kubectl rollout undo " + undo.resource() + "' is not followed by 'kubectl rollout status':"
                            + " nothing waits for the rolled-back pods to be ready",
                        "kubectl rollout status " + undo.resource() + undo.namespaceFlag() + " --timeout=10m");
                  }
                }
              });

  /** An undo should name its revision, or follow a history step that shows it. */
  public static final Rule<PromotionFlow> UNDO_REVISION =
      Rule.<PromotionFlow>define("promotion/undo-revision")
          .warning()
          .describedAs("'kubectl rollout undo' should name --to-revision, or follow 'kubectl rollout history'")
          .because(
              "Without --to-revision, undo returns to the previous revision, which after a failed"
                  + " roll-forward or a second undo is not the last good one. Listing the history first, or"
                  + " naming the revision, makes the rollback land where it is meant to.")
          .example("  - kubectl rollout undo deployment/inference",
              "  - kubectl rollout history deployment/inference\n"
                  + "  - kubectl rollout undo deployment/inference --to-revision=3")
          .checkedBy(
              (flow, findings) -> {
                List<RollbackCommand> commands = flow.rollbackCommands();
                List<KubectlRollout> seen = new ArrayList<>();
                for (RollbackCommand c : commands) {
                  if (c.kubectl().isEmpty()) {
                    continue;
                  }
                  KubectlRollout r = c.kubectl().get();
                  if (r.action() == KubectlRollout.Action.UNDO && (r.isDeployment() || r.resourceKind().isEmpty())
                      && !c.text().contains("--to-revision")
                      && seen.stream().noneMatch(h -> h.action() == KubectlRollout.Action.HISTORY && sameResource(r, h))) {
                    findings.report(r.location(),
                        "'kubectl rollout undo " + r.resource() + "' names no --to-revision and no 'kubectl rollout"
                            + " history' comes before it: it returns to whatever revision came last",
                        "kubectl rollout history " + r.resource() + r.namespaceFlag() + " && kubectl rollout undo "
                            + r.resource() + " --to-revision=N" + r.namespaceFlag());
                  }
                  seen.add(r);
                }
              });

  /** Rollouts of Deployments, or of resources selected by file or label, in order. */
  private static List<KubectlRollout> deploymentRollouts(PromotionFlow flow) {
    return flow.kubectlRollouts().stream().filter(r -> r.isDeployment() || r.resourceKind().isEmpty()).toList();
  }

  /** The same Deployment: same name (an unnamed one matches any), namespaces not contradicting. */
  private static boolean sameResource(KubectlRollout a, KubectlRollout b) {
    boolean names = a.name().isEmpty() || b.name().isEmpty() || a.name().equals(b.name());
    boolean kinds = a.resourceKind().isEmpty() || b.resourceKind().isEmpty() || a.resourceKind().equals(b.resourceKind());
    boolean namespaces = a.namespace().isEmpty() || b.namespace().isEmpty() || a.namespace().equals(b.namespace());
    return names && kinds && namespaces;
  }

  // ---- texts --------------------------------------------------------------------------------

  private static String orderText(GpuKitConfig config) {
    List<String> names = new ArrayList<>();
    for (int r = 0; r < config.promotionStageOrder().size(); r++) {
      names.add(rankName(config, r));
    }
    return String.join(" → ", names);
  }

  /** dev, staging, prod for the default order; the pattern's first plain word, else 'stage N'. */
  static String rankName(GpuKitConfig config, int rank) {
    if (config.promotionStageOrder().equals(GpuKitConfig.DEFAULT_PROMOTION_STAGE_ORDER)
        || sameDefaultPatterns(config)) {
      return defaultName(rank);
    }
    java.util.regex.Matcher word = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*")
        .matcher(config.promotionStageOrder().get(rank).pattern().replaceFirst("^\\(\\?[a-z]+\\)", ""));
    return word.find() ? word.group() : "stage " + (rank + 1);
  }

  private static boolean sameDefaultPatterns(GpuKitConfig config) {
    List<String> a = config.promotionStageOrder().stream().map(Pattern::pattern).toList();
    List<String> b = GpuKitConfig.DEFAULT_PROMOTION_STAGE_ORDER.stream().map(Pattern::pattern).toList();
    return a.equals(b);
  }

  private static String defaultName(int rank) {
    return switch (rank) {
      case 0 -> "dev";
      case 1 -> "staging";
      case 2 -> "prod";
      default -> "stage " + (rank + 1);
    };
  }

  private static String defaultEnv(int rank) {
    return switch (rank) {
      case 0 -> "development";
      case 1 -> "staging";
      default -> "production";
    };
  }

  private static String defaultGate(int rank) {
    return switch (rank) {
      case 0 -> "ci-green";
      case 1 -> "smoke-test";
      default -> "[smoke-test, manual-approval]";
    };
  }

  private static String orList(List<String> items) {
    return join(items, " or ");
  }

  private static String andList(List<String> items) {
    return join(items, " and ");
  }

  private static String join(List<String> items, String last) {
    if (items.size() <= 1) {
      return String.join("", items);
    }
    return String.join(", ", items.subList(0, items.size() - 1)) + last + items.get(items.size() - 1);
  }

  /** Every promotion rule, in a stable order. */
  public static final List<Rule<PromotionFlow>> ALL =
      List.of(
          THREE_STAGES,
          STAGE_ORDER,
          STAGE_FIELDS,
          STAGE_KEY_TYPO,
          UNIQUE_STAGES,
          TAG_PATTERN_COMPILES,
          TAG_PATTERN_IMMUTABLE,
          SAME_ARTIFACT,
          PROD_GATE_MANUAL,
          ROLLBACK_SECTION,
          ROLLBACK_COMMANDS,
          STATUS_AFTER_UNDO,
          UNDO_REVISION);
}
