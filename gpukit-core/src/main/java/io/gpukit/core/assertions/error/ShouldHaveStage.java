package io.gpukit.core.assertions.error;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.Stage;
import java.util.stream.Collectors;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Creates the messages for missing stages.
 *
 * @since 0.1.0
 */
public final class ShouldHaveStage extends BasicErrorMessageFactory {

  /** Fewer stages than expected. */
  public static ErrorMessageFactory shouldHaveAtLeastStages(Dockerfile actual, int count) {
    return new ShouldHaveStage(
        "%nExpecting actual:%n  %s%nto have at least %s FROM stages%nbut it has %s:%n  " + stages(actual),
        actual.path().toString(),
        count,
        actual.stages().size());
  }

  /** No stage of that name. */
  public static ErrorMessageFactory shouldHaveStage(Dockerfile actual, String nameOrIndex) {
    return new ShouldHaveStage(
        "%nExpecting actual:%n  %s%nto have a stage named%n  %s%nbut its stages are:%n  " + stages(actual),
        actual.path().toString(),
        nameOrIndex);
  }

  private static String stages(Dockerfile actual) {
    return actual.stages().stream().map(ShouldHaveStage::describe).collect(Collectors.joining("%n  "));
  }

  static String describe(Stage s) {
    return (s.location().render() + ": FROM " + s.baseImage().original()
            + s.name().map(n -> " AS " + n).orElse(""))
        .replace("%", "%%");
  }

  private ShouldHaveStage(String format, Object... arguments) {
    super(format, arguments);
  }
}
