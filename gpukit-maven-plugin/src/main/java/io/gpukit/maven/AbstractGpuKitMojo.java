package io.gpukit.maven;

import io.gpukit.core.source.SourceLocation;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Plugin;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/** The parameters both goals share, and what they do with them. */
abstract class AbstractGpuKitMojo extends AbstractMojo {

  /**
   * The folder to check as one project: every Dockerfile, workflow, Kubernetes manifest, promotion
   * flow and runbook in it, then the rules across them. In a multi-module build each module checks
   * its own folder, unless a module of the same build whose folder holds it (the aggregator at the
   * repository root) runs the goal too: then that one checks the whole tree once.
   */
  @Parameter(property = "gpukit.directory", defaultValue = "${project.basedir}", required = true)
  File directory;

  /**
   * The configuration file. Default: {@code gpukit.yaml} in the folder checked, else in the folder
   * Maven runs in (the repository root), else the built-in defaults.
   */
  @Parameter(property = "gpukit.config")
  File config;

  /**
   * The baseline: known findings, one rendered finding a line, that do not fail the build. Default:
   * the configuration's {@code baseline:}, else {@code gpukit-baseline.txt} in the folder checked
   * when it exists. {@code write-baseline} writes this file.
   */
  @Parameter(property = "gpukit.baseline")
  File baseline;

  /**
   * The least severity that fails the build: {@code error}, {@code warning}, {@code info} or
   * {@code none}. Default: {@code fail-on} in the configuration, else {@code error}.
   */
  @Parameter(property = "gpukit.failOn")
  String failOn;

  /** Skips the goal. */
  @Parameter(property = "gpukit.skip", defaultValue = "false")
  boolean skip;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  MavenSession session;

  @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
  PluginDescriptor plugin;

  /** The goal's name, as a pom's {@code <goal>} names it. */
  abstract String goal();

  /** The check the parameters ask for. */
  CheckRun request() throws MojoExecutionException {
    Optional<FailOn> threshold;
    try {
      threshold = failOn == null || failOn.isBlank() ? Optional.empty() : Optional.of(FailOn.parse(failOn));
    } catch (IllegalArgumentException e) {
      throw new MojoExecutionException("gpukit: " + e.getMessage(), e);
    }
    Path outer = session == null || session.getExecutionRootDirectory() == null
        ? Path.of("") : Path.of(session.getExecutionRootDirectory());
    return new CheckRun(directory.toPath(), outer,
        Optional.ofNullable(config).map(File::toPath), Optional.ofNullable(baseline).map(File::toPath), threshold);
  }

  /** Whether to stop here, saying why: skipped, or checked by a module that holds this one. */
  boolean skipped() {
    if (skip) {
      getLog().info("gpukit: skipped (skip / -Dgpukit.skip)");
      return true;
    }
    if (session == null || project == null) {
      return false;
    }
    List<ReactorCoverage.Module> build = session.getProjects().stream()
        .filter(p -> p != project)
        .map(p -> new ReactorCoverage.Module(p.getArtifactId(), checkedFolder(p), runsGoal(p)))
        .toList();
    Optional<ReactorCoverage.Module> by = ReactorCoverage.coveringModule(directory.toPath(), build);
    by.ifPresent(m -> getLog().info("gpukit: " + project.getArtifactId() + " is checked with " + m.name() + " ("
        + shown(m.directory()) + "), whose folder holds this one, as one project"));
    return by.isPresent();
  }

  /** A path as messages show it: relative to the folder Maven runs in when inside it ({@code .} for that folder). */
  static String shown(Path file) {
    Path here = Path.of("").toAbsolutePath();
    Path abs = file.toAbsolutePath().normalize();
    return abs.equals(here) ? "." : SourceLocation.renderPath(abs.startsWith(here) ? here.relativize(abs) : abs);
  }

  /** Whether another project of this build runs this goal: named on the command line, or an unskipped execution. */
  private boolean runsGoal(MavenProject other) {
    String key = plugin == null ? "io.gpukit:gpukit-maven-plugin" : plugin.getPluginLookupKey();
    boolean named = session.getGoals().stream().anyMatch(g -> g.equals(prefix() + ":" + goal())
        || g.startsWith(key + ":") && g.endsWith(":" + goal()));
    Optional<Plugin> declared = other.getBuildPlugins().stream().filter(p -> p.getKey().equals(key)).findFirst();
    if (declared.isPresent() && "true".equals(value(declared.get().getConfiguration(), "skip"))) {
      return false;
    }
    return named || declared.stream()
        .flatMap(p -> p.getExecutions().stream())
        .filter(e -> e.getGoals().contains(goal()))
        .anyMatch(e -> !"true".equals(value(e.getConfiguration(), "skip")));
  }

  private String prefix() {
    return plugin == null ? "gpukit" : plugin.getGoalPrefix();
  }

  /** The folder another project checks: its configured directory, else its base folder. */
  private Path checkedFolder(MavenProject other) {
    String key = plugin == null ? "io.gpukit:gpukit-maven-plugin" : plugin.getPluginLookupKey();
    Path base = other.getBasedir().toPath();
    return other.getBuildPlugins().stream().filter(p -> p.getKey().equals(key)).findFirst()
        .map(p -> value(p.getConfiguration(), "directory"))
        .filter(v -> !v.contains("${"))
        .map(base::resolve)
        .orElse(base);
  }

  private static String value(Object configuration, String name) {
    if (configuration instanceof Xpp3Dom dom && dom.getChild(name) != null) {
      String v = dom.getChild(name).getValue();
      return v == null ? null : v.trim();
    }
    return null;
  }
}
