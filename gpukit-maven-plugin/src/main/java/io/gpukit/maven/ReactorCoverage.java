package io.gpukit.maven;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which module of a multi-module build checks a folder. A module whose folder lies inside another
 * module of the same build that runs the same goal on its own folder (the aggregator at the
 * repository root, typically) is checked by that one, once, as part of the whole project: the
 * workflow at the root and the Dockerfile in the module are seen together, and no finding is
 * reported twice.
 */
final class ReactorCoverage {

  private ReactorCoverage() {}

  /**
   * A project of the build, as far as coverage goes.
   *
   * @param name what the log calls it (its artifactId)
   * @param directory its base folder
   * @param runsGoal whether it runs the goal in this build
   */
  record Module(String name, Path directory, boolean runsGoal) {
    Module {
      directory = directory.toAbsolutePath().normalize();
    }
  }

  /**
   * The outermost other module of the build that runs the goal and whose folder holds {@code
   * directory}, if any.
   */
  static Optional<Module> coveringModule(Path directory, List<Module> build) {
    Path dir = directory.toAbsolutePath().normalize();
    return build.stream()
        .filter(Module::runsGoal)
        .filter(m -> !m.directory().equals(dir) && dir.startsWith(m.directory()))
        .min(Comparator.comparingInt(m -> m.directory().getNameCount()));
  }
}
