package io.gpukit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeRouteTests {

  @Test
  void says_each_way_in_a_few_words() {
    // given
    List<String> probe = List.of("env", "java", "-jar", GpuContainer.PROBE_JAR_IN_CONTAINER, "--json");

    // when / then
    assertThat(new ProbeRoute(ProbeRoute.Kind.COPIED_PROBE, probe, "copied").describe())
        .isEqualTo("probe: image's java + copied gpukit-probe.jar");
    assertThat(new ProbeRoute(ProbeRoute.Kind.IMAGE_PROBE, probe, "its own").describe())
        .isEqualTo("probe: image's java + its own gpukit-probe.jar");
    assertThat(new ProbeRoute(ProbeRoute.Kind.IMAGE_HEALTHCHECK, List.of("nvidia-smi"), "no java in the image")
        .describe()).isEqualTo("probe: image HEALTHCHECK (no java in the image)");
  }

  @Test
  void runs_the_probe_only_on_the_java_routes() {
    // when / then
    assertThat(new ProbeRoute(ProbeRoute.Kind.COPIED_PROBE, List.of(), "r").runsTheProbe()).isTrue();
    assertThat(new ProbeRoute(ProbeRoute.Kind.IMAGE_PROBE, List.of(), "r").runsTheProbe()).isTrue();
    assertThat(new ProbeRoute(ProbeRoute.Kind.IMAGE_HEALTHCHECK, List.of(), "r").runsTheProbe()).isFalse();
  }

  @Test
  void shows_the_command_and_the_reason() {
    // when / then
    assertThat(new ProbeRoute(ProbeRoute.Kind.IMAGE_HEALTHCHECK, List.of("/bin/sh", "-c", "exit 0"),
        "no java in the image")).hasToString("probe: image HEALTHCHECK (no java in the image); runs [/bin/sh, -c, exit 0]");
    assertThat(new ProbeRoute(ProbeRoute.Kind.COPIED_PROBE, List.of("java"), "the image's java runs the probe"))
        .hasToString("probe: image's java + copied gpukit-probe.jar; runs [java] (the image's java runs the probe)");
  }

  @Test
  void copies_its_command_and_needs_a_kind_and_a_reason() {
    // given
    List<String> command = new ArrayList<>(List.of("a"));

    // when
    ProbeRoute route = new ProbeRoute(ProbeRoute.Kind.IMAGE_PROBE, command, "r");
    command.add("b");

    // then
    assertThat(route.command()).containsExactly("a");
    assertThatNullPointerException().isThrownBy(() -> new ProbeRoute(null, List.of(), "r"));
    assertThatNullPointerException().isThrownBy(() -> new ProbeRoute(ProbeRoute.Kind.IMAGE_PROBE, List.of(), null));
  }
}
