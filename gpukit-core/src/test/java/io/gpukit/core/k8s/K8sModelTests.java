package io.gpukit.core.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.source.SourceParseException;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class K8sModelTests {

  @Nested
  class IntOrString_rounding {

    @ParameterizedTest(name = "{0} of {1} replicas: surge {2}, unavailable {3}")
    @CsvSource({
      // written, replicas, surge (rounds up), unavailable (rounds down)
      "25%, 1, 1, 0",
      "25%, 3, 1, 0",
      "25%, 4, 1, 1",
      "25%, 10, 3, 2",
      "10%, 2, 1, 0",
      "0%, 5, 0, 0",
      "50%, 3, 2, 1",
      "100%, 3, 3, 3",
      "1, 10, 1, 1",
      "0, 10, 0, 0",
      "25%, 0, 0, 0",
    })
    void percentages_round_like_the_deployment_controller(String written, int replicas, int surge, int unavailable) {
      // given
      IntOrString value = IntOrString.parse(written);

      // when / then
      assertThat(value.scaled(replicas, true)).isEqualTo(surge);
      assertThat(value.scaled(replicas, false)).isEqualTo(unavailable);
    }

    @Test
    void a_string_that_is_no_number_nor_percentage_is_refused() {
      assertThatThrownBy(() -> IntOrString.parse("one")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_quoted_number_is_refused_with_its_location_as_the_api_server_refuses_it() {
      // given
      String yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  strategy:\n"
          + "    rollingUpdate:\n      maxSurge: \"1\"\n  template:\n    spec:\n      containers: []\n";

      // when / then
      assertThatThrownBy(() -> Manifests.parse(Path.of("d.yaml"), yaml))
          .isInstanceOf(SourceParseException.class)
          .hasMessageStartingWith("d.yaml:7:17: maxSurge must be an integer or a percentage");
    }
  }

  @Nested
  class Quantities {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"1, 1", "'\"1\"', 1", "500m, 0.5", "2Gi, 2147483648", "1k, 1000", "1e3, 1000", "2000m, 2", "0.5, 0.5"})
    void parse_to_base_units(String written, String amount) {
      // when
      Quantity q = Quantity.parse(written.replace("\"", ""));

      // then
      assertThat(q.value()).isEqualByComparingTo(new BigDecimal(amount));
    }

    @Test
    void whole_numbers_are_integers_however_written() {
      assertThat(Quantity.parse("2000m").isInteger()).isTrue();
      assertThat(Quantity.parse("1").isInteger()).isTrue();
      assertThat(Quantity.parse("500m").isInteger()).isFalse();
      assertThat(Quantity.parse("1").sameAmountAs(Quantity.parse("1000m"))).isTrue();
    }

    @Test
    void garbage_is_refused() {
      assertThatThrownBy(() -> Quantity.parse("lots")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Parsing {

    @Test
    void documents_in_any_order_with_empty_ones_and_comments_are_all_kept() {
      // given
      String yaml = "# header\n---\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: ml}\n---\n"
          + "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 3\n  template:\n"
          + "    spec:\n      containers:\n      - name: c\n        image: nvcr.io/nvidia/pytorch:24.08-py3\n";

      // when
      Manifests m = Manifests.parse(Path.of("m.yaml"), yaml);

      // then
      assertThat(m.resources()).hasSize(2);
      assertThat(m.resources().get(0)).isInstanceOf(OtherResource.class);
      assertThat(m.resources().get(0).namespace()).contains("ml");
      assertThat(m.resources().get(0).location().line()).isEqualTo(4);
      Workload d = m.deployments().get(0);
      assertThat(d.effectiveReplicas()).isEqualTo(3);
      assertThat(d.effectiveStrategy().resolve(3)).isEqualTo(new RolloutStrategy.Fenceposts(1, 0));
      ContainerImage image = d.template().containers().get(0).image();
      assertThat(image.registry()).contains("nvcr.io");
      assertThat(image.repository()).isEqualTo("nvidia/pytorch");
      assertThat(image.tag()).contains("24.08-py3");
    }

    @Test
    void probes_get_the_kubernetes_defaults() {
      // given
      String yaml = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n"
          + "      containers:\n      - name: c\n        image: a:1\n        readinessProbe:\n          grpc: {port: 9000}\n";

      // when
      Probe p = Manifests.parse(Path.of("j.yaml"), yaml).workloads().get(0).template().containers().get(0)
          .readinessProbe().orElseThrow();

      // then
      assertThat(p.action()).isInstanceOf(ProbeAction.Grpc.class);
      assertThat(p.initialDelaySeconds()).isZero();
      assertThat(p.periodSeconds()).isEqualTo(10);
      assertThat(p.timeoutSeconds()).isEqualTo(1);
      assertThat(p.failureThreshold()).isEqualTo(3);
      assertThat(p.successThreshold()).isEqualTo(1);
      assertThat(p.secondsToTrip()).isEqualTo(30);
    }
  }

  @Nested
  class Liveness_tolerance {

    private Probe probe(int initialDelay, int period, int failureThreshold) {
      return new Probe(new ProbeAction.Exec(java.util.List.of("/app/check")), initialDelay, period, 1,
          failureThreshold, 1, io.gpukit.core.source.SourceLocation.of(Path.of("d.yaml"), 1));
    }

    @ParameterizedTest(name = "readiness {0}/{1}/{2}, liveness {3}/{4}/{5}: failureThreshold {6}")
    @CsvSource({
      // readiness delay, period, threshold; liveness delay, period, threshold; least tolerant liveness threshold
      "0, 10, 3, 0, 10, 3, 4",
      "0, 10, 3, 0, 5, 3, 7",
      "0, 10, 3, 120, 5, 2, 7",
      "30, 10, 3, 0, 20, 2, 4",
    })
    void the_suggested_threshold_trips_after_readiness_from_the_start_and_once_running(
        int rd, int rp, int rf, int ld, int lp, int lf, int expected) {
      // given
      Probe ready = probe(rd, rp, rf);
      Probe live = probe(ld, lp, lf);

      // when
      int threshold = DeploymentRules.toleratingThreshold(ready, live);

      // then
      Probe fixed = probe(ld, lp, threshold);
      assertThat(threshold).isEqualTo(expected);
      assertThat(fixed.secondsToTrip()).isGreaterThan(ready.secondsToTrip());
      assertThat(fixed.secondsToTripOnceRunning()).isGreaterThan(ready.secondsToTripOnceRunning());
      assertThat(probe(ld, lp, threshold - 1).secondsToTrip() > ready.secondsToTrip()
          && probe(ld, lp, threshold - 1).secondsToTripOnceRunning() > ready.secondsToTripOnceRunning()).isFalse();
    }
  }
}
