package io.gpukit.core.workflow;

import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a job: an action ({@code uses}) or a script ({@code run}).
 *
 * @param index the 0-based position in the job
 * @param id the {@code id}
 * @param name the {@code name}
 * @param uses the action, e.g. {@code docker/build-push-action@v6}
 * @param run the script, as the YAML scalar gives it (a block keeps its lines)
 * @param with the action's inputs
 * @param env the step's {@code env}
 * @param condition the {@code if}
 * @param shell the {@code shell}
 * @param location where the step starts
 * @since 0.1.0
 */
public record Step(
    int index,
    Optional<String> id,
    Optional<String> name,
    Optional<String> uses,
    Optional<String> run,
    List<Entry> with,
    List<Entry> env,
    Optional<String> condition,
    Optional<String> shell,
    SourceLocation location) {

  /** Validates the fields and copies the lists. */
  public Step {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uses, "uses");
    Objects.requireNonNull(run, "run");
    with = List.copyOf(with);
    env = List.copyOf(env);
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(shell, "shell");
    Objects.requireNonNull(location, "location");
  }

  /** An input of the action, if given. */
  public Optional<String> input(String key) {
    return with.stream().filter(e -> e.key().equals(key)).map(Entry::value).findFirst();
  }

  /** The action without its version: {@code docker/build-push-action} for {@code …@v6}. */
  public Optional<String> action() {
    return uses.map(u -> u.contains("@") ? u.substring(0, u.indexOf('@')) : u);
  }

  /** A few words for messages: the name, else the {@code uses}, else the first line of {@code run}. */
  public String describe() {
    return name.or(() -> uses).or(() -> run.map(r -> r.strip().lines().findFirst().orElse(""))).orElse("step " + (index + 1));
  }
}
