package io.gpukit.core.workflow;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Parses GitHub Actions workflows from snakeyaml-engine nodes, so every element keeps its line and
 * column. The YAML is read through gpukit's limits (aliases, nesting depth, duplicate keys, size);
 * anchors, aliases and {@code <<} merge keys are followed. Keys the model does not know are
 * skipped, so new GitHub features do not break parsing; a known key of the wrong shape (e.g.
 * {@code jobs} as a list) is a {@link SourceParseException} where it is written.
 *
 * @since 0.1.0
 */
public final class WorkflowParser {

  /** Text rendered from a non-scalar value stops here: aliases can make a small file a huge tree. */
  static final int MAX_RENDERED_CHARS = 4096;

  /** GitHub refuses a matrix of more than 256 combinations; a runner expression expands to at most this many sets. */
  static final int MAX_LABEL_SETS = 256;

  private static final Pattern MATRIX_REFERENCE =
      Pattern.compile("\\$\\{\\{\\s*matrix\\.([A-Za-z_][\\w-]*)\\s*}}");

  private final Path path;

  private WorkflowParser(Path path) {
    this.path = path;
  }

  /**
   * Parses a workflow.
   *
   * @param file the file's text
   * @return the workflow
   * @throws SourceParseException at the failing location when the file is not YAML or not a workflow
   */
  public static Workflow parse(SourceFile file) {
    Optional<Node> doc = YamlReader.composeOne(file);
    if (doc.isEmpty()) {
      throw new SourceParseException(SourceLocation.startOf(file.path()), "the workflow file is empty");
    }
    return new WorkflowParser(file.path()).workflow(doc.get());
  }

  /**
   * Parses a local action's {@code action.yml}: its {@code inputs} defaults and, when {@code
   * runs.using} is {@code composite}, its {@code runs.steps} (the shape of workflow steps, located in
   * the action's file).
   *
   * @param file the action file's text
   * @return the action; empty when it is not a composite action (a JavaScript or Docker action)
   * @throws SourceParseException at the failing location when the file is not YAML or not an action
   */
  static Optional<CompositeAction> compositeAction(SourceFile file) {
    Optional<Node> doc = YamlReader.composeOne(file);
    if (doc.isEmpty()) {
      throw new SourceParseException(SourceLocation.startOf(file.path()), "the action file is empty");
    }
    return new WorkflowParser(file.path()).compositeAction(doc.get());
  }

  private Optional<CompositeAction> compositeAction(Node root) {
    if (!(root instanceof MappingNode top)) {
      throw error(root, "an action should be a mapping with 'runs'");
    }
    Map<String, NodeTuple> keys = entries(top);
    NodeTuple runs = keys.get("runs");
    if (runs == null || !(runs.getValueNode() instanceof MappingNode runsMap)) {
      throw error(top, "an action needs 'runs' (a mapping with 'using')");
    }
    Map<String, NodeTuple> runsKeys = entries(runsMap);
    if (!optionalText(runsKeys, "using").map(u -> u.strip().equals("composite")).orElse(false)) {
      return Optional.empty();
    }
    Map<String, String> defaults = new LinkedHashMap<>();
    NodeTuple inputs = keys.get("inputs");
    if (inputs != null && inputs.getValueNode() instanceof MappingNode inputsMap) {
      entries(inputsMap).forEach((name, t) -> {
        if (t.getValueNode() instanceof MappingNode input) {
          optionalText(entries(input), "default").ifPresent(d -> defaults.put(name, d));
        }
      });
    }
    List<Step> steps = new ArrayList<>();
    NodeTuple stepsTuple = runsKeys.get("steps");
    if (stepsTuple != null) {
      if (!(stepsTuple.getValueNode() instanceof SequenceNode seq)) {
        throw error(stepsTuple.getValueNode(), "'runs.steps' of a composite action should be a list");
      }
      for (Node item : seq.getValue()) {
        steps.add(step(steps.size(), item));
      }
    }
    return Optional.of(new CompositeAction(path, defaults, steps));
  }

