package io.gpukit.core.workflow;

import static io.gpukit.core.internal.JsonFields.putLocation;
import static io.gpukit.core.internal.JsonFields.putOptional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Optional;

/**
 * The JSON form of a parsed workflow, as {@code gpukit parse workflow FILE --format json} prints
 * it: pretty-printed, fields in a fixed order, {@code null} for absent values, a {@code line} and
 * {@code column} for every located element.
 *
 * @since 0.1.0
 */
public final class WorkflowJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private WorkflowJson() {}

  /** Renders the workflow, its triggers and jobs. */
  public static String toJson(Workflow workflow) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("file", SourceLocation.renderPath(workflow.path()));
    putOptional(root, "name", workflow.name());
    ArrayNode on = root.putArray("on");
    for (Trigger t : workflow.triggers()) {
      ObjectNode o = on.addObject();
      o.put("event", t.event());
      strings(o, "branches", t.branches());
      strings(o, "branchesIgnore", t.branchesIgnore());
      strings(o, "tags", t.tags());
      strings(o, "tagsIgnore", t.tagsIgnore());
      strings(o, "paths", t.paths());
      strings(o, "pathsIgnore", t.pathsIgnore());
      strings(o, "types", t.types());
      strings(o, "crons", t.crons());
      strings(o, "workflows", t.workflows());
      putLocation(o, t.location());
    }
    entries(root, "env", workflow.env());
    concurrency(root, workflow.concurrency());
    permissions(root, workflow.permissions());
    ArrayNode jobs = root.putArray("jobs");
    workflow.jobs().forEach(j -> jobs.add(job(j)));
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      // Only strings, numbers and booleans are written; this cannot fail.
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode job(Job j) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", j.id());
    putOptional(o, "name", j.name());
    putLocation(o, j.location());
    if (j.runsOn().isPresent()) {
      RunsOn r = j.runsOn().get();
      ObjectNode ro = o.putObject("runsOn");
      if (r instanceof RunsOn.Labels l) {
        ro.put("kind", "labels");
        strings(ro, "labels", l.labels());
      } else if (r instanceof RunsOn.Group g) {
        ro.put("kind", "group");
        putOptional(ro, "group", g.group());
        strings(ro, "labels", g.labels());
      } else if (r instanceof RunsOn.Expression e) {
        ro.put("kind", "expression");
        ro.put("expression", e.expression());
      }
      ArrayNode sets = ro.putArray("labelSets");
      r.labelSets().forEach(set -> {
        ArrayNode a = sets.addArray();
        set.forEach(a::add);
      });
      putLocation(ro, r.location());
    } else {
      o.putNull("runsOn");
    }
    ArrayNode needs = o.putArray("needs");
    for (Job.Need n : j.needs()) {
      ObjectNode no = needs.addObject();
      no.put("job", n.jobId());
      putLocation(no, n.location());
    }
    putOptional(o, "if", j.condition());
    if (j.matrix().isPresent()) {
      Matrix m = j.matrix().get();
      ObjectNode mo = o.putObject("matrix");
      ArrayNode axes = mo.putArray("axes");
      for (Matrix.Axis a : m.axes()) {
        ObjectNode ao = axes.addObject();
        ao.put("key", a.key());
        ArrayNode values = ao.putArray("values");
        a.values().forEach(v -> values.add(v.text()));
        putLocation(ao, a.location());
      }
      combinations(mo, "include", m.include());
      combinations(mo, "exclude", m.exclude());
      putOptional(mo, "expression", m.expression());
      putLocation(mo, m.location());
    } else {
      o.putNull("matrix");
    }
    if (j.container().isPresent()) {
      o.set("container", container(j.container().get()));
    } else {
      o.putNull("container");
    }
    ArrayNode services = o.putArray("services");
    j.services().forEach(s -> services.add(container(s)));
    entries(o, "outputs", j.outputs());
    entries(o, "env", j.env());
    putOptional(o, "environment", j.environment());
    permissions(o, j.permissions());
    concurrency(o, j.concurrency());
    putOptional(o, "uses", j.uses());
    entries(o, "with", j.with());
    putOptional(o, "timeoutMinutes", j.timeoutMinutes());
    ArrayNode steps = o.putArray("steps");
    for (Step s : j.steps()) {
      ObjectNode so = steps.addObject();
      so.put("index", s.index());
      putOptional(so, "id", s.id());
      putOptional(so, "name", s.name());
      putOptional(so, "uses", s.uses());
      putOptional(so, "run", s.run());
      entries(so, "with", s.with());
      entries(so, "env", s.env());
      putOptional(so, "if", s.condition());
      putOptional(so, "shell", s.shell());
      putLocation(so, s.location());
    }
    return o;
  }

  private static ObjectNode container(Container c) {
    ObjectNode o = MAPPER.createObjectNode();
    putOptional(o, "id", c.id());
    o.put("image", c.image());
    putOptional(o, "options", c.options());
    entries(o, "env", c.env());
    putLocation(o, c.location());
    return o;
  }

  private static void combinations(ObjectNode parent, String field, List<Matrix.Combination> combinations) {
    ArrayNode a = parent.putArray(field);
    for (Matrix.Combination c : combinations) {
      ObjectNode co = a.addObject();
      ObjectNode values = co.putObject("values");
      c.values().forEach((k, v) -> values.put(k, v.text()));
      putLocation(co, c.location());
    }
  }

  private static void concurrency(ObjectNode parent, Optional<Concurrency> concurrency) {
    if (concurrency.isEmpty()) {
      parent.putNull("concurrency");
      return;
    }
    ObjectNode o = parent.putObject("concurrency");
    o.put("group", concurrency.get().group());
    o.put("cancelInProgress", concurrency.get().cancelInProgress());
    putLocation(o, concurrency.get().location());
  }

  private static void permissions(ObjectNode parent, Optional<Permissions> permissions) {
    if (permissions.isEmpty()) {
      parent.putNull("permissions");
      return;
    }
    ObjectNode o = parent.putObject("permissions");
    putOptional(o, "all", permissions.get().all());
    entries(o, "scopes", permissions.get().scopes());
    putLocation(o, permissions.get().location());
  }

  private static void entries(ObjectNode parent, String field, List<Entry> entries) {
    ArrayNode a = parent.putArray(field);
    for (Entry e : entries) {
      ObjectNode o = a.addObject();
      o.put("key", e.key());
      o.put("value", e.value());
      putLocation(o, e.location());
    }
  }

  private static void strings(ObjectNode parent, String field, List<String> values) {
    ArrayNode a = parent.putArray(field);
    values.forEach(a::add);
  }
}
