package io.gpukit.core.dockerfile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code ADD} instruction.
 *
 * @param header the parts every instruction has
 * @param sources the sources as written (heredoc words such as {@code <<EOF} included)
 * @param destination the last argument
 * @since 0.1.0
 */
public record Add(InstructionHeader header, List<String> sources, String destination) implements Instruction {

  /** Validates the fields and copies the list. */
  public Add {
    Objects.requireNonNull(header, "header");
    sources = List.copyOf(sources);
    Objects.requireNonNull(destination, "destination");
  }

  /** The {@code --from} value: a stage name, a stage index or an image. */
  public Optional<String> from() {
    return flagValue("from");
  }

  /** The {@code --chown} value. */
  public Optional<String> chown() {
    return flagValue("chown");
  }

  /** The {@code --chmod} value. */
  public Optional<String> chmod() {
    return flagValue("chmod");
  }

  /** Whether {@code --link} is given and not {@code --link=false}. */
  public boolean link() {
    return flag("link").map(f -> !f.value().orElse("true").equalsIgnoreCase("false")).orElse(false);
  }

  private Optional<String> flagValue(String name) {
    Optional<String> last = Optional.empty();
    for (Flag f : flags()) {
      if (f.name().equals(name)) {
        last = f.value();
      }
    }
    return last;
  }
}
