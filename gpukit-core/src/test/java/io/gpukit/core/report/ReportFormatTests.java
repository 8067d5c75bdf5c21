package io.gpukit.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.policy.PolicyReport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ReportFormatTests {

  @Nested
  class From_name {

    @ParameterizedTest
    @CsvSource({
      "text, TEXT",
      "JSON, JSON",
      "Sarif, SARIF",
      "junit, JUNIT",
      "junit-xml, JUNIT",
      "html, HTML",
      "JUnit-XML, JUNIT",
      "' sarif ', SARIF"
    })
    void accepts_names_ignoring_case(String name, ReportFormat expected) {
      // given / when
      ReportFormat format = ReportFormat.fromName(name);

      // then
      assertThat(format).isEqualTo(expected);
    }

    @Test
    void rejects_an_unknown_name_listing_the_accepted_ones() {
      // given
      String name = "pdf";

      // when / then
      assertThatThrownBy(() -> ReportFormat.fromName(name))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'pdf'")
          .hasMessageContaining("text, json, sarif, junit, html");
    }

    @ParameterizedTest
    @EnumSource(ReportFormat.class)
    void round_trips_every_label(ReportFormat format) {
      // given
      String label = format.label();

      // when
      ReportFormat parsed = ReportFormat.fromName(label);

      // then
      assertThat(parsed).isEqualTo(format);
    }
  }

  @Nested
  class Writer {

    @ParameterizedTest
    @EnumSource(ReportFormat.class)
    void renders_the_same_report_identically_twice(ReportFormat format) {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      String first = format.writer().render(report);
      String second = format.writer().render(report);

      // then
      assertThat(first).isEqualTo(second).endsWith("\n").doesNotContain("\r");
    }

    @ParameterizedTest
    @EnumSource(ReportFormat.class)
    void renders_an_empty_report(ReportFormat format) {
      // given
      PolicyReport report = PolicyReport.empty();

      // when
      String rendered = format.writer().render(report);

      // then
      assertThat(rendered).isNotBlank();
    }
  }
}
