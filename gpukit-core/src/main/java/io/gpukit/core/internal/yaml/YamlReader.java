package io.gpukit.core.internal.yaml;

import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.source.SourceParseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads YAML into snakeyaml-engine nodes (which keep their marks) with limits against hostile
 * input: few aliases (YAML bombs), no duplicate keys, a bounded size. Errors become located
 * {@link SourceParseException}s.
 *
 * <p>Not API: the format packages wrap it.
 */
public final class YamlReader {

  /** Aliases allowed in one document; real workflows and manifests use a handful. */
  public static final int MAX_ALIASES = 100;

  /**
   * Collections nested deeper than this are refused: real files nest a few dozen levels, and the
   * composer recurses once per level (a 5,000-deep file would otherwise end in a stack overflow).
   */
  public static final int MAX_DEPTH = 500;

  /** Merges of merges end here; a mapping that merges itself would otherwise never end. */
  public static final int MAX_MERGE_DEPTH = 20;

  private YamlReader() {}

  private static LoadSettings settings(Path file) {
    return LoadSettings.builder()
        .setLabel(file.toString())
        .setAllowDuplicateKeys(false)
        .setMaxAliasesForCollections(MAX_ALIASES)
        .setAllowRecursiveKeys(false)
        .setCodePointLimit((int) SourceFile.DEFAULT_MAX_BYTES)
        .setUseMarks(true)
        .build();
  }

  /** Every document of a stream; empty documents are skipped. */
  public static List<Node> composeAll(SourceFile file) {
    LoadSettings settings = settings(file.path());
    try {
      Composer composer =
          new Composer(
              settings,
              new DepthLimitedParser(
                  new ParserImpl(settings, new StreamReader(settings, file.text())), file.path()));
      List<Node> docs = new ArrayList<>();
      while (composer.hasNext()) {
        Node node = composer.next();
        if (!(node instanceof ScalarNode s && s.getValue().isEmpty())) {
          rejectDuplicateKeys(file.path(), node);
          docs.add(node);
        }
      }
      return List.copyOf(docs);
    } catch (MarkedYamlEngineException e) {
      Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
      throw new SourceParseException(locate(file.path(), mark), describe(e), e);
    } catch (YamlEngineException e) {
      throw new SourceParseException(SourceLocation.startOf(file.path()), "invalid YAML: " + e.getMessage(), e);
    }
  }

  /** The single document of a stream, or empty for an empty file. */
  public static Optional<Node> composeOne(SourceFile file) {
    List<Node> docs = composeAll(file);
    if (docs.size() > 1) {
      throw new SourceParseException(
          location(file.path(), docs.get(1)), "expected one YAML document but found " + docs.size());
    }
    return docs.stream().findFirst();
  }

  /** Counts collection nesting on the event stream, which the parser produces without recursion. */
  private static final class DepthLimitedParser implements org.snakeyaml.engine.v2.parser.Parser {
    private final org.snakeyaml.engine.v2.parser.Parser delegate;
    private final Path file;
    private int depth;

    DepthLimitedParser(org.snakeyaml.engine.v2.parser.Parser delegate, Path file) {
      this.delegate = delegate;
      this.file = file;
    }

    @Override
    public boolean checkEvent(org.snakeyaml.engine.v2.events.Event.ID choice) {
      return delegate.checkEvent(choice);
    }

    @Override
    public org.snakeyaml.engine.v2.events.Event peekEvent() {
      return delegate.peekEvent();
    }

    @Override
    public boolean hasNext() {
      return delegate.hasNext();
    }

    @Override
    public org.snakeyaml.engine.v2.events.Event next() {
      org.snakeyaml.engine.v2.events.Event event = delegate.next();
      switch (event.getEventId()) {
        case SequenceStart, MappingStart -> {
          if (++depth > MAX_DEPTH) {
            throw new SourceParseException(
                locate(file, event.getStartMark().orElse(null)),
                "YAML nested more than " + MAX_DEPTH + " levels deep; refusing to parse it");
          }
        }
        case SequenceEnd, MappingEnd -> depth--;
        default -> { }
      }
      return event;
    }
  }

