package io.gpukit.core.assertions.error;

import io.gpukit.core.dockerfile.Stage;
import io.gpukit.core.dockerfile.User;
import java.util.Optional;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Creates the message for a stage that runs as root.
 *
 * @since 0.1.0
 */
public final class ShouldRunAsNonRoot extends BasicErrorMessageFactory {

  /** The stage has no USER, or a root one. */
  public static ErrorMessageFactory shouldRunAsNonRoot(Stage actual, Optional<User> user) {
    String but =
        user.map(u -> "it runs as root: " + u.location().render() + ": USER " + u.spec().raw())
            .orElse("it has no USER instruction, so it runs as root");
    return new ShouldRunAsNonRoot(
        "%nExpecting actual:%n  %s%nto run as a non-root user%nbut " + but.replace("%", "%%"),
        ShouldHaveStage.describe(actual).replace("%%", "%"));
  }

  private ShouldRunAsNonRoot(String format, Object... arguments) {
    super(format, arguments);
  }
}
