package io.gpukit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Runs the distribution's {@code bin/gpukit} as a user would (after {@code package}). */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "bin/gpukit is a POSIX sh script; on Windows run java -jar lib/gpukit.jar")
class GpuKitLauncherIT {

  static final Path DIST = Path.of(System.getProperty("gpukit.dist", "target/gpukit")).toAbsolutePath();
  static final Path LAUNCHER = DIST.resolve("bin/gpukit");
  static final Path ARCHIVE = DIST.resolve("lib/gpukit.jsa");
  static final Path AOT_CACHE = DIST.resolve("lib/gpukit.aot");
  static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

  static final String FINDING = "FROM ubuntu\nRUN apt-get update\n";
  static final String CLEAN = "FROM alpine:3.20\nUSER 1000\nCMD [\"true\"]\n";

  /** What one run of the launcher printed and returned. */
  record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void the_distribution_is_built() {
    assertThat(LAUNCHER).as("bin/gpukit of the distribution; run 'mvn verify', not only 'mvn test'").isRegularFile();
    assertThat(Files.isExecutable(LAUNCHER)).as("bin/gpukit is executable").isTrue();
  }

  /** Runs {@code command} with JAVA_HOME set to {@code javaHome} (unset when null) and more environment. */
  static Run run(Path workingDirectory, Path javaHome, Map<String, String> environment, List<String> command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("gpukit-out", ".txt");
    Path err = Files.createTempFile("gpukit-err", ".txt");
    try {
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(workingDirectory.toFile())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      Map<String, String> env = builder.environment();
      env.remove("GPUKIT_JAVA_OPTS");
      if (javaHome == null) {
        env.remove("JAVA_HOME");
      } else {
        env.put("JAVA_HOME", javaHome.toString());
      }
      env.putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish");
      }
      return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static Run gpukit(Path workingDirectory, String... args) throws IOException, InterruptedException {
    return run(workingDirectory, JAVA_HOME, Map.of(), command(LAUNCHER, args));
  }

  static Run javaJar(Path workingDirectory, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(JAVA_HOME.resolve("bin/java").toString(), "-jar",
        DIST.resolve("lib/gpukit.jar").toString()));
    command.addAll(List.of(args));
    return run(workingDirectory, JAVA_HOME, Map.of(), command);
  }

  static List<String> command(Path launcher, String... args) {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    return command;
  }

  /** Links made by a test, removed after it (JUnit warns of links out of a temporary folder it deletes). */
  final List<Path> links = new ArrayList<>();

  @AfterEach
  void remove_links() throws IOException {
    for (Path link : links) {
      Files.deleteIfExists(link);
    }
  }

  Path link(Path link, Path target) throws IOException {
    links.add(Files.createSymbolicLink(link, target));
    return link;
  }

  /** A JDK folder that is this one's java behind a release file that says {@code release}. */
  Path fakeJavaHome(Path dir, String release) throws IOException {
    Files.createDirectories(dir.resolve("bin"));
    link(dir.resolve("bin/java"), JAVA_HOME.resolve("bin/java"));
    Files.writeString(dir.resolve("release"), release);
    return dir;
  }

  @Nested
  class Runs_gpukit {

    @Test
    void as_java_jar_does_with_the_exit_codes(@TempDir Path repo) throws Exception {
      // given
      Files.writeString(repo.resolve("Dockerfile"), FINDING);
      Files.writeString(repo.resolve("clean.Dockerfile"), CLEAN);

      // when
      Run findings = gpukit(repo, "check", "Dockerfile");
      Run clean = gpukit(repo, "check", "clean.Dockerfile");
      Run usage = gpukit(repo, "check", "no-such-file");
      Run json = gpukit(repo, "check", "--format", "json", "Dockerfile");

      // then
      assertThat(findings.exitCode()).isEqualTo(1);
      assertThat(findings.out()).contains("Dockerfile:1:1: error:", "[dockerfile/base-image-pinned]");
      assertThat(findings).isEqualTo(javaJar(repo, "check", "Dockerfile"));
      assertThat(clean.exitCode()).isZero();
      assertThat(usage.exitCode()).isEqualTo(2);
      assertThat(usage.err()).startsWith("gpukit: no such file or folder: no-such-file");
      assertThat(json.out()).startsWith("{").isEqualTo(javaJar(repo, "check", "--format", "json", "Dockerfile").out());
    }

