package io.gpukit.core.dockerfile;

import static io.gpukit.core.internal.JsonFields.putOptional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpukit.core.source.SourceLocation;
import java.util.Locale;

/**
 * The JSON form of a parsed Dockerfile, as {@code gpukit parse dockerfile FILE --format json}
 * prints it: pretty-printed, fields in a fixed order, {@code null} for absent values.
 *
 * @since 0.1.0
 */
public final class DockerfileJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private DockerfileJson() {}

  /** Renders the file, its directives, stages and instructions. */
  public static String toJson(Dockerfile dockerfile) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("file", SourceLocation.renderPath(dockerfile.path()));
    ArrayNode directives = root.putArray("directives");
    for (Directive d : dockerfile.directives()) {
      ObjectNode o = directives.addObject();
      o.put("name", d.name());
      o.put("value", d.value());
      o.put("line", d.location().line());
    }
    ArrayNode stages = root.putArray("stages");
    for (Stage s : dockerfile.stages()) {
      ObjectNode o = stages.addObject();
      o.put("index", s.index());
      putOptional(o, "name", s.name());
      ImageReference image = s.baseImage();
      ObjectNode base = o.putObject("baseImage");
      base.put("original", image.original());
      base.put("resolved", image.resolved());
      putOptional(base, "registry", image.registry());
      base.put("repository", image.repository());
      putOptional(base, "tag", image.tag());
      putOptional(base, "digest", image.digest());
      putOptional(o, "platform", s.platform());
      o.put("startLine", s.from().startLine());
      o.put("endLine", s.endLine());
    }
    ArrayNode instructions = root.putArray("instructions");
    for (Instruction i : dockerfile.instructions()) {
      instructions.add(instruction(i));
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      // Only strings, numbers and booleans are written; this cannot fail.
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode instruction(Instruction i) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("keyword", i.keyword());
    o.put("startLine", i.startLine());
    o.put("endLine", i.endLine());
    o.put("original", i.original());
    ArrayNode flags = o.putArray("flags");
    i.flags().forEach(f -> flags.add(f.raw()));
    ArrayNode args = o.putArray("args");
    i.args().forEach(args::add);
    o.put("form", i.form().name().toLowerCase(Locale.ROOT));
    ArrayNode heredocs = o.putArray("heredocs");
    for (Heredoc h : i.heredocs()) {
      ObjectNode ho = heredocs.addObject();
      ho.put("name", h.name());
      ho.put("content", h.content());
      ho.put("expand", h.expand());
      ho.put("chomp", h.chomp());
    }
    if (i instanceof Onbuild onbuild) {
      o.set("nested", instruction(onbuild.nested()));
    } else {
      o.putNull("nested");
    }
    return o;
  }
}
