package io.gpukit.junit.policy;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.project.GpuProject;
import io.gpukit.core.report.ReportFormat;
import io.gpukit.core.source.SourceParseException;
import io.gpukit.junit.internal.Placeholders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link GpuPolicyTest}: scans the repository before the test method, fails
 * it with the violations that reach the threshold, and injects the {@link GpuProject}.
 */
final class GpuPolicyExtension implements BeforeEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(GpuPolicyExtension.class);
  private static final String PROJECT = "project";

  @Override
  public void beforeEach(ExtensionContext context) {
    GpuPolicyTest annotation = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), GpuPolicyTest.class)
        .orElseThrow(() -> new ExtensionConfigurationException(
            "GpuPolicyExtension needs @GpuPolicyTest on the test method; use the annotation, not @ExtendWith"));
    UnaryOperator<String> parameters = name -> context.getConfigurationParameter(name).orElse(null);
    Path repository = annotation.value().isEmpty() ? repositoryRoot(Path.of(""))
        : Path.of(resolve(annotation.value(), parameters, "value"));
    if (!Files.isDirectory(repository)) {
      throw new ExtensionConfigurationException("@GpuPolicyTest(\"" + annotation.value() + "\"): no folder "
          + repository.toAbsolutePath().normalize() + "; the path is relative to the working directory "
          + Path.of("").toAbsolutePath() + " (leave the value out to check the repository the tests run in)");
    }
    GpuKitConfig config = config(annotation, repository, parameters);
    Optional<Severity> threshold = annotation.failOn().isBlank() ? config.failOn() : failOn(annotation.failOn());
    GpuProject project = GpuProject.scan(repository, config);
    context.getStore(NAMESPACE).put(PROJECT, project);
    context.publishReportEntry("gpukit", ReportFormat.TEXT.writer().render(project.report()));
    // the findings decide, as they decide gpukit check's exit code: a folder with nothing to check
    // is the error gpukit/nothing-to-check (unless gpukit.yaml turns it off), and failOn = never
    // passes it as --fail-on never does
    threshold.ifPresent(t -> assertThat(project).hasNoViolationsAtOrAbove(t));
  }

  /**
   * The repository a working directory is in: the nearest folder from it up that holds {@code .git}
   * (a folder, or a file in a worktree), relative to it ({@code .}, {@code ..}, …); itself when none
   * does.
   */
  static Path repositoryRoot(Path workingDirectory) {
    Path start = workingDirectory.toAbsolutePath().normalize();
    for (Path folder = start; folder != null; folder = folder.getParent()) {
      if (Files.exists(folder.resolve(".git"))) {
        Path root = workingDirectory.resolve(start.relativize(folder));
        return root.toString().isEmpty() ? Path.of(".") : root;
      }
    }
    return workingDirectory.toString().isEmpty() ? Path.of(".") : workingDirectory;
  }

  private static GpuKitConfig config(GpuPolicyTest annotation, Path repository, UnaryOperator<String> parameters) {
    try {
      if (annotation.config().isBlank()) {
        return GpuKitConfig.discover(repository);
      }
      Path file = Path.of(resolve(annotation.config(), parameters, "config"));
      if (!Files.isRegularFile(file)) {
        throw new ExtensionConfigurationException("@GpuPolicyTest(config = \"" + annotation.config() + "\"): no file "
            + file.toAbsolutePath().normalize());
      }
      return GpuKitConfig.load(file);
    } catch (SourceParseException e) {
      throw new ExtensionConfigurationException("@GpuPolicyTest: bad configuration: " + e.getMessage(), e);
    }
  }

  private static Optional<Severity> failOn(String level) {
    if (level.equalsIgnoreCase("never")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Severity.fromLabel(level.toLowerCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(
          "@GpuPolicyTest(failOn = \"" + level + "\"): use error, warning, info or never");
    }
  }

  private static String resolve(String value, UnaryOperator<String> parameters, String what) {
    return Placeholders.resolve(value, parameters, "@GpuPolicyTest", what);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == GpuProject.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return extensionContext.getStore(NAMESPACE).get(PROJECT, GpuProject.class);
  }
}
