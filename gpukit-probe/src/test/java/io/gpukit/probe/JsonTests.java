package io.gpukit.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JsonTests {

  @Nested
  class Writing {

    @Test
    void escapes_quotes_control_characters_and_line_separators() {
      // given
      String text = "a\"b\\c\nd\te\u0001f\u2028";

      // when
      String json = Json.write(text);

      // then
      assertThat(json).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028\"");
    }

    @Test
    void writes_nested_values_in_insertion_order() {
      // given
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("z", 1);
      map.put("a", Arrays.asList(true, null, 2.5, "x"));
      map.put("nan", Double.NaN);

      // when
      String json = Json.write(map);

      // then
      assertThat(json).isEqualTo("{\"z\":1,\"a\":[true,null,2.5,\"x\"],\"nan\":null}");
    }
  }

  @Nested
  class Reading {

    @Test
    void reads_back_what_it_wrote() {
      // given
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("s", "é \"q\" \n");
      map.put("n", -42L);
      map.put("d", 1.5e-3);
      map.put("l", List.of(Map.of("k", false)));

      // when
      Object parsed = Json.parse(Json.write(map));

      // then
      assertThat(parsed).isEqualTo(map);
    }

    @Test
    void rejects_trailing_garbage_and_truncated_input() {
      // when / then
      assertThatThrownBy(() -> Json.parse("{} x")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("trailing");
      assertThatThrownBy(() -> Json.parse("{\"a\":")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("end of input");
    }
  }
}
