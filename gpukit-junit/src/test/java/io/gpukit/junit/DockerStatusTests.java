package io.gpukit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ContainerFetchException;

/** The causes {@link DockerStatus} reads from Testcontainers' failures, as Testcontainers 2.0 throws them. */
class DockerStatusTests {

  @Test
  void a_ryuk_image_that_cannot_be_pulled_names_the_setting_that_turns_ryuk_off() {
    // given: what Testcontainers throws when no registry answers for its clean-up container
    RuntimeException failure = new ContainerFetchException("Can't get Docker image: RemoteDockerImage("
        + "imageName=testcontainers/ryuk:0.14.0, imagePullPolicy=DefaultPullPolicy())",
        new InternalServerErrorException("Get \"https://registry-1.docker.io/v2/\": dial tcp: no such host"));

    // when
    DockerStatus status = DockerStatus.diagnose(failure);

    // then
    assertThat(status.answers()).isFalse();
    assertThat(status.describe()).startsWith("the Docker engine answers, but Testcontainers could not start Ryuk")
        .contains("TESTCONTAINERS_RYUK_DISABLED=true").doesNotContain("start Docker");
  }

  @Test
  void an_engine_without_a_bridge_network_names_the_host_override() {
    // given: the engine was started with --bridge=none
    RuntimeException failure = new NotFoundException("Status 404: {\"message\":\"network bridge not found\"}");

    // when
    DockerStatus status = DockerStatus.diagnose(failure);

    // then
    assertThat(status.describe()).contains("no 'bridge' network", "TESTCONTAINERS_HOST_OVERRIDE=localhost");
  }

  @Test
  void anything_else_says_no_engine_answers_with_testcontainers_own_words_on_one_line() {
    // given
    RuntimeException failure = new IllegalStateException("Could not find a valid Docker environment.\n"
        + "Please see logs and check configuration");

    // when
    DockerStatus status = DockerStatus.diagnose(failure);

    // then
    assertThat(status.describe()).isEqualTo(DockerStatus.NO_ENGINE + " (Testcontainers: Could not find a valid"
        + " Docker environment. Please see logs and check configuration)");
  }

  @Test
  void an_engine_that_answers_has_no_problem() {
    assertThat(DockerStatus.ANSWERS.answers()).isTrue();
    assertThat(DockerStatus.ANSWERS.problem()).isEmpty();
  }
}