    @Test
    void with_arguments_as_given_spaces_and_quotes_included(@TempDir Path repo) throws Exception {
      // given
      Path folder = Files.createDirectories(repo.resolve("my service's \"gpu\" image"));
      Files.writeString(folder.resolve("Dockerfile"), FINDING);

      // when
      Run run = gpukit(repo, "check", folder.getFileName() + "/Dockerfile");

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).contains("my service's \"gpu\" image/Dockerfile:1:1: error:");
    }

    @Test
    void a_common_check_without_building_picocli_s_model(@TempDir Path repo) throws Exception {
      // given
      Files.writeString(repo.resolve("Dockerfile"), FINDING);

      // when
      Run quick = run(repo, JAVA_HOME, Map.of("GPUKIT_JAVA_OPTS", "-Xlog:class+load=info:stderr"),
          command(LAUNCHER, "check", "--format", "json", "Dockerfile"));
      Run help = run(repo, JAVA_HOME, Map.of("GPUKIT_JAVA_OPTS", "-Xlog:class+load=info:stderr"),
          command(LAUNCHER, "check", "--show-scope", "Dockerfile"));

      // then
      assertThat(quick.exitCode()).isEqualTo(1);
      assertThat(quick.err()).doesNotContain("picocli.CommandLine$Model$OptionSpec ");
      assertThat(help.err()).as("any other command line, through picocli").contains("picocli.CommandLine$Model$OptionSpec ");
    }

    @Test
    void through_a_symbolic_link_to_the_launcher(@TempDir Path dir) throws Exception {
      // given: a link in a bin folder on the PATH, and a relative link to that link
      Path bin = Files.createDirectories(dir.resolve("usr/local/bin"));
      link(bin.resolve("gpukit"), LAUNCHER);
      link(dir.resolve("gk"), Path.of("usr/local/bin/gpukit"));

      // when
      Run linked = run(dir, JAVA_HOME, Map.of(), command(bin.resolve("gpukit"), "--version"));
      Run twice = run(dir, JAVA_HOME, Map.of(), List.of("./gk", "--version"));

      // then
      assertThat(linked.exitCode()).as(linked.err()).isZero();
      assertThat(linked.out()).startsWith("gpukit ");
      assertThat(twice).isEqualTo(linked);
    }

