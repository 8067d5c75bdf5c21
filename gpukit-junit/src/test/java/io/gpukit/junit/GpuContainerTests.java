package io.gpukit.junit;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ContainerLaunchException;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class GpuContainerTests {

  private static final GpuHost.Engine PLAIN_DOCKER = GpuHost.Engine.of(Set.of("runc"), "20.10.24");

  private static GpuHost.Evidence twoGpus() {
    return GpuHost.gather(FakeHost.withTwoGpus(), () -> PLAIN_DOCKER);
  }

  private static Attachment attach(GpuAttach how, String gpus) {
    return Attachment.of(how, GpuSelector.parse(gpus), twoGpus());
  }

  @Nested
  class The_toolkit {

    @Test
    void requests_every_gpu_with_count_minus_one() {
      // when
      Attachment attachment = attach(GpuAttach.TOOLKIT, "all");

      // then
      assertThat(attachment.deviceRequests()).containsExactly(
          new DeviceRequest().withCapabilities(List.of(List.of("gpu"))).withCount(-1));
      assertThat(attachment.devices()).isEmpty();
      assertThat(attachment.binds()).isEmpty();
      assertThat(attachment.libraryPath()).isNull();
    }

    @Test
    void requests_a_count_or_device_ids() {
      // when
      Attachment counted = attach(GpuAttach.TOOLKIT, "2");
      Attachment chosen = attach(GpuAttach.TOOLKIT, "device=1,GPU-3c9a");

      // then
      assertThat(counted.deviceRequests().get(0).getCount()).isEqualTo(2);
      assertThat(chosen.deviceRequests().get(0).getDeviceIds()).containsExactly("1", "GPU-3c9a");
      assertThat(chosen.deviceRequests().get(0).getCount()).isNull();
    }
  }

  @Nested
  class Cdi {

    @Test
    void requests_the_nvidia_cdi_device_for_all_gpus() {
      // when
      Attachment attachment = attach(GpuAttach.CDI, "all");

      // then
      assertThat(attachment.deviceRequests()).containsExactly(
          new DeviceRequest().withDriver("cdi").withDeviceIds(List.of("nvidia.com/gpu=all")));
    }

    @Test
    void names_chosen_devices_and_refuses_a_count() {
      // when
      Attachment attachment = attach(GpuAttach.CDI, "device=0,1");

      // then
      assertThat(attachment.deviceRequests().get(0).getDeviceIds()).containsExactly("nvidia.com/gpu=0", "nvidia.com/gpu=1");
      assertThatIllegalArgumentException().isThrownBy(() -> attach(GpuAttach.CDI, "1"))
          .withMessageContaining("CDI selects devices by name");
    }
  }

  @Nested
  class Device_nodes {

    @Test
    void passes_every_node_and_mounts_the_driver_read_only_on_the_library_path() {
      // when
      Attachment attachment = attach(GpuAttach.DEVICE_NODES, "all");

      // then
      assertThat(attachment.deviceRequests()).isEmpty();
      assertThat(attachment.devices()).extracting(Device::getPathOnHost).containsExactly("/dev/nvidia-uvm",
          "/dev/nvidia-uvm-tools", "/dev/nvidia0", "/dev/nvidia1", "/dev/nvidiactl");
      assertThat(attachment.devices()).allSatisfy(device -> {
        assertThat(device.getPathInContainer()).isEqualTo(device.getPathOnHost());
        assertThat(device.getcGroupPermissions()).isEqualTo("rwm");
      });
      assertThat(attachment.binds()).containsExactly(
          new Bind("/opt/nvidia/lib", new Volume("/usr/local/nvidia/lib64"), AccessMode.ro));
      assertThat(attachment.libraryPath()).isEqualTo("/usr/local/nvidia/lib64");
    }

    @Test
    void passes_only_the_chosen_gpus_with_every_control_node() {
      // when
      Attachment byId = attach(GpuAttach.DEVICE_NODES, "device=1");
      Attachment byCount = attach(GpuAttach.DEVICE_NODES, "1");

      // then
      assertThat(byId.devices()).extracting(Device::getPathOnHost)
          .contains("/dev/nvidia1", "/dev/nvidiactl", "/dev/nvidia-uvm").doesNotContain("/dev/nvidia0");
      assertThat(byCount.devices()).extracting(Device::getPathOnHost)
          .contains("/dev/nvidia0", "/dev/nvidiactl").doesNotContain("/dev/nvidia1");
    }

    @Test
    void refuses_gpus_the_host_does_not_have() {
      assertThatIllegalArgumentException().isThrownBy(() -> attach(GpuAttach.DEVICE_NODES, "device=7"))
          .withMessage("GpuAttach.DEVICE_NODES selects GPUs by index; there is no /dev/nvidia7 among"
              + " [/dev/nvidia0, /dev/nvidia1]");
      assertThatIllegalStateException().isThrownBy(() -> attach(GpuAttach.DEVICE_NODES, "3"))
          .withMessageStartingWith("3 GPUs asked for, this host has 2");
    }

    @Test
    void fails_on_a_host_without_gpu_nodes_saying_what_is_missing() {
      // given
      GpuHost.Evidence evidence = GpuHost.gather(FakeHost.empty(), () -> PLAIN_DOCKER);

      // then
      assertThatIllegalStateException().isThrownBy(() -> Attachment.of(GpuAttach.DEVICE_NODES,
              GpuSelector.parse("all"), evidence))
          .withMessage("GpuAttach.DEVICE_NODES: no GPU device nodes (/dev/nvidia0, ...) on this host: is the NVIDIA"
              + " driver loaded (nvidia-smi)?");
    }

    @Test
    void are_added_to_the_host_configuration_beside_what_is_there() {
      // given
      HostConfig original = HostConfig.newHostConfig().withBinds(new Bind("/data", new Volume("/data"), AccessMode.rw));

      // when
      HostConfig hostConfig = Attachment.withAttachment(original, attach(GpuAttach.DEVICE_NODES, "all"));

      // then
      assertThat(hostConfig.getBinds()).extracting(Bind::getPath).containsExactly("/data", "/opt/nvidia/lib");
      assertThat(hostConfig.getBinds()[1].getVolume().getPath()).isEqualTo("/usr/local/nvidia/lib64");
      assertThat(hostConfig.getBinds()[1].getAccessMode()).isEqualTo(AccessMode.ro);
      assertThat(hostConfig.getDevices()).hasSize(5);
      assertThat(hostConfig.getDeviceRequests()).isNull();
    }

    @Test
    void put_the_driver_folder_before_the_library_path_of_the_container_or_else_the_image() {
      // when
      List<String> fromContainer = Attachment.envWithLibraryPath(
          new String[] {"A=1", "LD_LIBRARY_PATH=/app/lib"}, "/usr/local/cuda/lib64", "/usr/local/nvidia/lib64");
      List<String> fromImage = Attachment.envWithLibraryPath(new String[] {"A=1"}, "/usr/local/cuda/lib64",
          "/usr/local/nvidia/lib64");

      // then
      assertThat(fromContainer).containsExactly("A=1", "LD_LIBRARY_PATH=/usr/local/nvidia/lib64:/app/lib");
      assertThat(fromImage).containsExactly("A=1", "LD_LIBRARY_PATH=/usr/local/nvidia/lib64:/usr/local/cuda/lib64");
    }

    @Test
    void puts_the_driver_folder_first_on_the_library_path_once() {
      assertThat(Attachment.prependPath("/usr/local/nvidia/lib64", null)).isEqualTo("/usr/local/nvidia/lib64");
      assertThat(Attachment.prependPath("/usr/local/nvidia/lib64", "/usr/local/cuda/lib64:/usr/local/nvidia/lib64"))
          .isEqualTo("/usr/local/nvidia/lib64:/usr/local/cuda/lib64");
    }
  }

  @Nested
  class Automatic_attachment {

    @Test
    void is_decided_at_configure_time_and_says_why() {
      // given
      GpuContainer container = new GpuContainer("gpukit-test/never-started:1")
          .withGpus(GpuAttach.AUTO)
          .withHost(FakeHost.withTwoGpus(), GpuHost.Engine.of(Set.of("nvidia", "runc"), "24.0.7"));
      assertThat(container.gpuAttach()).isEmpty();

      // when
      container.configure();

      // then
      assertThat(container.gpuAttach()).contains(GpuAttach.TOOLKIT);
      assertThat(container.gpuSelectionReason()).hasValueSatisfying(reason -> assertThat(reason).contains("'nvidia' runtime"));
      assertThat(container.attachment().deviceRequests()).hasSize(1);
    }

    @Test
    void fails_at_configure_time_with_the_reason_when_nothing_fits() {
      // given
      GpuContainer container = new GpuContainer("gpukit-test/never-started:1")
          .withGpus(GpuAttach.AUTO)
          .withHost(FakeHost.empty(), PLAIN_DOCKER);

      // then
      assertThatIllegalStateException().isThrownBy(container::configure)
          .withMessageStartingWith("GpuAttach.AUTO found no way to attach a GPU: no GPU device nodes");
    }
  }

  @Nested
  class The_gpus_argument {

    @Test
    void accepts_all_a_count_or_device_ids() {
      assertThat(GpuSelector.parse("all")).isEqualTo(new GpuSelector(-1, List.of()));
      assertThat(GpuSelector.parse(" 2 ")).isEqualTo(new GpuSelector(2, List.of()));
      assertThat(GpuSelector.parse("device=0, 3"))
          .isEqualTo(new GpuSelector(null, List.of("0", "3")));
    }

    @Test
    void rejects_anything_else_when_asked() {
      GpuContainer container = new GpuContainer("gpukit-test/never-started:1");
      assertThatIllegalArgumentException().isThrownBy(() -> container.withGpus(GpuAttach.TOOLKIT, "0"))
          .withMessageContaining("gpus=0 attaches nothing");
      assertThatIllegalArgumentException().isThrownBy(() -> container.withGpus(GpuAttach.TOOLKIT, "first"))
          .withMessage("'first' is not 'all', a count or 'device=ID[,ID...]'");
      assertThatIllegalArgumentException().isThrownBy(() -> container.withGpus(GpuAttach.TOOLKIT, "device=0,"))
          .withMessageContaining("empty device id");
    }
  }

  @Nested
  class A_docker_error {

    @Test
    void about_the_missing_toolkit_becomes_the_fix() {
      // given
      RuntimeException failure = new ContainerLaunchException("Container startup failed for image cuda:12",
          new RuntimeException("Status 500: {\"message\":\"could not select device driver \\\"\\\" with capabilities:"
              + " [[gpu]]\"}"));

      // when
      var explained = GpuAttacher.explain(failure);

      // then
      assertThat(explained).hasValueSatisfying(message -> assertThat(message)
          .startsWith("this Docker host has no NVIDIA Container Toolkit: install it, or use GpuAttach.DEVICE_NODES"));
    }

    @Test
    void is_recognised_unquoted_too() {
      assertThat(GpuAttacher.explain(new RuntimeException(GpuAttacher.NO_TOOLKIT_ERROR))).isPresent();
    }

    @Test
    void of_another_kind_is_left_alone() {
      assertThat(GpuAttacher.explain(new RuntimeException("No such image: cuda:12"))).isEmpty();
    }
  }

  @Nested
  class The_probe_command {

    @Test
    void runs_the_jar_with_json_and_the_extra_environment_through_env() {
      // when
      List<String> command = ProbeCommands.probeCommand(Map.of("NVIDIA_VISIBLE_DEVICES", "void", "CUDA_VISIBLE_DEVICES", ""),
          List.of("--timeout-ms", "30000"));

      // then
      assertThat(command).containsExactly("env", "CUDA_VISIBLE_DEVICES=", "NVIDIA_VISIBLE_DEVICES=void", "java", "-jar",
          "/opt/gpukit/gpukit-probe.jar", "--json", "--timeout-ms", "30000");
    }

    @Test
    void gives_the_probe_a_test_budget_unless_the_arguments_name_one() {
      // when
      List<String> plain = ProbeCommands.probeCommand(Map.of(), List.of("--mode", "readiness"));
      List<String> named = ProbeCommands.probeCommand(Map.of(), List.of("--timeout-ms=500"));

      // then
      assertThat(plain).endsWith("--mode", "readiness", "--timeout-ms", "10000");
      assertThat(named).endsWith("--json", "--timeout-ms=500");
    }

    @Test
    void refuses_a_variable_name_with_an_equals_sign() {
      assertThatIllegalArgumentException().isThrownBy(() -> ProbeCommands.probeCommand(Map.of("A=B", "c"), List.of()))
          .withMessage("'A=B' is not an environment variable name");
    }
  }

  @Nested
  class The_healthcheck_command {

    @Test
    void runs_cmd_as_is_and_cmd_shell_through_sh() {
      // when / then
      assertThat(ProbeCommands.healthcheckCommand(List.of("CMD", "nvidia-smi", "-L"))).containsExactly("nvidia-smi", "-L");
      assertThat(ProbeCommands.healthcheckCommand(List.of("CMD-SHELL", "test -f /tmp/ready")))
          .containsExactly("/bin/sh", "-c", "test -f /tmp/ready");
    }

    @Test
    void refuses_a_test_without_a_command() {
      assertThatIllegalArgumentException().isThrownBy(() -> ProbeCommands.healthcheckCommand(List.of("CMD")))
          .withMessage("HEALTHCHECK [CMD] is neither CMD nor CMD-SHELL with a command");
    }
  }

  @Nested
  class An_image_that_cannot_be_probed {

    @Test
    void without_java_is_told_to_add_a_jre_or_a_healthcheck() {
      // given
      ExecOutcome java = new ExecOutcome(127, "",
          "exec: \"java\": executable file not found in $PATH", false);

      // when
      String message = ProbeCommands.neitherProbeNorHealthcheck("svc:1", "no java in the image", java);

      // then
      assertThat(message).isEqualTo("the image 'svc:1' has no java to run gpukit-probe.jar (java -version: exit 127:"
          + " exec: \"java\": executable file not found in $PATH) and no HEALTHCHECK to run in its place: add a JRE"
          + " to the image (the probe jar is copied in with -Dgpukit.probe.jar or GpuContainer.withProbeJar), or a"
          + " HEALTHCHECK whose command exits non-zero when CUDA sees no GPU (it is run with CUDA_VISIBLE_DEVICES= as"
          + " the negative control)");
    }

    @Test
    void with_java_but_no_probe_is_told_to_copy_it_in() {
      // when
      String message = ProbeCommands.neitherProbeNorHealthcheck("svc:1", "no gpukit-probe.jar in the image",
          new ExecOutcome(0, "", "openjdk version \"17\"", false));

      // then
      assertThat(message).startsWith("the image 'svc:1' has java but no gpukit-probe.jar at /opt/gpukit/gpukit-probe.jar")
          .contains("-Dgpukit.probe.jar=path/to/gpukit-probe.jar", "GpuContainer.withProbeJar");
    }

    @Test
    void describes_a_command_that_did_not_answer() {
      assertThat(new ExecOutcome(-1, "", "", true).describe()).isEqualTo("no answer in time");
    }
  }

  @Nested
  class Every_container {

    @Test
    void carries_this_jvms_session_label_before_it_starts() {
      // when
      try (GpuContainer container = new GpuContainer("svc:1")) {

        // then
        assertThat(container.getLabels()).containsEntry(GpuContainer.SESSION_LABEL, SessionCleanup.ID);
      }
    }

    @Test
    void has_no_route_before_it_starts() {
      // given
      try (GpuContainer container = new GpuContainer("svc:1")) {

        // then
        assertThatIllegalStateException().isThrownBy(container::probeRoute)
            .withMessage("the container is not running: start it before probing");
      }
    }
  }
}
