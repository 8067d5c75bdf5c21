package io.gpukit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** What the command line builds at start, and the training run behind the class-data sharing archive. */
class StartupTests {

  static final Path EXAMPLE = Path.of("..", "gpukit-examples");

  static List<String> subcommandsFor(String... args) {
    CommandLine cmd = new CommandLine(new GpuKitCommand());
    GpuKitCommand.addSubcommands(cmd, args);
    return List.copyOf(cmd.getSubcommands().keySet());
  }

  @Nested
  class Subcommands {

    @Test
    void only_the_one_the_first_argument_names_is_built() {
      // when
      List<String> check = subcommandsFor("check", "--format", "json", "Dockerfile");
      List<String> rollout = subcommandsFor("rollout", "simulate", "deployment.yaml");

      // then
      assertThat(check).containsExactly("check");
      assertThat(rollout).containsExactly("rollout");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--help", "-V", "help", "chek", "CHECK", "Dockerfile"})
    void all_are_built_when_the_first_argument_names_none(String first) {
      // when
      List<String> built = first.isEmpty() ? subcommandsFor() : subcommandsFor(first, "check");

      // then
      assertThat(built).containsExactlyElementsOf(GpuKitCommand.SUBCOMMANDS);
    }

    @Test
    void each_is_registered_under_its_own_command_name() {
      // when
      Map<String, CommandLine> built = new CommandLine(new GpuKitCommand()).getSubcommands();
      CommandLine cmd = new CommandLine(new GpuKitCommand());
      GpuKitCommand.addSubcommands(cmd);

      // then
      assertThat(built).as("subcommands of the annotation itself: none, they are added by name").isEmpty();
      cmd.getSubcommands().forEach((name, sub) -> assertThat(
          sub.getCommandSpec().userObject().getClass().getAnnotation(Command.class).name()).isEqualTo(name));
    }

    @Test
    void the_usage_help_lists_every_one_in_order() {
      // given
      StringWriter out = new StringWriter();

      // when
      int code = GpuKitCommand.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "--help");

      // then
      assertThat(code).isZero();
      assertThat(out.toString()).containsSubsequence(
          "Commands:", "  check", "  parse", "  rules", "  explain", "  rollout", "  help");
    }
  }

  @Nested
  class Training {

    @Test
    void checks_one_dockerfile_first_then_the_example_every_way() {
      // when
      List<List<String>> commands = StartupTraining.commands(EXAMPLE);

      // then
      assertThat(commands.get(0)).containsExactly("check", EXAMPLE.resolve("Dockerfile").toString());
      assertThat(commands).contains(
          List.of("check", EXAMPLE.toString()),
          List.of("check", "--format", "json", EXAMPLE.toString()),
          List.of("check", "--format", "sarif", EXAMPLE.toString()),
          List.of("rules"),
          List.of("--version"));
    }

    @Test
    void runs_every_command_without_an_internal_error() {
      for (List<String> command : StartupTraining.commands(EXAMPLE)) {
        // when
        StringWriter err = new StringWriter();
        int code = GpuKitCommand.execute(
            new PrintWriter(new StringWriter()), new PrintWriter(err), command.toArray(String[]::new));

        // then
        assertThat(code).as("gpukit %s: %s", command, err).isBetween(GpuKitCommand.OK, GpuKitCommand.USAGE);
      }
    }

    @Test
    void without_a_service_runs_only_what_needs_no_input() {
      // when
      List<List<String>> commands = StartupTraining.commands(null);

      // then
      assertThat(commands).contains(List.of("rules"), List.of("--help")).noneMatch(c -> c.contains("json"));
    }
  }
}
