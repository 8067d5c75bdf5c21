package io.gpukit.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class SkipReasonsTests {

  /** Run only through the launcher below: each of its tests is skipped one way. */
  static class Sample {
    @Test
    @Disabled("no NVIDIA GPU on this machine")
    void disabled_by_a_condition() {}

    @Test
    void aborted_by_an_assumption() {
      Assumptions.abort("No Docker engine answers");
    }

    @Test
    void passes() {}

    @Nested
    @Disabled("the whole class needs a GPU")
    class Gpu {
      @Test
      void never_runs() {}
    }
  }

  private static String run(String... parameters) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
        .enableTestExecutionListenerAutoRegistration(false)
        .addTestExecutionListeners(new SkipReasons(out))
        .build());
    LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Sample.class));
    for (int i = 0; i < parameters.length; i += 2) {
      request.configurationParameter(parameters[i], parameters[i + 1]);
    }
    LauncherDiscoveryRequest built = request.build();
    launcher.execute(built);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void prints_one_line_per_skipped_or_aborted_test_with_its_reason() {
    // when
    String printed = run();

    // then: names as the build's display name generator writes them (underscores become spaces)
    assertThat(printed.lines()).containsExactlyInAnyOrder(
        "[gpukit] skipped SkipReasonsTests$Sample > disabled by a condition: no NVIDIA GPU on this machine",
        "[gpukit] skipped SkipReasonsTests$Sample > aborted by an assumption: No Docker engine answers",
        "[gpukit] skipped SkipReasonsTests$Sample > Gpu: the whole class needs a GPU");
  }

  @Test
  void prints_nothing_when_turned_off() {
    // when
    String printed = run(SkipReasons.PRINT_PARAMETER, "false");

    // then
    assertThat(printed).isEmpty();
  }

  @Test
  void is_registered_for_the_platform_to_find() {
    // when
    ServiceLoader<TestExecutionListener> listeners = ServiceLoader.load(TestExecutionListener.class);

    // then
    assertThat(listeners.stream().map(ServiceLoader.Provider::type)).contains(SkipReasons.class);
  }
}
