package io.gpukit.junit.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ImageArchiveTests {

  @Test
  void a_value_with_quotes_backslashes_and_control_characters_is_one_json_string() throws Exception {
    // given: what an ENV value or a label of a base image may hold
    String value = "PATH=\"/opt/jre/bin\"\\sbin\n\ttab\u0001\u2028";

    // when
    String quoted = ImageArchive.quote(value);

    // then
    assertThat(quoted).startsWith("\"").endsWith("\"").doesNotContain("\n", "\t", "\u0001");
    assertThat(new ObjectMapper().readValue(quoted, String.class)).isEqualTo(value);
  }
}
