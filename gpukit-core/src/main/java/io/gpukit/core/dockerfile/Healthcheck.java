package io.gpukit.core.dockerfile;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code HEALTHCHECK} instruction: {@code HEALTHCHECK NONE} or {@code HEALTHCHECK [flags] CMD
 * command}.
 *
 * <p>Durations are empty when the flag is absent or zero, which Docker reads as "use the default".
 *
 * @param header the parts every instruction has
 * @param isNone whether this is {@code HEALTHCHECK NONE}, which disables any inherited check
 * @param command the exec-form array, or the shell-form text as one element; empty for {@code NONE}
 * @param commandForm how the command was written ({@link Form#NONE} for {@code NONE})
 * @param interval {@code --interval}
 * @param timeout {@code --timeout}
 * @param startPeriod {@code --start-period}
 * @param startInterval {@code --start-interval}
 * @param retries {@code --retries}
 * @since 0.1.0
 */
public record Healthcheck(
    InstructionHeader header,
    boolean isNone,
    List<String> command,
    Form commandForm,
    Optional<Duration> interval,
    Optional<Duration> timeout,
    Optional<Duration> startPeriod,
    Optional<Duration> startInterval,
    OptionalInt retries)
    implements Instruction {

  /** Validates the fields and copies the list. */
  public Healthcheck {
    Objects.requireNonNull(header, "header");
    command = List.copyOf(command);
    Objects.requireNonNull(commandForm, "commandForm");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(startPeriod, "startPeriod");
    Objects.requireNonNull(startInterval, "startInterval");
    Objects.requireNonNull(retries, "retries");
  }

  /** The command as text: the shell-form text or the exec-form elements joined by spaces. */
  public String commandLine() {
    return String.join(" ", command);
  }
}
