package io.gpukit.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.ArtifactScope;
import io.gpukit.core.policy.GpuEvidence;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.RuleScope;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceLocation;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class JUnitXmlReportWriterTests {

  private final ReportWriter writer = ReportFormat.JUNIT.writer();

  private static Element parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    return document.getDocumentElement();
  }

  private static List<Element> children(Element parent, String tag) {
    List<Element> elements = new ArrayList<>();
    NodeList nodes = parent.getElementsByTagName(tag);
    for (int i = 0; i < nodes.getLength(); i++) {
      elements.add((Element) nodes.item(i));
    }
    return elements;
  }

  private static Element suite(Element root, String ruleId) {
    return children(root, "testsuite").stream()
        .filter(s -> s.getAttribute("name").equals(ruleId))
        .findFirst()
        .orElseThrow();
  }

  static final Path POSTGRES = Path.of("db", "Dockerfile");
  static final Path LLM = Path.of("llm", "Dockerfile");
  static final Path BROKEN = Path.of("broken", "Dockerfile");

  static final RuleDescriptor HEALTHCHECK =
      new RuleDescriptor("dockerfile/final-stage-healthcheck", Severity.ERROR,
          "the final stage should have a HEALTHCHECK that proves the GPU", "", "", "", "", RuleScope.GPU);

  /** A postgres image (not GPU), a CUDA image (GPU) and a Dockerfile that did not parse (no scope). */
  static PolicyReport gpuAndNot(List<Violation> violations) {
    return PolicyReport.of(List.of(POSTGRES, LLM, BROKEN), violations, List.of(ReportFixtures.NON_ROOT, HEALTHCHECK))
        .withScopes(List.of(
            new ArtifactScope(POSTGRES, "dockerfile", false, Optional.empty(), List.of()),
            ArtifactScope.of(LLM, "dockerfile", List.of(GpuEvidence.strong("stage 'runtime'",
                "its base image 'nvidia/cuda:12.4.1-runtime-ubuntu22.04' is a CUDA image", SourceLocation.startOf(LLM))))));
  }

  private static List<String> testcaseNames(Element suite) {
    return children(suite, "testcase").stream().map(c -> c.getAttribute("name")).toList();
  }

  @Nested
  class Rules_of_another_kind {

    @Test
    void have_no_testcase_for_a_file_of_another_kind_but_the_project_and_engine_rules_do() throws Exception {
      // given
      Path workflow = Path.of(".github", "workflows", "ci.yml");
      RuleDescriptor projectRule = RuleDescriptor.of("project/gpu-ci-job", Severity.ERROR, "a GPU job tests the image", "");
      PolicyReport report = PolicyReport.of(List.of(LLM, workflow), List.of(), List.of(ReportFixtures.NON_ROOT, projectRule))
          .withScopes(List.of(ArtifactScope.of(LLM, "dockerfile", List.of()), ArtifactScope.of(workflow, "workflow", List.of())));

      // when
      Element root = parse(writer.render(report));

      // then
      assertThat(testcaseNames(suite(root, "dockerfile/final-stage-non-root"))).containsExactly("llm/Dockerfile");
      assertThat(testcaseNames(suite(root, "project/gpu-ci-job")))
          .containsExactly("llm/Dockerfile", ".github/workflows/ci.yml");
      assertThat(root.getAttribute("tests")).isEqualTo("3");
    }
  }

  @Nested
  class Gpu_rules {

    @Test
    void have_no_testcase_for_a_file_that_is_not_gpu() throws Exception {
      // given
      PolicyReport report = gpuAndNot(List.of());

      // when
      Element root = parse(writer.render(report));

      // then
      Element healthcheck = suite(root, "dockerfile/final-stage-healthcheck");
      assertThat(testcaseNames(healthcheck)).containsExactly("llm/Dockerfile", "broken/Dockerfile");
      assertThat(healthcheck.getAttribute("tests")).isEqualTo("2");
      assertThat(root.getAttribute("tests")).isEqualTo("5");
      assertThat(children(root, "testcase")).hasSize(5);
    }

    @Test
    void leave_hygiene_rules_a_testcase_for_every_file() throws Exception {
      // given
      PolicyReport report = gpuAndNot(List.of());

      // when
      Element root = parse(writer.render(report));

      // then
      Element nonRoot = suite(root, "dockerfile/final-stage-non-root");
      assertThat(testcaseNames(nonRoot)).containsExactly("db/Dockerfile", "llm/Dockerfile", "broken/Dockerfile");
      assertThat(nonRoot.getAttribute("tests")).isEqualTo("3");
    }

    @Test
    void keep_a_failing_testcase_even_for_a_file_that_is_not_gpu() throws Exception {
      // given
      PolicyReport report = gpuAndNot(List.of(ReportFixtures.violation(
          HEALTHCHECK, Severity.ERROR, POSTGRES, 4, 1, "the HEALTHCHECK only checks TCP", "")));

      // when
      Element root = parse(writer.render(report));

      // then
      Element healthcheck = suite(root, "dockerfile/final-stage-healthcheck");
      assertThat(testcaseNames(healthcheck)).containsExactly("db/Dockerfile", "llm/Dockerfile", "broken/Dockerfile");
      assertThat(healthcheck.getAttribute("failures")).isEqualTo("1");
      assertThat(root.getAttribute("tests")).isEqualTo("6");
    }
  }

  @Nested
  class Counts {

    @Test
    void has_a_testcase_per_rule_and_file_and_a_failure_per_failing_pair() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      Element root = parse(writer.render(report));

      // then
      int rules = report.rules().size();
      assertThat(root.getTagName()).isEqualTo("testsuites");
      assertThat(root.getAttribute("name")).isEqualTo("gpukit");
      assertThat(root.getAttribute("tests")).isEqualTo(String.valueOf(rules * 2));
      assertThat(root.getAttribute("failures")).isEqualTo("3");
      assertThat(root.getAttribute("errors")).isEqualTo("0");
      assertThat(children(root, "testsuite")).hasSize(rules);
      assertThat(children(root, "testcase")).hasSize(rules * 2);
      assertThat(children(root, "failure")).hasSize(3);
    }

    @Test
    void counts_each_suite_on_its_own() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      Element root = parse(writer.render(report));

      // then
      Element nonRoot = suite(root, "dockerfile/final-stage-non-root");
      assertThat(nonRoot.getAttribute("tests")).isEqualTo("2");
      assertThat(nonRoot.getAttribute("failures")).isEqualTo("1");
      Element parseError = suite(root, "gpukit/parse-error");
      assertThat(parseError.getAttribute("tests")).isEqualTo("2");
      assertThat(parseError.getAttribute("failures")).isEqualTo("0");
      assertThat(children(parseError, "testcase"))
          .extracting(t -> t.getAttribute("name"))
          .containsExactly("docker/Dockerfile", "k8s/deploy.yaml");
      assertThat(children(parseError, "testcase"))
          .allSatisfy(t -> assertThat(t.getAttribute("classname")).isEqualTo("gpukit/parse-error"));
    }

    @Test
    void lists_every_violation_of_a_rule_in_a_file_in_one_failure() throws Exception {
      // given
      PolicyReport report =
          PolicyReport.of(
              List.of(ReportFixtures.DOCKERFILE),
              List.of(
                  ReportFixtures.violation(
                      ReportFixtures.NON_ROOT, Severity.WARNING, ReportFixtures.DOCKERFILE, 3, 1, "first", ""),
                  ReportFixtures.violation(
                      ReportFixtures.NON_ROOT, Severity.ERROR, ReportFixtures.DOCKERFILE, 9, 1, "second", "fix it")),
              List.of(ReportFixtures.NON_ROOT));

      // when
      Element root = parse(writer.render(report));

      // then
      List<Element> failures = children(root, "failure");
      assertThat(failures).hasSize(1);
      Element failure = failures.get(0);
      assertThat(failure.getAttribute("type")).isEqualTo("error");
      assertThat(failure.getAttribute("message"))
          .isEqualTo("docker/Dockerfile:3:1: warning: first [dockerfile/final-stage-non-root] (and 1 more)");
      assertThat(failure.getTextContent())
          .isEqualTo(
              "docker/Dockerfile:3:1: warning: first [dockerfile/final-stage-non-root]\n"
                  + "docker/Dockerfile:9:1: error: second [dockerfile/final-stage-non-root]\n"
                  + "  hint: fix it\n");
    }

    @Test
    void reports_a_violation_of_a_rule_or_file_the_report_does_not_list() throws Exception {
      // given
      PolicyReport report =
          PolicyReport.of(
              List.of(),
              List.of(
                  ReportFixtures.violation(
                      ReportFixtures.GPU_LIMITS, Severity.WARNING, ReportFixtures.DEPLOYMENT, 1, 1, "m", "")),
              List.of());

      // when
      Element root = parse(writer.render(report));

      // then
      assertThat(root.getAttribute("tests")).isEqualTo("1");
      assertThat(root.getAttribute("failures")).isEqualTo("1");
      assertThat(suite(root, "k8s/gpu-limits-set").getAttribute("failures")).isEqualTo("1");
    }
  }

  @Nested
  class Empty_report {

    @Test
    void passes_every_testcase() throws Exception {
      // given
      PolicyReport report = ReportFixtures.clean();

      // when
      Element root = parse(writer.render(report));

      // then
      assertThat(root.getAttribute("tests")).isEqualTo(String.valueOf(report.rules().size() * 3));
      assertThat(root.getAttribute("failures")).isEqualTo("0");
      assertThat(children(root, "failure")).isEmpty();
    }

    @Test
    void parses_when_nothing_was_checked() throws Exception {
      // given
      PolicyReport report = PolicyReport.empty();

      // when
      Element root = parse(writer.render(report));

      // then
      assertThat(root.getAttribute("tests")).isEqualTo("0");
      assertThat(children(root, "testsuite")).isEmpty();
    }
  }

  @Nested
  class Special_characters {

    @Test
    void escapes_markup_and_keeps_unicode_through_a_parse() throws Exception {
      // given
      String message = "quote \" apostrophe ' <tag> & amp; ]]> ünïcødé 日本 🚀";
      PolicyReport report = ReportFixtures.awkward(message, "use <b> & \"c\"");

      // when
      String xml = writer.render(report);
      Element root = parse(xml);

      // then
      Element failure = children(root, "failure").get(0);
      assertThat(failure.getAttribute("message")).contains(message);
      assertThat(failure.getTextContent()).contains(message).contains("  hint: use <b> & \"c\"");
      assertThat(xml.chars()).allMatch(c -> c < 0x80);
    }

    @Test
    void survives_control_characters_and_line_breaks() throws Exception {
      // given
      PolicyReport report = ReportFixtures.awkward(ReportFixtures.AWKWARD, "");

      // when
      Element root = parse(writer.render(report));

      // then
      String text = children(root, "failure").get(0).getTextContent();
      assertThat(text).contains("\\u0001\\u001B[31m").contains("tab\tend\n    second line\n    third");
    }

    @Test
    void names_testcases_by_paths_with_spaces() throws Exception {
      // given
      PolicyReport report = ReportFixtures.awkward("m", "");

      // when
      Element root = parse(writer.render(report));

      // then
      assertThat(children(root, "testcase"))
          .extracting(t -> t.getAttribute("name"))
          .containsOnly("my app/Docker file");
    }
  }
}
