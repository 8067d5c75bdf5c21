package io.gpukit.junit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpukit.probe.ProbeExitCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of proving the GPU inside a running container: one run of the gpukit probe there (its
 * exit status as the contract's {@link ProbeExitCode}, and its JSON line parsed: status, mode,
 * per-check timings), or of the image's HEALTHCHECK run in its place, with the {@link #route()}
 * taken. Not to be confused with {@code io.gpukit.probe.ProbeResult}, what the probe itself
 * reports from inside the image.
 *
 * @since 0.1.0
 */
public final class ContainerProbeResult {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final int exitStatus;
  private final String jsonLine;
  private final JsonNode json;
  private final List<Check> checks;
  private final String stdout;
  private final String stderr;
  private final ProbeRoute route;

  private ContainerProbeResult(Run run, JsonLine line, ProbeRoute route) {
    this.exitStatus = run.exitStatus();
    this.stdout = run.stdout() == null ? "" : run.stdout();
    this.stderr = run.stderr() == null ? "" : run.stderr();
    this.jsonLine = line.text();
    this.json = line.json();
    this.checks = line.checks();
    this.route = route;
  }

  /** What ran: its exit status and output. */
  private record Run(int exitStatus, String stdout, String stderr) {
  }

  /** The probe's JSON line, as printed and parsed, with its checks; {@link #NONE} for output without one. */
  private record JsonLine(String text, JsonNode json, List<Check> checks) {

    static final JsonLine NONE = new JsonLine(null, null, List.of());
  }

  /**
   * One check of the run.
   *
   * @param name the check's name, such as {@code tensor.roundtrip}
   * @param ok whether it passed
   * @param micros how long it took, in microseconds
   * @param detail what it found
   * @since 0.1.0
   */
  public record Check(String name, boolean ok, long micros, String detail) {

    /**
     * Returns how long the check took.
     *
     * @return the duration
     * @since 0.1.0
     */
    public Duration duration() {
      return Duration.ofNanos(micros * 1_000);
    }
  }

  /**
   * Parses a probe run from its exit status and output. The JSON line is the last line of
   * {@code stdout} that starts with <code>{</code>; output without one gives a result with no
   * checks, whose {@link #jsonLine()} is empty.
   *
   * @param exitStatus the probe's exit status
   * @param stdout its standard output
   * @param stderr its standard error
   * @return the result
   * @throws IllegalArgumentException when the JSON line is not valid JSON
   * @since 0.1.0
   */
  public static ContainerProbeResult parse(int exitStatus, String stdout, String stderr) {
    String out = stdout == null ? "" : stdout;
    String line = null;
    for (String candidate : out.split("\n")) {
      if (candidate.strip().startsWith("{")) {
        line = candidate.strip();
      }
    }
    if (line == null) {
      return new ContainerProbeResult(new Run(exitStatus, out, stderr), JsonLine.NONE, null);
    }
    JsonNode json;
    try {
      json = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the probe printed a line that is not JSON: " + line, e);
    }
    List<Check> checks = new ArrayList<>();
    for (JsonNode check : json.path("checks")) {
      if (check.isObject()) {
        checks.add(new Check(check.path("name").asText(), check.path("ok").asBoolean(false),
            check.path("micros").asLong(0), check.path("detail").isNull() ? null : check.path("detail").asText(null)));
      }
    }
    return new ContainerProbeResult(new Run(exitStatus, out, stderr), new JsonLine(line, json, List.copyOf(checks)),
        null);
  }

  /**
   * The result of a run of the image's HEALTHCHECK command in place of the probe: no JSON line and
   * no checks, the command's exit status and output.
   */
  static ContainerProbeResult ofHealthcheck(int exitStatus, String stdout, String stderr, ProbeRoute route) {
    return new ContainerProbeResult(new Run(exitStatus, stdout, stderr), JsonLine.NONE,
        Objects.requireNonNull(route, "route"));
  }

  /** The same result, saying which way it was taken. */
  ContainerProbeResult withRoute(ProbeRoute how) {
    return new ContainerProbeResult(new Run(exitStatus, stdout, stderr), new JsonLine(jsonLine, json, checks),
        Objects.requireNonNull(how, "how"));
  }

