package io.gpukit.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which program a probe command runs: what makes two probes "the same probe". */
class ProbeProgramTests {

  private static String programOf(String... argv) {
    return ProbeProgram.ofArgv(List.of(argv)).map(ProbeProgram::name).orElse("(none)");
  }

  @Nested
  class Exec_form {

    @Test
    void java_jar_is_the_jar_without_folder_or_version() {
      assertThat(programOf("java", "-jar", "/opt/gpukit/gpukit-probe.jar", "--mode", "liveness")).isEqualTo("gpukit-probe");
      assertThat(programOf("/opt/java/bin/java", "-Xmx64m", "-jar", "gpukit-probe-0.1.0-SNAPSHOT.jar")).isEqualTo("gpukit-probe");
      assertThat(programOf("java", "-jar", "/app/service.jar")).isEqualTo("service");
    }

    @Test
    void the_probe_run_by_its_main_class_is_the_gpukit_probe() {
      assertThat(programOf("java", "-cp", "/opt/gpukit/lib/*", "io.gpukit.probe.GpuProbe", "--mode", "readiness"))
          .isEqualTo("gpukit-probe");
    }

    @Test
    void an_interpreter_runs_its_script_or_module() {
      assertThat(programOf("python3", "-u", "/app/smoke_test.py", "--quick")).isEqualTo("smoke_test.py");
      assertThat(programOf("python3.11", "-m", "gpu_check")).isEqualTo("gpu_check");
      assertThat(programOf("node", "probe.js")).isEqualTo("probe.js");
    }

    @Test
    void a_shell_wrapper_is_read_through() {
      assertThat(programOf("sh", "-c", "exec java -jar /opt/gpukit/gpukit-probe.jar --mode readiness || exit 1"))
          .isEqualTo("gpukit-probe");
      assertThat(programOf("/bin/bash", "-c", "TIMEOUT=5 timeout 4s python3 /app/smoke_test.py")).isEqualTo("smoke_test.py");
      assertThat(programOf("bash", "-ec", "cd /app && python3 smoke_test.py")).isEqualTo("smoke_test.py");
      assertThat(programOf("sh", "-x", "-c", "java -jar /opt/gpukit/gpukit-probe.jar")).isEqualTo("gpukit-probe");
      assertThat(programOf("bash", "--norc", "/app/gpu_check.sh")).isEqualTo("gpu_check.sh");
    }

    @Test
    void anything_else_is_its_executable() {
      assertThat(programOf("/usr/bin/nvidia-smi", "-L")).isEqualTo("nvidia-smi");
      assertThat(programOf("env", "CUDA_VISIBLE_DEVICES=0", "/opt/bin/gpu-ready")).isEqualTo("gpu-ready");
    }

    @Test
    void an_empty_command_runs_nothing() {
      assertThat(ProbeProgram.ofArgv(List.of())).isEmpty();
      assertThat(ProbeProgram.ofArgv(List.of("env"))).isEmpty();
    }
  }

  @Nested
  class Shell_form {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", value = {
      "java -jar /opt/gpukit/gpukit-probe.jar --mode liveness || exit 1 => gpukit-probe",
      "curl -fsS http://localhost:8080/healthz                        => curl",
      "python3 \"/app/smoke test.py\"                                   => smoke test.py",
      "cd /app && set -e; ./gpu_check.sh                               => gpu_check.sh"
    })
    void the_first_command_that_runs_a_program_decides(String line, String program) {
      assertThat(ProbeProgram.ofShell(line).map(ProbeProgram::name)).contains(program);
    }
  }

  @Nested
  class In_a_ci_script {

    @Test
    void the_gpukit_probe_is_found_by_jar_or_main_class() {
      ProbeProgram probe = ProbeProgram.named("/opt/gpukit/gpukit-probe.jar");

      assertThat(probe.isRunBy("docker run --gpus all app:ci java -jar /opt/gpukit/gpukit-probe-0.1.0.jar")).isTrue();
      assertThat(probe.isRunBy("java -cp probe.jar io.gpukit.probe.GpuProbe")).isTrue();
      assertThat(probe.isRunBy("docker run --gpus all app:ci nvidia-smi")).isFalse();
    }

    @Test
    void a_script_is_found_as_a_whole_word() {
      ProbeProgram smoke = ProbeProgram.named("/app/smoke_test.py");

      assertThat(smoke.isRunBy("docker run --gpus all app:ci python3 /app/smoke_test.py")).isTrue();
      assertThat(smoke.isRunBy("python3 /app/smoke_test.py.bak")).isFalse();
      assertThat(smoke.isRunBy("python3 /app/my_smoke_test.py")).isFalse();
    }
  }

  @Test
  void programs_with_the_same_name_are_equal() {
    assertThat(ProbeProgram.named("/a/gpukit-probe.jar")).isEqualTo(ProbeProgram.named("gpukit-probe-1.2.jar"));
    assertThat(Optional.of(ProbeProgram.named("x.py"))).isNotEqualTo(Optional.of(ProbeProgram.named("y.py")));
  }
}
