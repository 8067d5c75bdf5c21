package io.gpukit.junit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmd;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Commands run in a started container through the Engine API, bounded by a timeout: what the
 * route's {@code java -version} check and the HEALTHCHECK run in the probe's place need, and
 * Testcontainers' {@code execInContainer} cannot bound.
 */
final class ContainerExec {

  private ContainerExec() {
  }

  /**
   * Runs a command in a started container through the Engine API, with these variables added to
   * its environment, waiting at most {@code timeout}.
   */
  static ExecOutcome exec(DockerClient docker, String containerId, List<String> command, Map<String, String> env,
      Duration timeout) {
    ExecCreateCmd create = docker.execCreateCmd(containerId).withCmd(command.toArray(String[]::new))
        .withAttachStdout(true).withAttachStderr(true);
    List<String> variables = environment(env);
    if (!variables.isEmpty()) {
      create.withEnv(variables);
    }
    String execId = create.exec().getId();
    Output output = new Output();
    boolean finished;
    try {
      docker.execStartCmd(execId).exec(output);
      finished = output.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + command + " ran in the container", e);
    } catch (RuntimeException e) {
      // The engine could not start it (no such executable): the exec's exit code says so.
      finished = true;
      output.error(e.getMessage() == null ? e.toString() : e.getMessage());
    } finally {
      closeQuietly(output);
    }
    if (!finished) {
      return new ExecOutcome(-1, output.stdout(), output.stderr(), true);
    }
    InspectExecResponse inspected = exited(docker, execId, command);
    Long exitCode = inspected.getExitCodeLong();
    return new ExecOutcome(exitCode == null ? -1 : exitCode.intValue(), output.stdout(), output.stderr(),
        Boolean.TRUE.equals(inspected.isRunning()));
  }

  /** The exec once the engine records its exit code: the stream may end a moment before. */
  private static InspectExecResponse exited(DockerClient docker, String execId, List<String> command) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    InspectExecResponse inspected = docker.inspectExecCmd(execId).exec();
    while (Boolean.TRUE.equals(inspected.isRunning()) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while " + command + " ran in the container", e);
      }
      inspected = docker.inspectExecCmd(execId).exec();
    }
    return inspected;
  }

  /** The exec's standard output and error, as the engine streams them. */
  private static final class Output extends ResultCallback.Adapter<Frame> {

    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();

    @Override
    public synchronized void onNext(Frame frame) {
      String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
      (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).append(text);
    }

    synchronized void error(String message) {
      stderr.append(message);
    }

    synchronized String stdout() {
      return stdout.toString();
    }

    synchronized String stderr() {
      return stderr.toString();
    }
  }

  private static void closeQuietly(ResultCallback.Adapter<Frame> callback) {
    try {
      callback.close();
    } catch (IOException e) {
      // Nothing left to read.
    }
  }

  /** The variables as {@code NAME=value}, sorted, each name checked. */
  static List<String> environment(Map<String, String> env) {
    List<String> variables = new ArrayList<>();
    env.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      if (e.getKey().isEmpty() || e.getKey().contains("=")) {
        throw new IllegalArgumentException("'" + e.getKey() + "' is not an environment variable name");
      }
      variables.add(e.getKey() + "=" + Objects.requireNonNull(e.getValue(), e.getKey()));
    });
    return variables;
  }
}
