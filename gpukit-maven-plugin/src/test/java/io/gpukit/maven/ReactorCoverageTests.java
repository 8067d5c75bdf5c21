package io.gpukit.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.maven.ReactorCoverage.Module;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReactorCoverageTests {

  static final Path ROOT = Path.of("/repo").toAbsolutePath();

  @Test
  void a_module_inside_an_aggregator_that_runs_the_goal_is_checked_by_it() {
    List<Module> build = List.of(new Module("root", ROOT, true), new Module("service", ROOT.resolve("service"), true));

    assertThat(ReactorCoverage.coveringModule(ROOT.resolve("service"), build)).map(Module::name).contains("root");
  }

  @Test
  void the_outermost_covering_module_wins() {
    List<Module> build = List.of(new Module("services", ROOT.resolve("services"), true), new Module("root", ROOT, true));

    assertThat(ReactorCoverage.coveringModule(ROOT.resolve("services/a"), build)).map(Module::name).contains("root");
  }

  @Test
  void a_module_checks_its_own_folder_when_no_outer_module_runs_the_goal() {
    List<Module> build = List.of(new Module("root", ROOT, false), new Module("sibling", ROOT.resolve("sibling"), true));

    assertThat(ReactorCoverage.coveringModule(ROOT.resolve("service"), build)).isEmpty();
  }

  @Test
  void a_folder_is_not_covered_by_itself_nor_by_a_name_prefix() {
    List<Module> build = List.of(new Module("same", ROOT.resolve("service"), true),
        new Module("prefix", ROOT.resolve("serv"), true));

    assertThat(ReactorCoverage.coveringModule(ROOT.resolve("service"), build)).isEmpty();
  }
}