  /**
   * Returns how the run was made: the probe with the image's {@code java}, or the image's
   * HEALTHCHECK command where the image has no {@code java}.
   *
   * @return the route, or empty for a result parsed from output ({@link #parse})
   * @since 0.1.0
   */
  public Optional<ProbeRoute> route() {
    return Optional.ofNullable(route);
  }

  /**
   * Returns the process exit status as it was.
   *
   * @return the exit status
   * @since 0.1.0
   */
  public int exitStatus() {
    return exitStatus;
  }

  /**
   * Returns the exit status as the contract's code.
   *
   * @return the code, or empty for a status outside the contract (a JVM crash, a missing
   *     {@code java}: 1, 126, 127, a signal); for a run of the image's HEALTHCHECK in place of
   *     the probe, {@link ProbeExitCode#HEALTHY} for 0 and empty otherwise, since its codes are
   *     its own
   * @since 0.1.0
   */
  public Optional<ProbeExitCode> exitCode() {
    if (route != null && !route.runsTheProbe()) {
      return exitStatus == 0 ? Optional.of(ProbeExitCode.HEALTHY) : Optional.empty();
    }
    return ProbeExitCode.fromCode(exitStatus);
  }

  /**
   * Returns whether the probe exited 0.
   *
   * @return whether every check passed
   * @since 0.1.0
   */
  public boolean isHealthy() {
    return exitStatus == ProbeExitCode.HEALTHY.code();
  }

  /**
   * Returns the {@code status} field of the JSON line ({@code HEALTHY}, {@code DRIVER_UNAVAILABLE}, ...).
   *
   * @return the status, or empty without a JSON line
   * @since 0.1.0
   */
  public Optional<String> status() {
    return text("status");
  }

  /**
   * Returns the {@code mode} field of the JSON line.
   *
   * @return the mode, or empty without a JSON line
   * @since 0.1.0
   */
  public Optional<String> mode() {
    return text("mode");
  }

  /**
   * Returns the checks in the order they ran.
   *
   * @return the checks; empty without a JSON line
   * @since 0.1.0
   */
  public List<Check> checks() {
    return checks;
  }

  /**
   * Finds a check by name.
   *
   * @param name the check's name
   * @return the check, or empty when it did not run
   * @since 0.1.0
   */
  public Optional<Check> check(String name) {
    Objects.requireNonNull(name, "name");
    return checks.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /**
   * Returns the first check that failed.
   *
   * @return the failed check, or empty
   * @since 0.1.0
   */
  public Optional<Check> failedCheck() {
    return checks.stream().filter(c -> !c.ok()).findFirst();
  }

  /**
   * Returns the JSON line as the probe printed it.
   *
   * @return the line, or empty when the probe printed none
   * @since 0.1.0
   */
  public Optional<String> jsonLine() {
    return Optional.ofNullable(jsonLine);
  }

  /**
   * Returns the parsed JSON line, for fields this class does not model ({@code devices},
   * {@code versions}).
   *
   * @return the tree, or empty when the probe printed no JSON line
   * @since 0.1.0
   */
  public Optional<JsonNode> json() {
    return Optional.ofNullable(json);
  }

  /**
   * Returns the probe's standard output.
   *
   * @return stdout
   * @since 0.1.0
   */
  public String stdout() {
    return stdout;
  }

  /**
   * Returns the probe's standard error (empty with {@code --json} unless the JVM complained).
   *
   * @return stderr
   * @since 0.1.0
   */
  public String stderr() {
    return stderr;
  }

  private Optional<String> text(String field) {
    return json == null || !json.path(field).isTextual() ? Optional.empty() : Optional.of(json.path(field).asText());
  }

  /**
   * The exit status, its name and the JSON line (or the raw output when there is none), and the
   * route when known.
   */
  @Override
  public String toString() {
    String name = exitCode().map(ProbeExitCode::name)
        .orElse(route != null && !route.runsTheProbe() ? "the HEALTHCHECK's own code" : "outside the probe's contract");
    String output = jsonLine != null ? jsonLine
        : (route != null && !route.runsTheProbe() ? "" : "no JSON line; ")
            + "stdout: " + (stdout.isBlank() ? "(empty)" : stdout.strip())
            + "; stderr: " + (stderr.isBlank() ? "(empty)" : stderr.strip());
    return "exit " + exitStatus + " (" + name + "): " + output + (route == null ? "" : " [" + route.describe() + "]");
  }
}
