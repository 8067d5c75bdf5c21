package io.gpukit.examples.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTests {

  @Nested
  class Reading {

    @Test
    void reads_objects_arrays_numbers_strings_and_literals() throws Exception {
      // when
      Object value = Json.parse(" {\"a\": [1, -2.5e1, 0.125], \"b\": \"x\\\"\\u00e9\\n\", \"c\": true, \"d\": null} ");

      // then
      assertThat(value).isEqualTo(Map.of("a", List.of(1.0, -25.0, 0.125), "b", "x\"é\n", "c", true, "d", Json.NULL));
    }

    @Test
    void keeps_the_order_of_members() throws Exception {
      assertThat(List.copyOf(((Map<?, ?>) Json.parse("{\"z\": 1, \"a\": 2}")).keySet())).isEqualTo(List.of("z", "a"));
    }
  }

  @Nested
  class Rejecting {

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "''                       | the body is empty",
        "'{\"a\": 1,}'            | expected a member name",
        "'[1, 2'                  | at the end",
        "'{\"a\": 1} x'           | after the JSON value",
        "'[01]'                   | expected ',' or ']'",
        "'[1.]'                   | a digit after '.'",
        "'[NaN]'                  | unexpected 'N'",
        "'{\"a\": 1, \"a\": 2}'   | the member 'a' appears twice",
        "'[\"\\x\"]'              | '\\x' is not a JSON escape",
        "'// c\n{}'               | unexpected '/'",
    })
    void says_what_is_wrong(String text, String message) {
      assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(Json.ParseException.class).hasMessageContaining(message);
    }

    @Test
    void names_the_line_and_column() {
      assertThatThrownBy(() -> Json.parse("{\n  \"a\": [1,\n   x]\n}"))
          .hasMessage("invalid JSON at line 3, column 4: unexpected 'x' where a value should start");
    }

    @Test
    void stops_nesting_before_the_stack_does() {
      assertThatThrownBy(() -> Json.parse("[".repeat(100_000)))
          .hasMessageContaining("nested deeper than " + Json.MAX_DEPTH);
    }
  }
}