  /**
   * The node API does not apply {@code setAllowDuplicateKeys(false)} (only construction does), so
   * walk the tree once. Shared (aliased) nodes are visited once.
   */
  private static void rejectDuplicateKeys(Path file, Node root) {
    java.util.Deque<Node> todo = new java.util.ArrayDeque<>();
    java.util.Set<Node> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    todo.push(root);
    while (!todo.isEmpty()) {
      Node node = todo.pop();
      if (!seen.add(node)) {
        continue;
      }
      if (node instanceof MappingNode map) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (NodeTuple t : map.getValue()) {
          if (t.getKeyNode() instanceof ScalarNode k && !k.getValue().equals("<<") && !keys.add(k.getValue())) {
            throw new SourceParseException(
                location(file, k), "duplicate key '" + k.getValue() + "' in this mapping");
          }
          todo.push(t.getKeyNode());
          todo.push(t.getValueNode());
        }
      } else if (node instanceof SequenceNode seq) {
        seq.getValue().forEach(todo::push);
      }
    }
  }

  private static String describe(MarkedYamlEngineException e) {
    String problem = e.getProblem() == null ? "" : e.getProblem();
    String context = e.getContext() == null ? "" : e.getContext();
    String text = (context.isEmpty() ? "" : context + ": ") + problem;
    return "invalid YAML: " + (text.isBlank() ? e.getClass().getSimpleName() : text.strip());
  }

  private static SourceLocation locate(Path file, Mark mark) {
    return mark == null
        ? SourceLocation.startOf(file)
        : SourceLocation.ofZeroBased(file, mark.getLine(), mark.getColumn());
  }

  /** Where a node starts. */
  public static SourceLocation location(Path file, Node node) {
    return locate(file, node.getStartMark().orElse(null));
  }

  /** A mapping's value for a scalar key, if present. */
  public static Optional<Node> get(MappingNode map, String key) {
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return Optional.of(t.getValueNode());
      }
    }
    return Optional.empty();
  }

  /** The node as a mapping, or a located error naming what was expected. */
  public static MappingNode mapping(Path file, Node node, String what) {
    if (node instanceof MappingNode m) {
      return m;
    }
    throw new SourceParseException(location(file, node), what + " should be a mapping");
  }

  /** The node as a scalar string, or a located error. */
  public static String scalar(Path file, Node node, String what) {
    if (node instanceof ScalarNode s) {
      return s.getValue();
    }
    throw new SourceParseException(location(file, node), what + " should be a single value");
  }

  /** A scalar or a sequence of scalars, as a list. */
  public static List<String> scalars(Path file, Node node, String what) {
    if (node instanceof ScalarNode s) {
      return List.of(s.getValue());
    }
    if (node instanceof SequenceNode seq) {
      List<String> out = new ArrayList<>();
      for (Node item : seq.getValue()) {
        out.add(scalar(file, item, what + " item"));
      }
      return List.copyOf(out);
    }
    throw new SourceParseException(location(file, node), what + " should be a value or a list of values");
  }

  /** The scalar key of a tuple, or a located error. */
  public static String key(Path file, NodeTuple tuple) {
    return scalar(file, tuple.getKeyNode(), "a key");
  }

  /**
   * A mapping's entries by scalar key, in file order, with {@code <<} merge keys (a plain {@code <<}
   * whose value is a mapping or a list of mappings) followed; keys written in the mapping win over
   * merged ones.
   *
   * @throws SourceParseException at a key that is not a single value, a {@code <<} of anything else,
   *     or merges nested more than {@link #MAX_MERGE_DEPTH} deep
   */
  public static Map<String, NodeTuple> entries(Path file, MappingNode map) {
    return entries(file, map, 0);
  }

  private static Map<String, NodeTuple> entries(Path file, MappingNode map, int merges) {
    if (merges > MAX_MERGE_DEPTH) {
      throw new SourceParseException(location(file, map),
          "'<<' merges nested more than " + MAX_MERGE_DEPTH + " deep (or a mapping merges itself)");
    }
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    List<NodeTuple> merged = new ArrayList<>();
    for (NodeTuple t : map.getValue()) {
      String key = key(file, t);
      if (key.equals("<<") && t.getKeyNode() instanceof ScalarNode k && k.isPlain()) {
        Node v = t.getValueNode();
        if (v instanceof MappingNode mm) {
          merged.addAll(entries(file, mm, merges + 1).values());
        } else if (v instanceof SequenceNode seq) {
          for (Node item : seq.getValue()) {
            if (!(item instanceof MappingNode im)) {
              throw new SourceParseException(location(file, item), "'<<' should merge a mapping or a list of mappings");
            }
            merged.addAll(entries(file, im, merges + 1).values());
          }
        } else {
          throw new SourceParseException(location(file, v), "'<<' should merge a mapping or a list of mappings");
        }
      } else {
        out.put(key, t);
      }
    }
    for (NodeTuple t : merged) {
      out.putIfAbsent(key(file, t), t);
    }
    return out;
  }
}
