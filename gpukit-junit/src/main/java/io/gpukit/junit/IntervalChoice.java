package io.gpukit.junit;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import java.time.Duration;
import java.util.Optional;

/**
 * The interval asked for the HEALTHCHECK's proof (empty: the image's timing), and where the ask
 * came from, for the report.
 */
record IntervalChoice(Optional<Duration> interval, String origin) {

  static final IntervalChoice DEFAULT = new IntervalChoice(Optional.of(HealthWait.DEFAULT_VERIFICATION_INTERVAL),
      "the default; -D" + GpuContainerExtension.HEALTHCHECK_INTERVAL_PARAMETER + "=" + HealthWait.IMAGE_TIMING
          + " keeps the image's");

  /**
   * The class's {@code healthcheckInterval}, else the configuration parameter, else 1 s; a value
   * that is not a duration of at least 1 ms or {@code image} is misuse.
   */
  static IntervalChoice of(String annotated, Optional<String> parameter, String on) {
    if (!annotated.isBlank()) {
      return parse(annotated, "healthcheckInterval = \"" + annotated + "\"", on);
    }
    if (parameter.isPresent() && !parameter.get().isBlank()) {
      return parse(parameter.get(), "-D" + GpuContainerExtension.HEALTHCHECK_INTERVAL_PARAMETER + "="
          + parameter.get(), "");
    }
    return DEFAULT;
  }

  private static IntervalChoice parse(String value, String origin, String on) {
    try {
      return new IntervalChoice(HealthWait.parseInterval(value), origin);
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(on + origin + " " + e.getMessage());
    }
  }
}
