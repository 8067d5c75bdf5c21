package io.gpukit.junit.internal;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * {@code ${name}} placeholders in annotation attributes, filled from JUnit configuration
 * parameters (which fall back to system properties). Internal to gpukit-junit: not API.
 */
public final class Placeholders {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

  private Placeholders() {}

  /**
   * The value with each {@code ${name}} replaced by {@code parameters.apply(name)}.
   *
   * @param annotation the annotation the value comes from, such as {@code @GpuContainerTest}, for the message
   * @param what which attribute, for the message
   * @throws ExtensionConfigurationException naming the missing parameter and how to set it
   */
  public static String resolve(String value, UnaryOperator<String> parameters, String annotation, String what) {
    Matcher matcher = PLACEHOLDER.matcher(value);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String replacement = parameters.apply(matcher.group(1));
      if (replacement == null) {
        throw new ExtensionConfigurationException(annotation + " " + what + " '" + value + "' needs ${"
            + matcher.group(1) + "}: set -D" + matcher.group(1) + "=... (or that JUnit configuration parameter)");
      }
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(resolved);
    return resolved.toString();
  }
}
