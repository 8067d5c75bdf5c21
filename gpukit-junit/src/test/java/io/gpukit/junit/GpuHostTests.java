package io.gpukit.junit;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GpuHostTests {

  private static final GpuHost.Engine PLAIN_DOCKER = GpuHost.Engine.of(Set.of("runc", "io.containerd.runc.v2"), "20.10.24+dfsg1");

  @Nested
  class Gathering_evidence {

    @Test
    void takes_the_driver_folder_from_the_64_bit_ldconfig_entry() {
      // given
      FakeHost host = FakeHost.empty().file("/usr/lib64/libcuda.so.1").ldconfig("""
          \tlibcuda.so.1 (libc6) => /usr/lib32/libcuda.so.1
          \tlibcuda.so.1 (libc6,x86-64) => /usr/lib64/libcuda.so.1
          \tlibcuda.so (libc6,x86-64) => /usr/lib64/libcuda.so
          """);

      // when
      GpuHost.Evidence evidence = GpuHost.gather(host, () -> PLAIN_DOCKER);

      // then
      assertThat(evidence.driverFolder()).contains("/usr/lib64");
      assertThat(evidence.driverFolderSource()).isEqualTo("ldconfig -p lists /usr/lib64/libcuda.so.1");
    }

    @Test
    void falls_back_to_the_known_folders_when_ldconfig_knows_no_driver() {
      // given
      FakeHost host = FakeHost.empty().ldconfig("\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6\n")
          .file("/usr/local/nvidia/lib64/libcuda.so.1");

      // when
      GpuHost.Evidence evidence = GpuHost.gather(host, () -> PLAIN_DOCKER);

      // then
      assertThat(evidence.driverFolder()).contains("/usr/local/nvidia/lib64");
      assertThat(evidence.driverBinds())
          .containsExactly(new GpuHost.DriverBind("/usr/local/nvidia/lib64", "/usr/local/nvidia/lib64"));
    }

    @Test
    void binds_only_the_driver_files_of_a_system_folder_that_holds_libc() {
      // given
      String lib = "/usr/lib/x86_64-linux-gnu";
      FakeHost host = FakeHost.empty()
          .file(lib + "/libc.so.6")
          .link(lib + "/libcuda.so.1", lib + "/libcuda.so.580.95.05")
          .link(lib + "/libnvidia-ml.so.1", lib + "/libnvidia-ml.so.580.95.05")
          .file(lib + "/libnvidia-gpucomp.so.580.95.05")
          .file(lib + "/libssl.so.3")
          .ldconfig("\tlibcuda.so.1 (libc6,x86-64) => " + lib + "/libcuda.so.1\n");

      // when
      GpuHost.Evidence evidence = GpuHost.gather(host, () -> PLAIN_DOCKER);

      // then
      assertThat(evidence.driverBinds()).containsExactly(
          new GpuHost.DriverBind(lib + "/libcuda.so.580.95.05", "/usr/local/nvidia/lib64/libcuda.so.1"),
          new GpuHost.DriverBind(lib + "/libnvidia-ml.so.580.95.05", "/usr/local/nvidia/lib64/libnvidia-ml.so.1"),
          new GpuHost.DriverBind(lib + "/libnvidia-gpucomp.so.580.95.05",
              "/usr/local/nvidia/lib64/libnvidia-gpucomp.so.580.95.05"));
    }

    @Test
    void finds_an_nvidia_cdi_specification() {
      // given
      FakeHost host = FakeHost.withTwoGpus().file("/etc/cdi/other.yaml").file("/var/run/cdi/nvidia.yaml");

      // when
      GpuHost.Evidence evidence = GpuHost.gather(host, () -> PLAIN_DOCKER);

      // then
      assertThat(evidence.cdiSpec()).contains("/var/run/cdi/nvidia.yaml");
    }

    @Test
    void reads_the_engine_major_version() {
      // when
      GpuHost.Engine engine = GpuHost.Engine.of(null, "27.3.1");

      // then
      assertThat(engine.majorVersion()).contains(27);
      assertThat(engine.runtimes()).isEmpty();
      assertThat(GpuHost.Engine.of(Set.of(), "dev").majorVersion()).isEmpty();
    }
  }

  @Nested
  class Choosing_automatically {

    @Test
    void finds_nothing_without_gpu_device_nodes() {
      // given
      FakeHost host = FakeHost.empty().nodes("/dev/nvidiactl").file("/usr/lib64/libcuda.so.1");

      // when
      GpuHost.Selection selection = GpuHost.choose(GpuHost.gather(host, () -> PLAIN_DOCKER));

      // then
      assertThat(selection.attach()).isEmpty();
      assertThat(selection.reason()).startsWith("no GPU device nodes (/dev/nvidia0, /dev/nvidia1, ...) on this host;"
          + " only [/dev/nvidiactl]").contains("nvidia-smi", "GpuAttach.TOOLKIT");
    }

    @Test
    void picks_the_toolkit_when_the_engine_lists_the_nvidia_runtime() {
      // given
      GpuHost.Engine engine = GpuHost.Engine.of(Set.of("runc", "nvidia"), "24.0.7");

      // when
      GpuHost.Selection selection = GpuHost.choose(GpuHost.gather(FakeHost.withTwoGpus(), () -> engine));

      // then
      assertThat(selection.attach()).contains(GpuAttach.TOOLKIT);
      assertThat(selection.reason()).isEqualTo("2 GPU device node(s) [/dev/nvidia0, /dev/nvidia1] and the Docker"
          + " engine lists the 'nvidia' runtime (a hint that the NVIDIA Container Toolkit is installed)");
    }

    @Test
    void picks_cdi_with_a_specification_and_docker_25_or_later() {
      // given
      FakeHost host = FakeHost.withTwoGpus().file("/etc/cdi/nvidia.yaml");

      // when
      GpuHost.Selection selection = GpuHost.choose(GpuHost.gather(host,
          () -> GpuHost.Engine.of(Set.of("runc"), "25.0.3")));

      // then
      assertThat(selection.attach()).contains(GpuAttach.CDI);
      assertThat(selection.reason()).contains("/etc/cdi/nvidia.yaml", "Docker 25");
    }

    @Test
    void picks_device_nodes_when_the_engine_is_too_old_for_cdi() {
      // given
      FakeHost host = FakeHost.withTwoGpus().file("/etc/cdi/nvidia.yaml");

      // when
      GpuHost.Selection selection = GpuHost.choose(GpuHost.gather(host, () -> PLAIN_DOCKER));

      // then
      assertThat(selection.attach()).contains(GpuAttach.DEVICE_NODES);
      assertThat(selection.reason()).contains("an engine without CDI");
    }

    @Test
    void picks_device_nodes_on_a_host_without_the_toolkit_and_says_where_the_driver_is() {
      // when
      GpuHost.Selection selection = GpuHost.choose(GpuHost.gather(FakeHost.withTwoGpus(), () -> PLAIN_DOCKER));

      // then
      assertThat(selection.attach()).contains(GpuAttach.DEVICE_NODES);
      assertThat(selection.reason()).isEqualTo("2 GPU device node(s) [/dev/nvidia0, /dev/nvidia1], no NVIDIA"
          + " Container Toolkit runtime and no CDI specification; the driver libraries from /opt/nvidia/lib"
          + " (ldconfig -p lists /opt/nvidia/lib/libcuda.so.1)");
    }

    @Test
    void finds_nothing_with_device_nodes_but_no_driver_library() {
      // given
      FakeHost host = FakeHost.empty().nodes("/dev/nvidiactl", "/dev/nvidia0");

      // when
      GpuHost.Selection selection = GpuHost.choose(GpuHost.gather(host, () -> GpuHost.Engine.UNKNOWN));

      // then
      assertThat(selection.attach()).isEmpty();
      assertThat(selection.reason()).contains("no driver library to mount", "know no libcuda.so.1");
    }

    @Test
    void counts_only_numbered_nodes_as_gpus() {
      assertThat(GpuHost.isGpuNode("/dev/nvidia0")).isTrue();
      assertThat(GpuHost.isGpuNode("/dev/nvidia12")).isTrue();
      assertThat(GpuHost.isGpuNode("/dev/nvidiactl")).isFalse();
      assertThat(GpuHost.isGpuNode("/dev/nvidia-uvm")).isFalse();
      assertThat(GpuHost.isGpuNode("/dev/nvidia-caps/nvidia-cap1")).isFalse();
    }
  }
}
