package io.gpukit.junit;

import java.util.Locale;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/**
 * Whether Testcontainers can use the Docker engine, and when not, the real cause and the setting
 * that fixes it.
 *
 * <p>Testcontainers reports every failure to set up its client the same way ("could not find a
 * valid Docker environment"), and its log says more only where an SLF4J binding prints it. Two
 * causes are common on the machines GPU tests run on, offline or locked-down runners whose engine
 * answers perfectly well:
 *
 * <ul>
 *   <li>Ryuk, Testcontainers' clean-up container, cannot be pulled (no registry reachable): {@code
 *       TESTCONTAINERS_RYUK_DISABLED=true}; gpukit-junit removes the containers and images it made
 *       at the end of the run itself.
 *   <li>The engine has no {@code bridge} network (started with {@code --bridge=none}), where
 *       Testcontainers looks for the address containers are reached at: {@code
 *       TESTCONTAINERS_HOST_OVERRIDE=localhost}.
 * </ul>
 *
 * @param answers whether a client could be set up
 * @param problem what is wrong and the fix, when not
 */
record DockerStatus(boolean answers, Optional<String> problem) {

  /** An engine Testcontainers can use. */
  static final DockerStatus ANSWERS = new DockerStatus(true, Optional.empty());

  /** What a class says when no engine answers and nothing more is known. */
  static final String NO_ENGINE =
      "no Docker engine answers: start Docker (or point DOCKER_HOST at one) to run this GPU test class";

  /** An engine that cannot be used, for the reason given (the fix included). */
  static DockerStatus unusable(String problem) {
    return new DockerStatus(false, Optional.of(problem));
  }

  /** What is wrong, as a class's failure or skip says it. */
  String describe() {
    return problem.orElse(answers ? "the Docker engine answers" : NO_ENGINE);
  }

  /** Sets up Testcontainers' client (as a container start would) and says what went wrong, if anything. */
  static DockerStatus local() {
    try {
      DockerClientFactory.instance().client();
      return ANSWERS;
    } catch (RuntimeException e) {
      return diagnose(e);
    }
  }

  /** The cause of a failure to set up Testcontainers' client, read from its chain of exceptions. */
  static DockerStatus diagnose(Throwable failure) {
    StringBuilder all = new StringBuilder();
    String first = null;
    for (Throwable t = failure; t != null && all.length() < 20_000; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      all.append(' ').append(t.getClass().getName()).append(": ").append(message);
      if (first == null && !message.isBlank()) {
        first = message.strip();
      }
    }
    String text = all.toString().toLowerCase(Locale.ROOT);
    if (text.contains("ryuk")) {
      return unusable("the Docker engine answers, but Testcontainers could not start Ryuk, its clean-up container"
          + " (the image testcontainers/ryuk is pulled from a registry, and none answers here): set"
          + " TESTCONTAINERS_RYUK_DISABLED=true (or ryuk.disabled=true in ~/.testcontainers.properties);"
          + " gpukit-junit removes the containers and images it made at the end of the run itself");
    }
    if (text.contains("network bridge not found")) {
      return unusable("the Docker engine answers, but it has no 'bridge' network (it was started with"
          + " --bridge=none), where Testcontainers looks for the address containers are reached at: set"
          + " TESTCONTAINERS_HOST_OVERRIDE=localhost (or host.override=localhost in ~/.testcontainers.properties)");
    }
    return unusable(NO_ENGINE + (first == null ? "" : " (Testcontainers: " + oneLine(first) + ")"));
  }

  private static String oneLine(String message) {
    String line = message.replaceAll("\\s+", " ");
    return line.length() <= 300 ? line : line.substring(0, 300) + "…";
  }
}
