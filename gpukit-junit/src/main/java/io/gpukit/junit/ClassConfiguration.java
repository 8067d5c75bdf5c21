package io.gpukit.junit;

import io.gpukit.junit.internal.Placeholders;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * How a {@link GpuContainerTest} class and the run's configuration parameters are read: misuse
 * that no host can fix is an {@link ExtensionConfigurationException} naming the fix, thrown before
 * anything is detected or started.
 */
final class ClassConfiguration {

  private ClassConfiguration() {
  }

  /** Checks the annotation's own values: GPUs, build arguments, and the context and Dockerfile to build. */
  static void validate(GpuContainerTest annotation, Class<?> testClass) {
    String on = on(testClass);
    try {
      GpuSelector.parse(annotation.gpus());
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(on + e.getMessage());
    }
    parseBuildArgs(annotation.buildArgs(), on);
    if (!annotation.image().isBlank()) {
      if (annotation.buildArgs().length > 0) {
        throw new ExtensionConfigurationException(on + "buildArgs apply only when building: leave image empty to build"
            + " from the Dockerfile, or drop buildArgs");
      }
      return;
    }
    validateBuild(annotation, on);
  }

  private static void validateBuild(GpuContainerTest annotation, String on) {
    Path context = Path.of(annotation.context()).toAbsolutePath().normalize();
    if (!Files.isDirectory(context)) {
      throw new ExtensionConfigurationException(on + "the build context '" + context + "' is not a folder: set context"
          + " to the folder the Dockerfile builds from (relative to " + Path.of("").toAbsolutePath() + "), or set image"
          + " to a local image");
    }
    Path dockerfile = context.resolve(annotation.dockerfile()).normalize();
    if (!dockerfile.startsWith(context)) {
      throw new ExtensionConfigurationException(on + "the Dockerfile '" + dockerfile + "' is outside the build context '"
          + context + "': move it in, or widen context");
    }
    if (!Files.isRegularFile(dockerfile)) {
      throw new ExtensionConfigurationException(on + "no Dockerfile at '" + dockerfile + "' (dockerfile = '"
          + annotation.dockerfile() + "' in context '" + annotation.context() + "'): point dockerfile at it, or set"
          + " image = \"name:tag\" to use a local image instead of building");
    }
  }

  /** {@code KEY=VALUE} entries, in order; anything else is misuse. */
  static Map<String, String> parseBuildArgs(String[] buildArgs, String on) {
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String entry : buildArgs) {
      int equals = entry.indexOf('=');
      if (equals <= 0) {
        throw new ExtensionConfigurationException(on + "the build argument '" + entry + "' is not KEY=VALUE");
      }
      parsed.put(entry.substring(0, equals).strip(), entry.substring(equals + 1));
    }
    return parsed;
  }

  /** The start of every misuse message: which annotation on which class. */
  static String on(Class<?> testClass) {
    return "@GpuContainerTest on " + testClass.getName() + ": ";
  }

  /** Whether {@code -Dgpukit.gpu.required=true} turns a skip into a failure. */
  static boolean required(ExtensionContext context) {
    return context.getConfigurationParameter(GpuContainerExtension.REQUIRED_PARAMETER)
        .map(v -> v.strip().equalsIgnoreCase("true")).orElse(false);
  }

  /** {@code -Dgpukit.gpu.attach}, read for every class. */
  static Optional<GpuDetection.AttachOverride> attachOverride(ExtensionContext context) {
    return GpuDetection.AttachOverride.parse(context.getConfigurationParameter(GpuContainerExtension.ATTACH_PARAMETER));
  }

  /** The class's HEALTHCHECK interval, else the run's. */
  static IntervalChoice healthcheckInterval(ExtensionContext context, GpuContainerTest annotation) {
    return IntervalChoice.of(annotation.healthcheckInterval(),
        context.getConfigurationParameter(GpuContainerExtension.HEALTHCHECK_INTERVAL_PARAMETER),
        on(context.getRequiredTestClass()));
  }

  /** The probe jar {@code -Dgpukit.probe.jar} names, if any; one that is not a file is misuse. */
  static Optional<Path> probeJar(ExtensionContext context) {
    Optional<String> named = context.getConfigurationParameter(GpuContainerExtension.PROBE_JAR_PARAMETER)
        .filter(value -> !value.isBlank());
    if (named.isPresent() && !Files.isRegularFile(Path.of(named.get()))) {
      throw new ExtensionConfigurationException("-D" + GpuContainerExtension.PROBE_JAR_PARAMETER + "=" + named.get()
          + " is not a file: build gpukit-probe (mvn -pl gpukit-probe package) and point it at"
          + " gpukit-probe/target/gpukit-probe.jar, or leave it out for images that bring their own probe");
    }
    return named.map(Path::of);
  }

  /** The value with each {@code ${name}} replaced by that configuration parameter or system property. */
  static String resolve(String value, ExtensionContext context, String what) {
    return resolve(value, name -> context.getConfigurationParameter(name).orElse(null), what);
  }

  static String resolve(String value, UnaryOperator<String> parameters, String what) {
    return Placeholders.resolve(value, parameters, "@GpuContainerTest", what);
  }
}
