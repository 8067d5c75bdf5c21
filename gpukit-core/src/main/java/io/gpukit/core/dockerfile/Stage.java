package io.gpukit.core.dockerfile;

import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A build stage: a {@code FROM} and the instructions up to the next {@code FROM}.
 *
 * @param index the 0-based position among the stages
 * @param name the name after {@code AS}, as written
 * @param from the {@code FROM} instruction
 * @param baseImage the base image (the {@code FROM}'s image)
 * @param platform the {@code --platform} value as written
 * @param instructions the instructions after the {@code FROM}, up to the next one
 * @since 0.1.0
 */
public record Stage(
    int index,
    Optional<String> name,
    From from,
    ImageReference baseImage,
    Optional<String> platform,
    List<Instruction> instructions) {

  /** Validates the fields and copies the list. */
  public Stage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(baseImage, "baseImage");
    Objects.requireNonNull(platform, "platform");
    instructions = List.copyOf(instructions);
  }

  /** The {@code FROM}'s location. */
  public SourceLocation location() {
    return from.location();
  }

  /** The last line of the stage: its last instruction's, or the {@code FROM}'s. */
  public int endLine() {
    return instructions.isEmpty()
        ? from.endLine()
        : instructions.get(instructions.size() - 1).endLine();
  }

  /** The last {@code USER} of the stage, which is the user the stage's image runs as. */
  public Optional<User> lastUser() {
    List<User> users = instructionsOf(User.class);
    return users.isEmpty() ? Optional.empty() : Optional.of(users.get(users.size() - 1));
  }

  /** All {@code HEALTHCHECK} instructions of the stage, in order. */
  public List<Healthcheck> healthchecks() {
    return instructionsOf(Healthcheck.class);
  }

  /** The last {@code HEALTHCHECK}: the only one Docker uses. */
  public Optional<Healthcheck> healthcheck() {
    List<Healthcheck> all = healthchecks();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** The instructions of one type, in order ({@code ONBUILD} triggers not included). */
  public <T extends Instruction> List<T> instructionsOf(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Instruction i : instructions) {
      if (type.isInstance(i)) {
        out.add(type.cast(i));
      }
    }
    return List.copyOf(out);
  }

  /** Whether the stage is named {@code name}, compared case-insensitively as BuildKit does. */
  public boolean isNamed(String name) {
    return this.name.map(n -> n.equalsIgnoreCase(name)).orElse(false);
  }
}
