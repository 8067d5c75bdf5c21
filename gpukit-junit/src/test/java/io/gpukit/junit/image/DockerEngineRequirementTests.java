package io.gpukit.junit.image;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

class DockerEngineRequirementTests {

  @Nested
  class When_an_engine_answers {

    @Test
    void runs_the_tests() {
      // given / when
      Events tests = run(EngineAnswersTestCases.class);

      // then
      assertThat(tests.succeeded().count()).isEqualTo(1);
    }
  }

  @Nested
  class When_no_engine_answers {

    @Test
    void fails_with_the_fix_in_the_message() {
      // given / when
      Events containers = EngineTestKit.engine("junit-jupiter")
          .selectors(selectClass(NoEngineTestCases.class)).execute().containerEvents();

      // then
      assertThat(containers.failed().stream()
          .map(event -> event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable))
          .map(failure -> failure.map(Throwable::getMessage).orElse("")))
          .singleElement().asString()
          .contains("Start Docker", ".ci/run", "GPUKIT_DOCKER_REQUIRED=true");
    }

    @Test
    void fails_when_the_property_requires_docker() {
      // given / when
      Events containers = EngineTestKit.engine("junit-jupiter")
          .selectors(selectClass(NoEnginePropertyRequiredTestCases.class)).execute().containerEvents();

      // then the property wins over an environment that says false
      assertThat(containers.failed().count()).isEqualTo(1);
    }

    @Test
    void skips_with_the_reason_when_docker_is_not_required() {
      // given / when
      Events containers = EngineTestKit.engine("junit-jupiter")
          .selectors(selectClass(NoEngineNotRequiredTestCases.class)).execute().containerEvents();

      // then
      assertThat(containers.failed().count()).isZero();
      assertThat(containers.skipped().stream().map(e -> e.getPayload(String.class).orElse("")))
          .containsExactly(DockerEngineRequirement.SKIP_REASON);
    }
  }

  private static Events run(Class<?> testCases) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testCases)).execute().testEvents();
  }

  static class EngineAnswersTestCases {
    @RegisterExtension
    static final DockerEngineRequirement REQUIREMENT = new DockerEngineRequirement(() -> true, name -> null);

    @Test
    void needs_docker() {
    }
  }

  static class NoEngineTestCases {
    @RegisterExtension
    static final DockerEngineRequirement REQUIREMENT =
        new DockerEngineRequirement(() -> false, name -> name.equals("GPUKIT_DOCKER_REQUIRED") ? "true" : null);

    @Test
    void needs_docker() {
    }
  }

  static class NoEngineNotRequiredTestCases {
    @RegisterExtension
    static final DockerEngineRequirement REQUIREMENT =
        new DockerEngineRequirement(() -> false, name -> null);

    @Test
    void needs_docker() {
    }
  }

  static class NoEnginePropertyRequiredTestCases {
    @RegisterExtension
    static final DockerEngineRequirement REQUIREMENT = new DockerEngineRequirement(
        () -> false, name -> name.equals("gpukit.docker.required") ? "true" : "false");

    @Test
    void needs_docker() {
    }
  }
}
