package io.gpukit.core.promotion;

import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed promotion file: the stages an image passes on its way to production, and the commands
 * that roll a release back.
 *
 * <pre>{@code
 * image_promotion_flow:
 *   - stage: dev
 *     env: development
 *     tag_pattern: "sha-[0-9a-f]{7,40}"
 *     gate: ci-green
 *   - stage: staging
 *     env: staging
 *     tag_pattern: "sha-[0-9a-f]{7,40}"
 *     gate: [ci-green, smoke-test]
 *   - stage: prod
 *     env: production
 *     tag_pattern: "sha-[0-9a-f]{7,40}"
 *     gate: [smoke-test, manual-approval]
 * rollback_commands:
 *   - kubectl rollout history deployment/inference -n ml
 *   - kubectl rollout undo deployment/inference --to-revision=3 -n ml
 *   - kubectl rollout status deployment/inference -n ml --timeout=5m
 * }</pre>
 *
 * <p>A runbook ({@code ROLLBACK.md}) parses to a flow of kind {@link PromotionFileKind#RUNBOOK}
 * with no stages: the commands of its fenced {@code sh}, {@code shell}, {@code bash} and {@code
 * console} blocks are its rollback commands, with their real line numbers.
 *
 * @param file the file as it was named
 * @param stages the stages of {@code image_promotion_flow}, in file order; none for a runbook
 * @param rollbackCommands the rollback commands, one per simple command ({@code a && b} is two), in
 *     file order
 * @param hasRollbackSection whether the file has a {@code rollback_commands} key, or is a runbook
 * @param kind a flow (YAML or JSON) or a runbook (Markdown)
 * @since 0.1.0
 */
public record PromotionFlow(
    Path file,
    List<PromotionStage> stages,
    List<RollbackCommand> rollbackCommands,
    boolean hasRollbackSection,
    PromotionFileKind kind) {

  /** Validates the fields and copies the lists. */
  public PromotionFlow {
    Objects.requireNonNull(file, "file");
    stages = List.copyOf(stages);
    rollbackCommands = List.copyOf(rollbackCommands);
    Objects.requireNonNull(kind, "kind");
  }

  /**
   * Reads and parses a file: a {@code .md} file is a runbook, anything else a flow (YAML or JSON).
   *
   * @throws io.gpukit.core.source.SourceParseException at the failing location when the file
   *     cannot be read or parsed
   */
  public static PromotionFlow parse(Path file) {
    return parse(SourceFile.read(file));
  }

  /**
   * Parses text already read: a {@code .md} file is a runbook, anything else a flow (YAML or JSON).
   *
   * @throws io.gpukit.core.source.SourceParseException at the failing location when the text
   *     cannot be parsed
   */
  public static PromotionFlow parse(SourceFile file) {
    return isMarkdown(file.path()) ? RunbookParser.parse(file) : PromotionParser.parse(file);
  }

  static boolean isMarkdown(Path file) {
    Path name = file.getFileName();
    String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".md") || n.endsWith(".markdown");
  }

  /** Where the file starts; file-wide findings are reported there. */
  public SourceLocation location() {
    return SourceLocation.startOf(file);
  }

  /** The stage with this name, if any. */
  public Optional<PromotionStage> stage(String name) {
    return stages.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The {@code kubectl rollout} commands among the rollback commands, in file order. */
  public List<KubectlRollout> kubectlRollouts() {
    return rollbackCommands.stream().flatMap(c -> c.kubectl().stream()).toList();
  }
}
