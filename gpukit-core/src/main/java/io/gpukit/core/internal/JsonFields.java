package io.gpukit.core.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpukit.core.source.SourceLocation;
import java.util.Optional;

/** The field conventions every {@code gpukit parse} JSON model shares. Internal: not API. */
public final class JsonFields {

  private JsonFields() {}

  /** The value, or {@code null} when absent: a field is never left out. */
  public static void putOptional(ObjectNode o, String field, Optional<String> value) {
    if (value.isPresent()) {
      o.put(field, value.get());
    } else {
      o.putNull(field);
    }
  }

  /** Where the element starts: {@code line} and {@code column}, both 1-based. */
  public static void putLocation(ObjectNode o, SourceLocation location) {
    o.put("line", location.line());
    o.put("column", location.column());
  }
}
