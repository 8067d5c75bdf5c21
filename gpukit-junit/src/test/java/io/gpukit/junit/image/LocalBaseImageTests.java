package io.gpukit.junit.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@RequiresDockerEngine
class LocalBaseImageTests {

  /** Kept between runs: the recipe label makes the next run reuse it in milliseconds. */
  private static String baseImage;

  private final List<String> createdImages = new ArrayList<>();

  @BeforeAll
  static void import_the_base_image() {
    baseImage = LocalBaseImage.jre().tag("gpukit-jre-base:test-" + Runtime.version().feature()).build();
  }

  @AfterEach
  void remove_the_images_this_test_built() {
    DockerClient docker = DockerClientFactory.instance().client();
    for (String image : createdImages) {
      try {
        docker.removeImageCmd(image).withForce(true).exec();
      } catch (NotFoundException e) {
        // Already gone.
      }
    }
  }

  @Nested
  class A_derived_image {

    @Test
    void runs_java_as_the_unprivileged_user_with_the_copied_file() {
      // given
      ImageFromDockerfile image = derivedImage("""
          FROM %s
          COPY greeting.txt /app/greeting.txt
          USER 10001
          """.formatted(baseImage))
          .withFileFromString("greeting.txt", "hello from the build context\n");

      // when
      String logs;
      try (GenericContainer<?> container = new GenericContainer<>(image)
          .withNetworkMode("none")
          .withCommand("sh", "-c", "id -u; cat /app/greeting.txt; java -version")
          .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
        container.start();
        logs = container.getLogs(OutputFrame.OutputType.STDOUT, OutputFrame.OutputType.STDERR);
      }

      // then
      assertThat(logs.lines())
          .startsWith("10001", "hello from the build context")
          .anySatisfy(line -> assertThat(line).startsWith("openjdk version \"" + Runtime.version().feature()));
    }
  }

  @Nested
  class A_one_shot_container {

    @Test
    void reports_its_exit_code() {
      // given
      ImageFromDockerfile image = derivedImage("FROM " + baseImage + "\nUSER 10001\n");

      // when
      long exitCode;
      try (GenericContainer<?> container = new GenericContainer<>(image)
          .withNetworkMode("none")
          .withCommand("sh", "-c", "exit 11")
          .withStartupCheckStrategy(new ExitedStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
        container.start();
        exitCode = container.getDockerClient().inspectContainerCmd(container.getContainerId()).exec()
            .getState().getExitCodeLong();
      }

      // then
      assertThat(exitCode).isEqualTo(11);
    }
  }

  @Nested
  class A_shell_image {

    @Test
    void has_the_tools_and_the_accounts_but_no_java() {
      // given
      String shell = LocalBaseImage.shell().tag("gpukit-shell-base:test").build();

      // when
      String logs;
      try (GenericContainer<?> container = new GenericContainer<>(shell)
          .withNetworkMode("none")
          .withCreateContainerCmdModifier(cmd -> cmd.withUser("10001"))
          .withCommand("sh", "-c", "id -u; echo \"PATH=$PATH\"; command -v java || echo 'no java'; ls /opt 2>&1 || true")
          .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
        container.start();
        logs = container.getLogs(OutputFrame.OutputType.STDOUT, OutputFrame.OutputType.STDERR);
      }

      // then
      assertThat(logs.lines()).startsWith("10001", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "no java");
      assertThat(logs).doesNotContain("openjdk");
      assertThat(DockerClientFactory.instance().client().inspectImageCmd(shell).exec().getConfig().getEnv())
          .noneMatch(variable -> variable.startsWith("JAVA_HOME="));
    }

    @Test
    void refuses_what_only_a_java_runtime_takes() {
      // then
      assertThatIllegalStateException().isThrownBy(() -> LocalBaseImage.shell().withModules("java.sql"))
          .withMessage("withModules applies to a Java runtime, and LocalBaseImage.shell() has none: use"
              + " LocalBaseImage.jre()");
      assertThatIllegalStateException().isThrownBy(() -> LocalBaseImage.shell().withJavaHome(Path.of("/opt/jdk")))
          .withMessageStartingWith("withJavaHome applies to a Java runtime");
    }
  }

  private ImageFromDockerfile derivedImage(String dockerfile) {
    String name = "gpukit-test/local-base-derived:" + UUID.randomUUID();
    createdImages.add(name);
    return new ImageFromDockerfile(name, false)
        .withFileFromString("Dockerfile", dockerfile)
        // No registry is reachable: never pull, and give the build no network.
        .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("none").withPull(false));
  }
}