    @Test
    void with_java_on_the_path_when_java_home_is_not_set(@TempDir Path dir) throws Exception {
      // given: a PATH with a link to this JDK's java only
      Path bin = Files.createDirectories(dir.resolve("bin"));
      link(bin.resolve("java"), JAVA_HOME.resolve("bin/java"));

      // when
      Run run = run(dir, null, Map.of("PATH", bin.toString()), command(LAUNCHER, "--version"));

      // then
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).startsWith("gpukit ");
    }
  }

  @Nested
  class Without_a_usable_java {

    @Test
    void says_so_when_java_home_has_no_java(@TempDir Path dir) throws Exception {
      // when
      Run run = run(dir, dir, Map.of(), command(LAUNCHER, "--version"));

      // then
      assertThat(run.exitCode()).isEqualTo(127);
      assertThat(run.err()).startsWith("gpukit: JAVA_HOME is '" + dir + "', which has no bin/java");
    }

    @Test
    void says_so_when_no_java_is_on_the_path(@TempDir Path dir) throws Exception {
      // when
      Run run = run(dir, null, Map.of("PATH", dir.toString()), command(LAUNCHER, "--version"));

      // then
      assertThat(run.exitCode()).isEqualTo(127);
      assertThat(run.err()).startsWith("gpukit: no java on the PATH: install Java 17 or later, or set JAVA_HOME");
    }

    @Test
    void says_so_for_a_java_older_than_17(@TempDir Path dir) throws Exception {
      // given
      Path old = fakeJavaHome(dir.resolve("jdk-11"), "JAVA_VERSION=\"11.0.22\"\n");

      // when
      Run run = run(dir, old, Map.of(), command(LAUNCHER, "--version"));

      // then
      assertThat(run.exitCode()).isEqualTo(127);
      assertThat(run.err()).contains("is Java 11.0.22; gpukit needs Java 17 or later");
    }
  }

  @Nested
  class The_class_data_sharing_archive {

    @Test
    void is_used_by_the_jvm_that_made_it(@TempDir Path repo) throws Exception {
      // given
      assumeTrue(Files.isRegularFile(ARCHIVE), "the build made no lib/gpukit.jsa (its message says why)");
      Files.writeString(repo.resolve("Dockerfile"), CLEAN);

      // when
      Run run = run(repo, JAVA_HOME, Map.of("GPUKIT_JAVA_OPTS", "-Xlog:class+load=info:stderr"),
          command(LAUNCHER, "check", "Dockerfile"));

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.err()).contains("io.gpukit.cli.CheckCommand source: shared objects file");
    }

    @Test
    void is_made_for_another_jvm(@TempDir Path dir) throws Exception {
      // given: this java behind a release file of another build, and a copy of the distribution
      assumeTrue(Files.isRegularFile(ARCHIVE), "the build made no lib/gpukit.jsa (its message says why)");
      Path other = fakeJavaHome(dir.resolve("jdk"), "JAVA_VERSION=\"17.0.99\"\nJAVA_RUNTIME_VERSION=\"17.0.99+1\"\n");
      Path copy = copyOfTheDistribution(dir.resolve("gpukit"));
      Files.writeString(dir.resolve("Dockerfile"), FINDING);

      // when
      Run run = run(dir, other, Map.of(), command(copy.resolve("bin/gpukit"), "check", "Dockerfile"));

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).isEmpty();
      assertThat(run.out()).isEqualTo(javaJar(dir, "check", "Dockerfile").out());
      assertThat(Files.readString(copy.resolve("lib/gpukit.jsa.for")).strip()).isEqualTo(copy.toRealPath() + " 17.0.99+1");
    }

    @Test
    void is_left_out_for_another_jvm_where_lib_is_read_only(@TempDir Path dir) throws Exception {
      // given
      assumeTrue(Files.isRegularFile(ARCHIVE), "the build made no lib/gpukit.jsa (its message says why)");
      assumeFalse("root".equals(System.getProperty("user.name")),
          "root may write to a read-only folder; run the build as another user to test this");
      Path other = fakeJavaHome(dir.resolve("jdk"), "JAVA_VERSION=\"17.0.99\"\nJAVA_RUNTIME_VERSION=\"17.0.99+1\"\n");
      Path copy = copyOfTheDistribution(dir.resolve("gpukit"));
      Files.setPosixFilePermissions(copy.resolve("lib"), PosixFilePermissions.fromString("r-xr-xr-x"));
      Files.writeString(dir.resolve("Dockerfile"), FINDING);

      // when
      Run run;
      try {
        run = run(dir, other, Map.of("GPUKIT_JAVA_OPTS", "-Xlog:class+load=info:stderr"),
            command(copy.resolve("bin/gpukit"), "check", "Dockerfile"));
      } finally {
        Files.setPosixFilePermissions(copy.resolve("lib"), PosixFilePermissions.fromString("rwxr-xr-x"));
      }

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).contains("io.gpukit.cli.CheckCommand source: file:").doesNotContain("[cds]");
      assertThat(run.out()).isEqualTo(javaJar(dir, "check", "Dockerfile").out());
    }

    @Test
    void is_made_again_where_the_folder_moved(@TempDir Path dir) throws Exception {
      // given: the distribution copied elsewhere, so the archive made by the build no longer fits
      assumeTrue(Files.isRegularFile(ARCHIVE), "the build made no lib/gpukit.jsa (its message says why)");
      Path copy = copyOfTheDistribution(dir.resolve("moved"));
      Files.writeString(dir.resolve("Dockerfile"), FINDING);

      // when
      Run first = run(dir, JAVA_HOME, Map.of(), command(copy.resolve("bin/gpukit"), "check", "Dockerfile"));
      Run second = run(dir, JAVA_HOME, Map.of("GPUKIT_JAVA_OPTS", "-Xlog:class+load=info:stderr"),
          command(copy.resolve("bin/gpukit"), "check", "Dockerfile"));

      // then
      assertThat(first.exitCode()).isEqualTo(1);
      assertThat(first.err()).isEmpty();
      assertThat(first.out()).isEqualTo(javaJar(dir, "check", "Dockerfile").out());
      assertThat(Files.readString(copy.resolve("lib/gpukit.jsa.for")).strip())
          .isEqualTo(copy.toRealPath() + " " + System.getProperty("java.runtime.version"));
      assertThat(second.exitCode()).isEqualTo(1);
      assertThat(second.err()).contains("io.gpukit.cli.CheckCommand source: shared objects file");
    }

    @Test
    void that_does_not_fit_is_ignored_silently(@TempDir Path dir) throws Exception {
      // given: a copy of the distribution whose archive is damaged, said to be made for this JVM there
      Path copy = copyOfTheDistribution(dir.resolve("damaged"));
      Files.deleteIfExists(copy.resolve("lib/gpukit.classlist"));
      Files.deleteIfExists(copy.resolve("lib/gpukit.jsa"));
      Files.writeString(copy.resolve("lib/gpukit.jsa"), "not an archive");
      Files.writeString(copy.resolve("lib/gpukit.jsa.for"),
          copy.toRealPath() + " " + System.getProperty("java.runtime.version") + "\n");
      Files.writeString(dir.resolve("Dockerfile"), FINDING);

      // when
      Run run = run(dir, JAVA_HOME, Map.of(), command(copy.resolve("bin/gpukit"), "check", "Dockerfile"));

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).isEmpty();
      assertThat(run.out()).isEqualTo(javaJar(dir, "check", "Dockerfile").out());
    }
  }

  @Nested
  class The_aot_cache {

    /** The JDK the build made lib/gpukit.aot with (its java is gpukit.aot.java). */
    Path aotJavaHome() {
      assumeTrue(Files.isRegularFile(AOT_CACHE),
          "the build made no lib/gpukit.aot: it needs a JDK 24 or later (JAVA25_HOME or -Dgpukit.aot.java)");
      Path java = Path.of(System.getProperty("gpukit.aot.java", ""));
      // else the build's own java made it (a build on JDK 24 or later)
      return Files.isRegularFile(java) ? java.toAbsolutePath().getParent().getParent() : JAVA_HOME;
    }

    @Test
    void is_used_by_the_jvm_that_made_it(@TempDir Path repo) throws Exception {
      // given
      Path jdk = aotJavaHome();
      Files.writeString(repo.resolve("Dockerfile"), FINDING);

      // when
      Run logged = run(repo, jdk, Map.of("GPUKIT_JAVA_OPTS", "-Xlog:class+load=info:stderr"),
          command(LAUNCHER, "check", "Dockerfile"));
      Run run = run(repo, jdk, Map.of(), command(LAUNCHER, "check", "Dockerfile"));

      // then
      assertThat(logged.exitCode()).isEqualTo(1);
      assertThat(logged.err()).contains("io.gpukit.cli.CheckCommand source: shared objects file");
      assertThat(run).isEqualTo(javaJar(repo, "check", "Dockerfile"));
    }

    @Test
    void is_not_given_to_another_jvm(@TempDir Path repo) throws Exception {
      // given: the build's JDK, when it is not the JDK the cache was made with
      assumeTrue(!aotJavaHome().equals(JAVA_HOME), "the build's JDK made the AOT cache");
      Files.writeString(repo.resolve("Dockerfile"), CLEAN);

      // when
      Run run = run(repo, JAVA_HOME, Map.of("GPUKIT_JAVA_OPTS", "-Xlog:class+load=info:stderr"),
          command(LAUNCHER, "check", "Dockerfile"));

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.err()).doesNotContain("AOTCache", "[aot]");
    }

    @Test
    void that_does_not_fit_is_ignored_silently(@TempDir Path dir) throws Exception {
      // given: a copy of the distribution whose cache is damaged, said to be made for this JDK there
      Path jdk = aotJavaHome();
      Path copy = copyOfTheDistribution(dir.resolve("damaged"));
      Files.writeString(copy.resolve("lib/gpukit.aot"), "not a cache");
      String runtime = Files.readAllLines(jdk.resolve("release")).stream()
          .filter(l -> l.startsWith("JAVA_RUNTIME_VERSION="))
          .map(l -> l.substring(l.indexOf('=') + 1).replace("\"", ""))
          .findFirst().orElseThrow();
      Files.writeString(copy.resolve("lib/gpukit.aot.for"), copy.toRealPath() + " " + runtime + "\n");
      Files.writeString(dir.resolve("Dockerfile"), FINDING);

      // when
      Run run = run(dir, jdk, Map.of(), command(copy.resolve("bin/gpukit"), "check", "Dockerfile"));

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).isEmpty();
      assertThat(run.out()).isEqualTo(javaJar(dir, "check", "Dockerfile").out());
    }
  }

  /** bin/ and lib/ of the distribution, copied as {@code cp -r} would (the files' times are new). */
  static Path copyOfTheDistribution(Path copy) throws IOException {
    for (String file : List.of("bin/gpukit", "lib/gpukit.jar", "lib/gpukit.jsa", "lib/gpukit.jsa.for", "lib/gpukit.classlist",
        "lib/gpukit.aot", "lib/gpukit.aot.for")) {
      Path from = DIST.resolve(file);
      if (Files.exists(from)) {
        Files.createDirectories(copy.resolve(file).getParent());
        Files.copy(from, copy.resolve(file));
      }
    }
    Files.setPosixFilePermissions(copy.resolve("bin/gpukit"), PosixFilePermissions.fromString("rwxr-xr-x"));
    return copy;
  }
}
