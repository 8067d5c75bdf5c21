package io.gpukit.maven;

import io.gpukit.core.source.SourceLocation;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Writes every current finding to the baseline file ({@code baseline}, else the configuration's
 * {@code baseline:}, else {@code gpukit-baseline.txt} in the folder checked), so that {@code check}
 * fails only on new ones. It never fails on findings; run it when you adopt gpukit, and again to
 * drop fixed findings from the file.
 *
 * @since 0.1.0
 */
@Mojo(name = "write-baseline", threadSafe = true)
public class WriteBaselineMojo extends AbstractGpuKitMojo {

  @Override
  String goal() {
    return "write-baseline";
  }

  @Override
  public void execute() throws MojoExecutionException {
    if (skipped()) {
      return;
    }
    CheckRun run = request();
    CheckRun.Written written;
    try {
      written = run.writeBaseline();
    } catch (IllegalArgumentException | CheckRun.UsageException e) {
      throw new MojoExecutionException("gpukit: " + e.getMessage(), e);
    }
    int n = written.report().violations().size();
    getLog().info("gpukit: wrote " + n + (n == 1 ? " finding" : " findings") + " to baseline "
        + SourceLocation.renderPath(written.file()));
  }
}
