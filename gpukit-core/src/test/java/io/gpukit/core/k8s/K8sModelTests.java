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

  @Nested
  class New_kinds {

    @Test
    void a_bare_pod_is_a_workload_whose_spec_is_its_template() {
      // given
      String yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ml}\nspec:\n  restartPolicy: Never\n"
          + "  activeDeadlineSeconds: 600\n  containers:\n  - {name: c, image: \"nvidia/cuda:latest\"}\n";

      // when
      Workload pod = Manifests.parse(Path.of("p.yaml"), yaml).workloads().get(0);

      // then
      assertThat(pod.isBarePod()).isTrue();
      assertThat(pod.template().containers()).extracting(Container::name).containsExactly("c");
      assertThat(pod.template().restartPolicy()).contains("Never");
      assertThat(pod.runsToCompletion()).isTrue();
      assertThat(pod.deadlineSeconds()).contains(600);
      assertThat(pod.replicas()).isEmpty();
      assertThat(pod.template().location().line()).isEqualTo(5);
    }

    @Test
    void a_replica_set_is_read_with_its_replicas_and_a_job_with_its_deadline() {
      // given
      String yaml = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs}\nspec:\n  replicas: 3\n  template:\n"
          + "    spec:\n      containers: []\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec:\n"
          + "  jobTemplate:\n    spec:\n      activeDeadlineSeconds: 7200\n      template:\n        spec:\n"
          + "          containers: []\n";

      // when
      Manifests m = Manifests.parse(Path.of("w.yaml"), yaml);

      // then
      assertThat(m.workloads()).extracting(Workload::displayName).containsExactly("ReplicaSet/rs", "CronJob/cj");
      assertThat(m.workloads().get(0).replicas()).contains(3);
      assertThat(m.workloads().get(0).runsToCompletion()).isFalse();
      assertThat(m.workloads().get(1).activeDeadlineSeconds()).contains(7200);
      assertThat(m.workloads().get(1).isBatch()).isTrue();
      assertThat(m.deployments()).isEmpty();
    }

    @Test
    void dra_claims_and_templates_are_read_down_to_their_device_classes_in_every_shape() {
      // given
      String yaml = """
          apiVersion: resource.k8s.io/v1
          kind: ResourceClaimTemplate
          metadata: {name: t}
          spec:
            spec:
              devices:
                requests:
                - name: exact
                  exactly: {deviceClassName: gpu.nvidia.com}
                - name: either
                  firstAvailable:
                  - {name: big, deviceClassName: gpu.amd.com}
                  - {name: small, deviceClassName: gpu.intel.com}
          ---
          apiVersion: resource.k8s.io/v1beta1
          kind: ResourceClaim
          metadata: {name: c, namespace: ml}
          spec:
            devices:
              requests:
              - {name: nic, deviceClassName: rdma.example.com}
          ---
          apiVersion: example.com/v1
          kind: ResourceClaim
          metadata: {name: not-dra}
          """;

      // when
      Manifests m = Manifests.parse(Path.of("dra.yaml"), yaml);

      // then
      assertThat(m.resources()).hasSize(3);
      assertThat(m.resources().get(0)).isInstanceOfSatisfying(ResourceClaimTemplate.class, t -> {
        assertThat(t.requests()).extracting(DeviceRequest::name, DeviceRequest::deviceClassName).containsExactly(
            org.assertj.core.groups.Tuple.tuple("exact", "gpu.nvidia.com"),
            org.assertj.core.groups.Tuple.tuple("either", "gpu.amd.com"),
            org.assertj.core.groups.Tuple.tuple("either", "gpu.intel.com"));
        assertThat(t.gpuRequests()).hasSize(3);
      });
      assertThat(m.resources().get(1)).isInstanceOfSatisfying(ResourceClaim.class, c -> {
        assertThat(c.displayName()).isEqualTo("ResourceClaim/c");
        assertThat(c.namespace()).contains("ml");
        assertThat(c.gpuRequests()).isEmpty();
      });
      assertThat(m.resources().get(2)).isInstanceOf(OtherResource.class);
      assertThat(m.deviceClaims()).extracting(DeviceClaim::displayName)
          .containsExactly("ResourceClaimTemplate/t", "ResourceClaim/c");
    }

    @Test
    void a_device_request_counts_one_device_unless_it_writes_a_count() {
      // given
      String yaml = """
          apiVersion: resource.k8s.io/v1
          kind: ResourceClaimTemplate
          metadata: {name: t}
          spec:
            spec:
              devices:
                requests:
                - {name: one, exactly: {deviceClassName: gpu.nvidia.com}}
                - {name: four, exactly: {deviceClassName: mig.nvidia.com, count: 4}}
          """;

      // when
      DeviceClaim t = Manifests.parse(Path.of("t.yaml"), yaml).deviceClaims().get(0);

      // then
      assertThat(t.requests()).extracting(DeviceRequest::count).containsExactly(1, 4);
    }

    @Test
    void a_negative_device_count_is_a_parse_error_at_the_count() {
      // given
      String yaml = "apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: c}\nspec:\n  devices:\n"
          + "    requests:\n    - name: g\n      exactly:\n        deviceClassName: gpu.nvidia.com\n        count: -1\n";

      // then
      assertThatThrownBy(() -> Manifests.parse(Path.of("c.yaml"), yaml))
          .isInstanceOf(SourceParseException.class)
          .hasMessageContaining("c.yaml:10:9")
          .hasMessageContaining("count must be 0 or more but was -1");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
      "gpu.nvidia.com, true",
      "mig.nvidia.com, true",
      "vfio.gpu.nvidia.com, true",
      "gpu.amd.com, true",
      "gpu.intel.com, true",
      "compute-domain-default-channel.nvidia.com, false",
      "rdma.example.com, false",
      "dra.cpu, false",
    })
    void a_device_class_is_a_gpu_class_by_its_name(String deviceClass, boolean gpu) {
      assertThat(new DeviceRequest("r", deviceClass, io.gpukit.core.source.SourceLocation.of(Path.of("x.yaml"), 1, 1))
          .isGpu()).isEqualTo(gpu);
    }

    @Test
    void pod_claims_are_read_in_the_new_and_the_old_shape_and_container_claims_with_their_request() {
      // given
      String yaml = """
          apiVersion: v1
          kind: Pod
          metadata: {name: p}
          spec:
            resourceClaims:
            - {name: a, resourceClaimTemplateName: t}
            - name: b
              source: {resourceClaimName: c}
            containers:
            - name: s
              image: s:1
              resources:
                claims: [{name: a}, {name: b, request: gpu}]
          """;

      // when
      Workload pod = Manifests.parse(Path.of("p.yaml"), yaml).workloads().get(0);

      // then
      assertThat(pod.template().resourceClaims()).extracting(PodResourceClaim::target)
          .containsExactly("ResourceClaimTemplate/t", "ResourceClaim/c");
      assertThat(pod.template().containers().get(0).resources().claims())
          .extracting(ClaimReference::name, ClaimReference::request)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("a", java.util.Optional.empty()),
              org.assertj.core.groups.Tuple.tuple("b", java.util.Optional.of("gpu")));
    }

    @Test
    void required_node_affinity_keeps_its_terms_and_node_selector_keys_their_places() {
      // given
      String yaml = """
          apiVersion: v1
          kind: Pod
          metadata: {name: p}
          spec:
            nodeSelector:
              nvidia.com/gpu.product: NVIDIA-L4
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                  - matchExpressions:
                    - {key: a, operator: In, values: [x, y]}
                  - matchExpressions:
                    - {key: b, operator: Exists}
            containers: []
          """;

      // when
      PodTemplate t = Manifests.parse(Path.of("p.yaml"), yaml).workloads().get(0).template();

      // then
      assertThat(t.requiredNodeAffinity()).hasSize(2);
      assertThat(t.requiredNodeAffinity().get(0).get(0).values()).containsExactly("x", "y");
      assertThat(t.requiredNodeAffinity().get(1).get(0).operator()).isEqualTo("Exists");
      assertThat(t.nodeSelectorLocations().get("nvidia.com/gpu.product").render()).isEqualTo("p.yaml:6:5");
    }

    @Test
    void the_json_form_carries_the_new_parts() {
      // given
      String yaml = """
          apiVersion: resource.k8s.io/v1
          kind: ResourceClaimTemplate
          metadata: {name: t}
          spec: {spec: {devices: {requests: [{name: gpu, exactly: {deviceClassName: gpu.nvidia.com}}]}}}
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: p}
          spec:
            restartPolicy: Never
            resourceClaims: [{name: gpu, resourceClaimTemplateName: t}]
            containers: [{name: s, image: "s:1", resources: {claims: [{name: gpu}]}}]
          """;

      // when
      String json = ManifestsJson.toJson(Manifests.parse(Path.of("p.yaml"), yaml));

      // then
      assertThat(json).contains("\"deviceClassName\" : \"gpu.nvidia.com\"", "\"restartPolicy\" : \"Never\"",
          "\"resourceClaimTemplateName\" : \"t\"", "\"claims\" : [ {");
    }
  }

  @Nested
  class Helm_templates {

    @Test
    void a_file_whose_templates_sit_inside_values_is_read_in_full_and_its_image_is_a_placeholder() {
      // given
      String yaml = """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: "{{ .Release.Name }}-tei"}
          spec:
            replicas: 2
            template:
              spec:
                containers:
                - name: tei
                  image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
                  readinessProbe:
                    exec: {command: [python3, /opt/cuda_probe.py]}
          """;

      // when
      Manifests m = Manifests.parse(Path.of("tei.yaml"), yaml);

      // then
      assertThat(m.helmTemplate()).isEmpty();
      Container c = m.deployments().get(0).template().containers().get(0);
      assertThat(c.image().isPlaceholder()).isTrue();
      assertThat(c.readinessProbe()).isPresent();
    }

    @Test
    void a_template_in_a_comment_or_a_block_scalar_does_not_make_a_template() {
      // given
      String yaml = """
          # image: {{ .Values.image }}
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: alerts}
          data:
            alert.tmpl: |
              {{ define "gpu.alert" }}GPU {{ .Labels.gpu }} down{{ end }}
          """;

      // when
      Manifests m = Manifests.parse(Path.of("cm.yaml"), yaml);

      // then
      assertThat(m.helmTemplate()).isEmpty();
      assertThat(m.resources()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        a conditional line       | '{{- if .Values.on }}\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n{{- end }}' | 1:1
        an unquoted value        | 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n'                | 4:9
        a quoted number          | 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: "{{ .Values.n }}"\n  template: {spec: {containers: []}}\n' | 5:14
        """)
    void a_file_only_helm_can_make_a_manifest_of_is_skipped_at_its_first_action(String shape, String text, String at) {
      // when
      Manifests m = Manifests.parse(Path.of("t.yaml"), text.replace("\\n", "\n"));

      // then
      assertThat(m.resources()).isEmpty();
      assertThat(m.helmTemplate()).hasValueSatisfying(
          l -> assertThat(l.line() + ":" + l.column()).isEqualTo(at));
    }

    @Test
    void a_file_that_is_no_yaml_without_any_template_action_is_still_a_parse_error() {
      // given
      String yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: s\n# {{ not a template }}\n";

      // then
      assertThatThrownBy(() -> Manifests.parse(Path.of("s.yaml"), yaml)).isInstanceOf(SourceParseException.class);
    }
  }
}
