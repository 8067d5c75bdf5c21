package io.gpukit.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium, run on a page from a file with every host name resolved to nothing,
 * so a request the page makes can only fail.
 *
 * <p>Where no {@code chromium} is on the PATH the tests that need it are skipped, saying how to get
 * it; where a browser is required ({@code -D}{@value #REQUIRED_PROPERTY}{@code =true}, or the
 * environment variable {@value #REQUIRED_ENV}{@code =true}, which CI sets) they fail instead.
 */
final class HeadlessChromium {

  static final String REQUIRED_PROPERTY = "gpukit.browser.required";
  static final String REQUIRED_ENV = "GPUKIT_BROWSER_REQUIRED";
  static final String SKIP_REASON = "No chromium on the PATH: skipping the tests that open the HTML report in a real"
      + " browser. Install Debian's chromium package (apt-get install chromium), or run .ci/run, which does.";
  private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");
  private static final long TIMEOUT_SECONDS = 120;

  /** What one run printed, and how long it took. */
  record Run(int exitCode, String out, String err, long millis) {

    /** The lines Chromium logged for the page's console: errors, CSP violations, blocked loads. */
    List<String> consoleLines() {
      return err.lines().filter(l -> l.contains(":CONSOLE") || l.contains("Uncaught")).toList();
    }
  }

  private final Path executable;
  private final Path work;

  private HeadlessChromium(Path executable, Path work) {
    this.executable = executable;
    this.work = work;
  }

  /** The browser on the PATH; skips the test when there is none, unless a browser is required. */
  static HeadlessChromium onPath(Path work) {
    return onPath(work, System.getenv("PATH"), name -> name.equals(REQUIRED_ENV) ? System.getenv(name) : System.getProperty(name));
  }

  static HeadlessChromium onPath(Path work, String path, UnaryOperator<String> settings) {
    Optional<Path> found = find(path);
    if (found.isEmpty()) {
      if (required(settings)) {
        fail("No chromium on the PATH, and the HTML report's browser tests are required here (" + REQUIRED_ENV
            + "=true or -D" + REQUIRED_PROPERTY + "=true). Install Debian's chromium package (apt-get install chromium).");
      }
      Assumptions.abort(SKIP_REASON);
    }
    return new HeadlessChromium(found.get(), work);
  }

  static Optional<Path> find(String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      for (String name : NAMES) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  static boolean required(UnaryOperator<String> settings) {
    String value = settings.apply(REQUIRED_PROPERTY);
    if (value == null) {
      value = settings.apply(REQUIRED_ENV);
    }
    return value != null && "true".equalsIgnoreCase(value.strip());
  }

  /** Loads the page and prints its DOM once loaded. */
  Run dumpDom(Path page) throws IOException, InterruptedException {
    return run("--dump-dom", page.toUri().toString());
  }

  /** Loads the page and writes a PNG of its first {@code width × height} pixels. */
  Run screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
    return run("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars",
        page.toUri().toString());
  }

  private Run run(String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(Files.createDirectories(work), "chromium-profile-");
    List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--disable-extensions", "--disable-background-networking", "--user-data-dir=" + profile,
        // Every host name resolves to nothing: a request the page tried could only fail, and would be logged.
        "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0"));
    command.addAll(List.of(args));
    Path out = profile.resolve("stdout.txt");
    Path err = profile.resolve("stderr.txt");
    long start = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
        millis);
  }
}
