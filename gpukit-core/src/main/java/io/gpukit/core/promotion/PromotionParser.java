package io.gpukit.core.promotion;

import io.gpukit.core.internal.yaml.YamlReader;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.source.SourceParseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Parses promotion flows from YAML or JSON (JSON is read as the YAML it is), through gpukit's YAML
 * limits (aliases, nesting depth, duplicate keys, size). Anchors, aliases and {@code <<} merge keys
 * are followed. Keys the model does not know are kept tolerant: a stage's unknown keys are recorded
 * in {@link PromotionStage#fieldLocations()} (a rule warns about them), other top-level keys are
 * skipped. A known key of the wrong shape is a {@link SourceParseException} where it is written.
 */
final class PromotionParser {

  /** The key of the stages. */
  static final String FLOW_KEY = "image_promotion_flow";

  /** The key of the rollback commands. */
  static final String ROLLBACK_KEY = "rollback_commands";

  private final Path path;
  private final List<String> lines;

  private PromotionParser(SourceFile file) {
    this.path = file.path();
    this.lines = file.lines();
  }

  static PromotionFlow parse(SourceFile file) {
    Optional<Node> doc = YamlReader.composeOne(jsonTabsAsSpaces(file));
    if (doc.isEmpty()) {
      throw new SourceParseException(
          SourceLocation.startOf(file.path()), "the promotion file is empty; it needs '" + FLOW_KEY + "'");
    }
    return new PromotionParser(file).flow(doc.get());
  }

  /**
   * JSON allows tabs wherever it allows spaces; YAML refuses a tab that indents. In a {@code .json}
   * file, tabs outside strings are read as spaces (one for one, so columns do not move).
   */
  private static SourceFile jsonTabsAsSpaces(SourceFile file) {
    Path name = file.path().getFileName();
    if (name == null || !name.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json")
        || file.text().indexOf('\t') < 0) {
      return file;
    }
    StringBuilder sb = new StringBuilder(file.text());
    boolean inString = false;
    for (int i = 0; i < sb.length(); i++) {
      char c = sb.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"' || c == '\n') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '\t') {
        sb.setCharAt(i, ' ');
      }
    }
    return SourceFile.of(file.path(), sb.toString());
  }

  private PromotionFlow flow(Node root) {
    if (!(root instanceof MappingNode top)) {
      throw error(root, "a promotion file should be a mapping with '" + FLOW_KEY + "' (the stages)"
          + " and '" + ROLLBACK_KEY + "'");
    }
    Map<String, NodeTuple> keys = entries(top);
    NodeTuple flowKey = keys.get(FLOW_KEY);
    NodeTuple rollbackKey = keys.get(ROLLBACK_KEY);
    if (flowKey == null && rollbackKey == null) {
      throw error(top, "a promotion file needs '" + FLOW_KEY + "' (the stages an image passes, in order)");
    }
    List<PromotionStage> stages = new ArrayList<>();
    if (flowKey != null) {
      Node value = flowKey.getValueNode();
      if (value instanceof MappingNode m) {
        // {stages: [...], rollback_commands: [...]} or {dev: {...}, staging: {...}}
        Map<String, NodeTuple> inner = entries(m);
        if (inner.containsKey("stages")) {
          stages.addAll(stageList(inner.get("stages").getValueNode()));
          if (rollbackKey == null) {
            rollbackKey = inner.get(ROLLBACK_KEY);
          }
        } else {
          for (Map.Entry<String, NodeTuple> e : inner.entrySet()) {
            stages.add(stage(e.getValue().getValueNode(), Optional.of(e.getValue().getKeyNode())));
          }
        }
      } else {
        stages.addAll(stageList(value));
      }
    }
    List<RollbackCommand> commands = rollbackKey == null ? List.of() : rollbackCommands(rollbackKey.getValueNode());
    return new PromotionFlow(path, stages, commands, rollbackKey != null, PromotionFileKind.FLOW);
  }

  private List<PromotionStage> stageList(Node value) {
    if (isNull(value)) {
      return List.of();
    }
    if (!(value instanceof SequenceNode seq)) {
      throw error(value, "'" + FLOW_KEY + "' should be a list of stages (each with stage, env, tag_pattern, gate)");
    }
    List<PromotionStage> out = new ArrayList<>();
    for (Node item : seq.getValue()) {
      out.add(stage(item, Optional.empty()));
    }
    return out;
  }

  /** A stage mapping; {@code nameKey} is the key it is written under in the mapping form. */
  private PromotionStage stage(Node node, Optional<Node> nameKey) {
    if (!(node instanceof MappingNode m)) {
      throw error(node, "a stage should be a mapping with stage, env, tag_pattern and gate");
    }
    Map<String, NodeTuple> keys = entries(m);
    Map<String, SourceLocation> locations = new LinkedHashMap<>();
    nameKey.ifPresent(k -> locations.put("stage", location(k)));
    keys.forEach((k, t) -> locations.put(k, valueLocation(t)));
    String name = nameKey.map(k -> scalar(k, "a stage name"))
        .or(() -> text(keys, "stage"))
        .orElse("");
    if (nameKey.isPresent() && keys.containsKey("stage")) {
      name = text(keys, "stage").filter(s -> !s.isBlank()).orElse(name);
    }
    List<String> gates = new ArrayList<>();
    NodeTuple gate = keys.get("gate");
    if (gate != null) {
      gates.addAll(gates(gate.getValueNode()));
    }
    return new PromotionStage(
        name,
        text(keys, "env"),
        text(keys, "tag_pattern"),
        gates,
        text(keys, "cluster"),
        text(keys, "namespace"),
        location(m),
        locations);
  }

  /** {@code ci-green}, {@code [ci-green, smoke-test]}, {@code [canary: error-rate]} (read {@code canary:error-rate}). */
  private List<String> gates(Node value) {
    List<String> out = new ArrayList<>();
    List<Node> items = value instanceof SequenceNode seq ? seq.getValue() : List.of(value);
    for (Node item : items) {
      if (item instanceof ScalarNode s) {
        if (!s.getValue().isBlank()) {
          out.add(s.getValue().strip());
        }
      } else if (item instanceof MappingNode gm && gm.getValue().size() == 1) {
        NodeTuple t = gm.getValue().get(0);
        String key = scalar(t.getKeyNode(), "a gate");
        out.add(t.getValueNode() instanceof ScalarNode v && !v.getValue().isBlank()
            ? key.strip() + ":" + v.getValue().strip()
            : key.strip());
      } else {
        throw error(item, "a gate should be a name such as ci-green, smoke-test, manual-approval or canary:<metric>");
      }
    }
    return out;
  }

  private List<RollbackCommand> rollbackCommands(Node value) {
    if (isNull(value)) {
      return List.of();
    }
    List<RollbackCommand> out = new ArrayList<>();
    List<Node> items = value instanceof SequenceNode seq ? seq.getValue() : List.of(value);
    for (Node item : items) {
      Node command = item;
      if (item instanceof MappingNode m) {
        Map<String, NodeTuple> keys = entries(m);
        NodeTuple t = keys.containsKey("command") ? keys.get("command")
            : keys.containsKey("cmd") ? keys.get("cmd") : keys.get("run");
        if (t == null) {
          throw error(item, "a rollback command should be a shell command line (or a mapping with 'command')");
        }
        command = t.getValueNode();
      }
      if (!(command instanceof ScalarNode s)) {
        throw error(command, "a rollback command should be a shell command line");
      }
      out.addAll(ShellScript.commands(scalarLines(s), false));
    }
    return out;
  }

  /** The lines of a scalar, each located in the file as well as the scalar's style allows. */
  private List<ShellScript.Line> scalarLines(ScalarNode s) {
    SourceLocation start = location(s);
    boolean block = s.getScalarStyle() == ScalarStyle.LITERAL || s.getScalarStyle() == ScalarStyle.FOLDED;
    boolean quoted = s.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED || s.getScalarStyle() == ScalarStyle.SINGLE_QUOTED;
    List<String> parts = s.getValue().lines().toList();
    List<ShellScript.Line> out = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      int line = start.line() + (block ? i + 1 : i);
      int column = i == 0 && !block ? start.column() + (quoted ? 1 : 0) : findColumn(line, part);
      out.add(new ShellScript.Line(part, SourceLocation.of(path, line, column)));
    }
    return out;
  }

  /** Where {@code text} starts on a file line, so that a command's column is where it is written. */
  private int findColumn(int line, String text) {
    String probe = text.strip();
    if (line < 1 || line > lines.size() || probe.isEmpty()) {
      return 1;
    }
    int at = lines.get(line - 1).indexOf(probe);
    int lead = text.length() - text.stripLeading().length();
    return at < 0 ? 1 : Math.max(1, at + 1 - lead);
  }

  // ---- nodes --------------------------------------------------------------------------------

  private Map<String, NodeTuple> entries(MappingNode map) {
    return YamlReader.entries(path, map);
  }

  /** A scalar key's value, blank as absent; a list or mapping is a located error. */
  private Optional<String> text(Map<String, NodeTuple> keys, String key) {
    NodeTuple t = keys.get(key);
    if (t == null || isNull(t.getValueNode())) {
      return Optional.empty();
    }
    String value = scalar(t.getValueNode(), "'" + key + "'");
    return value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode s && s.isPlain() && (s.getValue().isEmpty() || s.getValue().equals("null")
        || s.getValue().equals("~"));
  }

  private SourceLocation valueLocation(NodeTuple t) {
    return isNull(t.getValueNode()) ? location(t.getKeyNode()) : location(t.getValueNode());
  }

  private String scalar(Node node, String what) {
    if (node instanceof ScalarNode s) {
      return s.getValue();
    }
    throw error(node, what + " should be a single value");
  }

  private SourceLocation location(Node node) {
    return YamlReader.location(path, node);
  }

  private SourceParseException error(Node node, String reason) {
    return new SourceParseException(location(node), reason);
  }
}
