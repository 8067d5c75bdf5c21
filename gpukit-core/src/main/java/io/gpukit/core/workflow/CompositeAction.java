package io.gpukit.core.workflow;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A local composite action as read from its {@code action.yml}.
 *
 * @param path the action file
 * @param inputDefaults the {@code default} of each input that has one
 * @param steps {@code runs.steps}, located in the action file
 */
record CompositeAction(Path path, Map<String, String> inputDefaults, List<Step> steps) {

  /** Validates the fields and copies the collections. */
  CompositeAction {
    Objects.requireNonNull(path, "path");
    inputDefaults = Map.copyOf(inputDefaults);
    steps = List.copyOf(steps);
  }
}
