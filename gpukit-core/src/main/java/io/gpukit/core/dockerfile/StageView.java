package io.gpukit.core.dockerfile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stage inheritance: a stage that starts {@code FROM <earlier stage>} inherits its USER,
 * HEALTHCHECK, CMD and base image: what the built image sees.
 *
 * @since 0.1.0
 */
public final class StageView {

  private StageView() {}

  /** The stage and the stages it builds on through {@code FROM <stage>}, nearest first. */
  public static List<Stage> lineage(Dockerfile dockerfile, Stage stage) {
    List<Stage> chain = new ArrayList<>();
    Set<Integer> seen = new LinkedHashSet<>();
    Stage current = stage;
    while (current != null && seen.add(current.index())) {
      chain.add(current);
      current = parentStage(dockerfile, current).orElse(null);
    }
    return chain;
  }

  /** The earlier stage a stage's FROM names, if it names one. */
  public static Optional<Stage> parentStage(Dockerfile dockerfile, Stage stage) {
    String base = stage.baseImage().resolved();
    for (Stage earlier : dockerfile.stages()) {
      if (earlier.index() >= stage.index()) {
        break;
      }
      if (earlier.isNamed(base)) {
        return Optional.of(earlier);
      }
    }
    return Optional.empty();
  }

  /** The image at the root of a stage's lineage: what it really runs on. */
  public static Stage root(Dockerfile dockerfile, Stage stage) {
    List<Stage> chain = lineage(dockerfile, stage);
    return chain.get(chain.size() - 1);
  }

  /** The last USER in the lineage: the one the container runs as. */
  public static Optional<User> effectiveUser(Dockerfile dockerfile, Stage stage) {
    return nearest(dockerfile, stage, Stage::lastUser);
  }

  /**
   * The effective USER's user and group, its variables ({@code USER $APP_UID}, {@code USER
   * ${NB_UID}:${NB_GID}}) resolved through the {@code ARG} and {@code ENV} values in scope where it
   * is written: ENV set in the stages it builds on, ARG defaults of its own stage (an {@code ARG}
   * without a value takes the global ARG's default). A variable without a value in scope stays as
   * written ({@link UserSpec#isUnresolved()}).
   */
  public static Optional<UserSpec> effectiveUserSpec(Dockerfile dockerfile, Stage stage) {
    Optional<User> user = effectiveUser(dockerfile, stage);
    if (user.isEmpty() || !user.get().spec().raw().contains("$")) {
      return user.map(User::spec);
    }
    Map<String, String> globals = new HashMap<>();
    for (Arg arg : dockerfile.globalArgs()) {
      arg.definitions().forEach(d -> d.defaultValue().ifPresent(v -> globals.put(d.name(), v)));
    }
    Map<String, String> env = new HashMap<>();
    List<Stage> chain = new ArrayList<>(lineage(dockerfile, stage));
    Collections.reverse(chain);
    Set<String> unknown = Set.of(); // nothing is marked unknown here: a variable without a value stays as written
    for (Stage s : chain) {
      Map<String, String> scope = new HashMap<>(env); // ARGs do not pass from stage to stage; ENV does
      for (Instruction ins : s.instructions()) {
        if (ins == user.get()) {
          String raw = user.get().spec().raw();
          return Optional.of(UserSpec.parse(ShellWords.expand(raw, dockerfile.escapeChar(), scope, unknown).value()));
        }
        if (ins instanceof Arg arg) {
          for (ArgDef d : arg.definitions()) {
            Optional<String> value = d.defaultValue()
                .map(v -> ShellWords.expand(v, dockerfile.escapeChar(), scope, unknown).value())
                .or(() -> Optional.ofNullable(globals.get(d.name())));
            value.ifPresentOrElse(v -> scope.put(d.name(), v), () -> scope.remove(d.name()));
          }
        } else if (ins instanceof Env e) {
          for (KeyValue kv : e.pairs()) {
            String v = ShellWords.expand(kv.value(), dockerfile.escapeChar(), scope, unknown).value();
            scope.put(kv.key(), v);
            env.put(kv.key(), v);
          }
        }
      }
    }
    return user.map(User::spec);
  }

  /** The last HEALTHCHECK in the lineage: the one Docker runs. */
  public static Optional<Healthcheck> effectiveHealthcheck(Dockerfile dockerfile, Stage stage) {
    return nearest(dockerfile, stage, Stage::healthcheck);
  }

  /** What the nearest stage of the lineage that sets it says: later settings override earlier ones. */
  private static <T> Optional<T> nearest(
      Dockerfile dockerfile, Stage stage, java.util.function.Function<Stage, Optional<T>> setting) {
    return lineage(dockerfile, stage).stream()
        .map(setting)
        .flatMap(Optional::stream)
        .findFirst();
  }

  /**
   * The stages whose files end up in {@code stage}: its lineage and, transitively, every stage it
   * copies from.
   */
  public static Set<Stage> contributors(Dockerfile dockerfile, Stage stage) {
    Set<Stage> found = new LinkedHashSet<>();
    List<Stage> todo = new ArrayList<>(List.of(stage));
    while (!todo.isEmpty()) {
      Stage s = todo.remove(todo.size() - 1);
      if (!found.add(s)) {
        continue;
      }
      parentStage(dockerfile, s).ifPresent(todo::add);
      for (CopyFromEdge edge : dockerfile.copyFromGraph()) {
        if (edge.to().index() == s.index()) {
          edge.fromStage().ifPresent(todo::add);
        }
      }
    }
    return found;
  }
}
