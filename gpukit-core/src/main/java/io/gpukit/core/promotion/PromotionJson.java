package io.gpukit.core.promotion;

import static io.gpukit.core.internal.JsonFields.putLocation;
import static io.gpukit.core.internal.JsonFields.putOptional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpukit.core.source.SourceLocation;
import java.util.Locale;

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
      putOptional(o, "env", s.env());
      putOptional(o, "tagPattern", s.tagPattern());
      ArrayNode gates = o.putArray("gates");
      s.gates().forEach(gates::add);
      putOptional(o, "cluster", s.cluster());
      putOptional(o, "namespace", s.namespace());
      putLocation(o, s.location());
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
        putOptional(ko, "namespace", k.namespace());
        if (k.toRevision().isPresent()) {
          ko.put("toRevision", k.toRevision().getAsInt());
        } else {
          ko.putNull("toRevision");
        }
      } else {
        o.putNull("kubectl");
      }
      putLocation(o, c.location());
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      // Only strings, numbers and booleans are written; this cannot fail.
      throw new IllegalStateException(e);
    }
  }
}