  private Workflow workflow(Node root) {
    if (!(root instanceof MappingNode top)) {
      throw error(root, "a workflow should be a mapping with 'on' and 'jobs'");
    }
    Map<String, NodeTuple> keys = entries(top);
    NodeTuple on = keys.get("on");
    if (on == null) {
      throw error(top, "a workflow needs 'on' (the events that trigger it)");
    }
    NodeTuple jobsKey = keys.get("jobs");
    if (jobsKey == null) {
      throw error(top, "a workflow needs 'jobs'");
    }
    if (!(jobsKey.getValueNode() instanceof MappingNode jobsMap)) {
      throw error(jobsKey.getValueNode(), "'jobs' should be a mapping of job ids to jobs");
    }
    List<Job> jobs = new ArrayList<>();
    for (Map.Entry<String, NodeTuple> e : entries(jobsMap).entrySet()) {
      jobs.add(job(e.getKey(), e.getValue()));
    }
    return new Workflow(
        path,
        optionalText(keys, "name"),
        triggers(on.getValueNode()),
        entryList(keys.get("env")),
        concurrency(keys.get("concurrency")),
        permissions(keys.get("permissions")),
        jobs,
        location(top),
        location(jobsKey.getKeyNode()));
  }

  // ---- on -----------------------------------------------------------------------------------

  private List<Trigger> triggers(Node on) {
    List<Trigger> out = new ArrayList<>();
    if (on instanceof ScalarNode s) {
      out.add(Trigger.of(s.getValue(), location(s)));
    } else if (on instanceof SequenceNode seq) {
      for (Node item : seq.getValue()) {
        out.add(Trigger.of(scalar(item, "an event under 'on'"), location(item)));
      }
    } else if (on instanceof MappingNode map) {
      for (Map.Entry<String, NodeTuple> e : entries(map).entrySet()) {
        out.add(trigger(e.getKey(), e.getValue()));
      }
    }
    return out;
  }

