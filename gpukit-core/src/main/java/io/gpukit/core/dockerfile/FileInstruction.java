package io.gpukit.core.dockerfile;

import java.util.List;
import java.util.Optional;

/**
 * {@code COPY} and {@code ADD}: sources, a destination, and the flags they share.
 *
 * @since 0.1.0
 */
public sealed interface FileInstruction extends Instruction permits Copy, Add {

  /** The sources as written (heredoc words such as {@code <<EOF} included). */
  List<String> sources();

  /** The last argument. */
  String destination();

  /** The {@code --from} value: a stage name, a stage index or an image. */
  default Optional<String> from() {
    return lastFlagValue("from");
  }

  /** The {@code --chown} value. */
  default Optional<String> chown() {
    return lastFlagValue("chown");
  }

  /** The {@code --chmod} value. */
  default Optional<String> chmod() {
    return lastFlagValue("chmod");
  }

  /** Whether {@code --link} is given and not {@code --link=false}. */
  default boolean link() {
    return flag("link").map(f -> !f.value().orElse("true").equalsIgnoreCase("false")).orElse(false);
  }

  /** The value of the last flag of that name, as BuildKit takes it. */
  private Optional<String> lastFlagValue(String name) {
    Optional<String> last = Optional.empty();
    for (Flag f : flags()) {
      if (f.name().equals(name)) {
        last = f.value();
      }
    }
    return last;
  }
}
