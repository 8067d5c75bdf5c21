package io.gpukit.core.promotion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpukit.core.source.SourceLocation;
import java.util.Locale;
import java.util.Optional;

/**
 * The JSON form of a parsed promotion flow or rollback runbook, as {@code gpukit parse promotion
 * FILE --format json} prints it: pretty-printed, fields in a fixed order, {@code null} for absent
 * values, a {@code line} and {@code column} for every located element, and each rollback command
 * with what gpukit understood of it ({@code kubectl} is {@code null} for any other command).
 *
 * @since 0.1.0
 */
public final class PromotionJson {

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PromotionJson() {}

  /** Renders the flow's stages and rollback commands. */
  public static String toJson(PromotionFlow flow) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("file", SourceLocation.renderPath(flow.file()));
    root.put("kind", flow.kind().name().toLowerCase(Locale.ROOT));
    ArrayNode stages = root.putArray("stages");
    for (PromotionStage s : flow.stages()) {
      ObjectNode o = stages.addObject();
      o.put("stage", s.name());
      put(o, "env", s.env());
      put(o, "tagPattern", s.tagPattern());
      ArrayNode gates = o.putArray("gates");
      s.gates().forEach(gates::add);
      put(o, "cluster", s.cluster());
      put(o, "namespace", s.namespace());
      at(o, s.location());
    }
    root.put("hasRollbackSection", flow.hasRollbackSection());
    ArrayNode commands = root.putArray("rollbackCommands");
    for (RollbackCommand c : flow.rollbackCommands()) {
      ObjectNode o = commands.addObject();
      o.put("text", c.text());
      if (c.kubectl().isPresent()) {
        KubectlRollout k = c.kubectl().get();
        ObjectNode ko = o.putObject("kubectl");
        ko.put("action", k.action().word());
        ko.put("resourceKind", k.resourceKind());
        ko.put("name", k.name());
        put(ko, "namespace", k.namespace());
        if (k.toRevision().isPresent()) {
          ko.put("toRevision", k.toRevision().getAsInt());
        } else {
          ko.putNull("toRevision");
        }
      } else {
        o.putNull("kubectl");
      }
      at(o, c.location());
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      // Only strings, numbers and booleans are written; this cannot fail.
      throw new IllegalStateException(e);
    }
  }

  private static void at(ObjectNode o, SourceLocation location) {
    o.put("line", location.line());
    o.put("column", location.column());
  }

  private static void put(ObjectNode o, String field, Optional<String> value) {
    if (value.isPresent()) {
      o.put(field, value.get());
    } else {
      o.putNull(field);
    }
  }
}