  private Trigger trigger(String event, NodeTuple tuple) {
    Node value = tuple.getValueNode();
    SourceLocation at = location(tuple.getKeyNode());
    if (event.equals("schedule") && value instanceof SequenceNode seq) {
      List<String> crons = new ArrayList<>();
      for (Node item : seq.getValue()) {
        if (item instanceof MappingNode m) {
          optionalText(entries(m), "cron").ifPresent(crons::add);
        }
      }
      return new Trigger(event, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), crons, at);
    }
    if (!(value instanceof MappingNode m)) {
      return Trigger.of(event, at);
    }
    Map<String, NodeTuple> keys = entries(m);
    return new Trigger(
        event,
        texts(keys.get("branches")),
        texts(keys.get("branches-ignore")),
        texts(keys.get("tags")),
        texts(keys.get("tags-ignore")),
        texts(keys.get("paths")),
        texts(keys.get("paths-ignore")),
        texts(keys.get("types")),
        List.of(),
        texts(keys.get("workflows")),
        at);
  }

  // ---- settings -----------------------------------------------------------------------------

  private Optional<Concurrency> concurrency(NodeTuple tuple) {
    if (tuple == null) {
      return Optional.empty();
    }
    Node value = tuple.getValueNode();
    if (value instanceof MappingNode m) {
      Map<String, NodeTuple> keys = entries(m);
      return Optional.of(new Concurrency(
          optionalText(keys, "group").orElse(""), optionalText(keys, "cancel-in-progress").orElse(""), location(value)));
    }
    return Optional.of(new Concurrency(text(value), "", location(value)));
  }

  private Optional<Permissions> permissions(NodeTuple tuple) {
    if (tuple == null) {
      return Optional.empty();
    }
    Node value = tuple.getValueNode();
    if (value instanceof MappingNode m) {
      return Optional.of(new Permissions(Optional.empty(), entryList(tuple), location(value)));
    }
    return Optional.of(new Permissions(Optional.of(text(value)), List.of(), location(value)));
  }

  // ---- jobs ---------------------------------------------------------------------------------

  private Job job(String id, NodeTuple tuple) {
    Node value = tuple.getValueNode();
    if (!(value instanceof MappingNode m)) {
      throw error(value, "job '" + id + "' should be a mapping (runs-on, steps…)");
    }
    Map<String, NodeTuple> keys = entries(m);
    Optional<Matrix> matrix = Optional.empty();
    NodeTuple strategy = keys.get("strategy");
    if (strategy != null && strategy.getValueNode() instanceof MappingNode sm) {
      NodeTuple mt = entries(sm).get("matrix");
      if (mt != null) {
        matrix = Optional.of(matrix(mt.getValueNode()));
      }
    }
    Optional<RunsOn> runsOn = Optional.empty();
    NodeTuple ro = keys.get("runs-on");
    if (ro != null) {
      runsOn = Optional.of(runsOn(ro.getValueNode(), matrix));
    }
    List<Job.Need> needs = new ArrayList<>();
    NodeTuple needsTuple = keys.get("needs");
    if (needsTuple != null) {
      Node n = needsTuple.getValueNode();
      if (n instanceof SequenceNode seq) {
        for (Node item : seq.getValue()) {
          needs.add(new Job.Need(scalar(item, "a job id under 'needs'"), location(item)));
        }
      } else {
        needs.add(new Job.Need(scalar(n, "'needs'"), location(n)));
      }
    }
    Optional<Container> container = Optional.empty();
    NodeTuple ct = keys.get("container");
    if (ct != null) {
      container = Optional.of(container(Optional.empty(), ct.getValueNode()));
    }
    List<Container> services = new ArrayList<>();
    NodeTuple st = keys.get("services");
    if (st != null && st.getValueNode() instanceof MappingNode sm) {
      for (Map.Entry<String, NodeTuple> e : entries(sm).entrySet()) {
        services.add(container(Optional.of(e.getKey()), e.getValue().getValueNode()));
      }
    }
    List<Step> steps = new ArrayList<>();
    NodeTuple stepsTuple = keys.get("steps");
    if (stepsTuple != null) {
      if (!(stepsTuple.getValueNode() instanceof SequenceNode seq)) {
        throw error(stepsTuple.getValueNode(), "'steps' of job '" + id + "' should be a list");
      }
      for (Node item : seq.getValue()) {
        steps.add(step(steps.size(), item));
      }
    }
    Optional<String> environment = Optional.empty();
    NodeTuple env = keys.get("environment");
    if (env != null) {
      environment = Optional.of(env.getValueNode() instanceof MappingNode em
          ? optionalText(entries(em), "name").orElse("")
          : text(env.getValueNode()));
    }
    return new Job(
        id,
        optionalText(keys, "name"),
        runsOn,
        needs,
        optionalText(keys, "if"),
        matrix,
        container,
        services,
        entryList(keys.get("outputs")),
        entryList(keys.get("env")),
        environment,
        permissions(keys.get("permissions")),
        concurrency(keys.get("concurrency")),
        optionalText(keys, "uses"),
        entryList(keys.get("with")),
        optionalText(keys, "timeout-minutes"),
        steps,
        location(tuple.getKeyNode()));
  }

  private Container container(Optional<String> id, Node value) {
    if (value instanceof MappingNode m) {
      Map<String, NodeTuple> keys = entries(m);
      return new Container(
          id, optionalText(keys, "image").orElse(""), optionalText(keys, "options"), entryList(keys.get("env")), location(value));
    }
    return new Container(id, text(value), Optional.empty(), List.of(), location(value));
  }

  private Step step(int index, Node item) {
    if (!(item instanceof MappingNode m)) {
      throw error(item, "a step should be a mapping with 'uses' or 'run'");
    }
    Map<String, NodeTuple> keys = entries(m);
    return new Step(
        index,
        optionalText(keys, "id"),
        optionalText(keys, "name"),
        optionalText(keys, "uses"),
        optionalText(keys, "run"),
        entryList(keys.get("with")),
        entryList(keys.get("env")),
        optionalText(keys, "if"),
        optionalText(keys, "shell"),
        location(item));
  }

  // ---- runs-on and matrix -------------------------------------------------------------------

  private RunsOn runsOn(Node value, Optional<Matrix> matrix) {
    SourceLocation at = location(value);
    if (value instanceof MappingNode m) {
      Map<String, NodeTuple> keys = entries(m);
      List<String> labels = texts(keys.get("labels"));
      Optional<String> group = optionalText(keys, "group");
      return new RunsOn.Group(group, labels, resolve(labels, matrix), at);
    }
    if (value instanceof ScalarNode s && MATRIX_REFERENCE.matcher(s.getValue()).find()) {
      return new RunsOn.Expression(s.getValue(), resolve(List.of(s.getValue()), matrix), at);
    }
    if (value instanceof ScalarNode s && RunsOn.isExpression(s.getValue())) {
      return new RunsOn.Expression(s.getValue(), List.of(List.of(s.getValue())), at);
    }
    List<String> labels = texts(value);
    return new RunsOn.Labels(labels, resolve(labels, matrix), at);
  }

  /** Expands {@code ${{ matrix.key }}} labels into one label set per matrix value. */
  private static List<List<String>> resolve(List<String> labels, Optional<Matrix> matrix) {
    List<List<String>> sets = new ArrayList<>();
    sets.add(List.of());
    for (String label : labels) {
      Matcher mr = MATRIX_REFERENCE.matcher(label.strip());
      List<List<String>> choices;
      if (mr.matches() && matrix.isPresent() && !matrix.get().values(mr.group(1)).isEmpty()) {
        choices = matrix.get().values(mr.group(1)).stream().map(Matrix.Value::items).toList();
      } else {
        choices = interpolated(label, matrix).stream().map(List::of).toList();
      }
      List<List<String>> next = new ArrayList<>();
      for (List<String> set : sets) {
        for (List<String> choice : choices) {
          if (next.size() < MAX_LABEL_SETS) {
            List<String> combined = new ArrayList<>(set);
            combined.addAll(choice);
            next.add(List.copyOf(combined));
          }
        }
      }
      sets = next;
    }
    return List.copyOf(sets);
  }

  /**
   * A label with {@code ${{ matrix.key }}} inside it ({@code linux-${{ matrix.gpu }}}): one label
   * per scalar value of each key. A key without values, or with a list value, stays unresolved.
   */
  private static List<String> interpolated(String label, Optional<Matrix> matrix) {
    List<String> out = List.of(label);
    Matcher m = MATRIX_REFERENCE.matcher(label);
    while (matrix.isPresent() && m.find()) {
      String reference = m.group();
      List<Matrix.Value> values = matrix.get().values(m.group(1));
      if (values.isEmpty() || values.stream().anyMatch(v -> v.items().size() != 1)) {
        continue;
      }
      List<String> next = new ArrayList<>();
      for (String partial : out) {
        for (Matrix.Value v : values) {
          if (next.size() < MAX_LABEL_SETS) {
            next.add(partial.replace(reference, v.items().get(0)));
          }
        }
      }
      out = next;
    }
    return out;
  }

  private Matrix matrix(Node value) {
    SourceLocation at = location(value);
    if (!(value instanceof MappingNode m)) {
      return new Matrix(List.of(), List.of(), List.of(), Optional.of(text(value)), at);
    }
    List<Matrix.Axis> axes = new ArrayList<>();
    List<Matrix.Combination> include = new ArrayList<>();
    List<Matrix.Combination> exclude = new ArrayList<>();
    boolean written = true;
    for (Map.Entry<String, NodeTuple> e : entries(m).entrySet()) {
      Node v = e.getValue().getValueNode();
      switch (e.getKey()) {
        case "include", "exclude" -> {
          written &= writtenOut(v);
          (e.getKey().equals("include") ? include : exclude).addAll(combinations(v));
        }
        default -> {
          List<Matrix.Value> values = new ArrayList<>();
          if (v instanceof SequenceNode seq) {
            seq.getValue().forEach(item -> values.add(value(item)));
          } else {
            values.add(value(v));
          }
          axes.add(new Matrix.Axis(e.getKey(), values, location(e.getValue().getKeyNode())));
        }
      }
    }
    return new Matrix(axes, include, exclude, Optional.empty(), at, written);
  }

  /** Whether an {@code include} or {@code exclude} is a list of mappings rather than an expression. */
  private static boolean writtenOut(Node value) {
    return value instanceof SequenceNode seq && seq.getValue().stream().allMatch(MappingNode.class::isInstance);
  }

  private List<Matrix.Combination> combinations(Node value) {
    List<Matrix.Combination> out = new ArrayList<>();
    if (value instanceof SequenceNode seq) {
      for (Node item : seq.getValue()) {
        if (item instanceof MappingNode m) {
          Map<String, Matrix.Value> values = new LinkedHashMap<>();
          entries(m).forEach((k, t) -> values.put(k, value(t.getValueNode())));
          out.add(new Matrix.Combination(values, location(item)));
        }
      }
    }
    return out;
  }

  private Matrix.Value value(Node node) {
    if (node instanceof SequenceNode seq && seq.getValue().stream().allMatch(ScalarNode.class::isInstance)) {
      List<String> items = seq.getValue().stream().map(n -> ((ScalarNode) n).getValue()).toList();
      return new Matrix.Value(text(node), items);
    }
    boolean quoted = node instanceof ScalarNode s && s.getScalarStyle() != ScalarStyle.PLAIN;
    return new Matrix.Value(text(node), node instanceof ScalarNode ? List.of(text(node)) : List.of(), quoted);
  }

  // ---- nodes --------------------------------------------------------------------------------

  /**
   * A mapping's entries by key, in file order, with {@code <<} merge keys followed (keys written in
   * the mapping win over merged ones).
   */
  private Map<String, NodeTuple> entries(MappingNode map) {
    return YamlReader.entries(path, map);
  }

  private List<Entry> entryList(NodeTuple tuple) {
    if (tuple == null || !(tuple.getValueNode() instanceof MappingNode m)) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    entries(m).forEach((k, t) -> out.add(new Entry(k, text(t.getValueNode()), location(t.getKeyNode()))));
    return out;
  }

  private Optional<String> optionalText(Map<String, NodeTuple> keys, String key) {
    NodeTuple t = keys.get(key);
    return t == null ? Optional.empty() : Optional.of(text(t.getValueNode()));
  }

  /** A scalar or a list of scalars (a single value is a list of one); nothing for a missing key. */
  private List<String> texts(NodeTuple tuple) {
    return tuple == null ? List.of() : texts(tuple.getValueNode());
  }

  private List<String> texts(Node node) {
    if (node instanceof SequenceNode seq) {
      List<String> out = new ArrayList<>();
      seq.getValue().forEach(item -> out.add(text(item)));
      return out;
    }
    return node instanceof ScalarNode s && s.getValue().isEmpty() ? List.of() : List.of(text(node));
  }

  private String scalar(Node node, String what) {
    if (node instanceof ScalarNode s) {
      return s.getValue();
    }
    throw error(node, what + " should be a single value");
  }

  /** A scalar's value, or a list or mapping as compact flow-style text of bounded length. */
  static String text(Node node) {
    if (node instanceof ScalarNode s) {
      return s.getValue();
    }
    StringBuilder sb = new StringBuilder();
    render(node, sb);
    return sb.length() > MAX_RENDERED_CHARS ? sb.substring(0, MAX_RENDERED_CHARS) + "…" : sb.toString();
  }

  private static void render(Node node, StringBuilder sb) {
    if (sb.length() > MAX_RENDERED_CHARS) {
      return;
    }
    if (node instanceof ScalarNode s) {
      sb.append(s.getValue());
    } else if (node instanceof SequenceNode seq) {
      sb.append('[');
      for (int i = 0; i < seq.getValue().size() && sb.length() <= MAX_RENDERED_CHARS; i++) {
        if (i > 0) {
          sb.append(", ");
        }
        render(seq.getValue().get(i), sb);
      }
      sb.append(']');
    } else if (node instanceof MappingNode m) {
      sb.append('{');
      for (int i = 0; i < m.getValue().size() && sb.length() <= MAX_RENDERED_CHARS; i++) {
        if (i > 0) {
          sb.append(", ");
        }
        render(m.getValue().get(i).getKeyNode(), sb);
        sb.append(": ");
        render(m.getValue().get(i).getValueNode(), sb);
      }
      sb.append('}');
    }
  }

  private SourceLocation location(Node node) {
    return YamlReader.location(path, node);
  }

  private SourceParseException error(Node node, String reason) {
    return new SourceParseException(location(node), reason);
  }
}
