package io.gpukit.junit.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** A {@code jlink}ed runtime made from a host JDK, cached on disk by JDK version and module set. */
final class JlinkRuntime {

  private JlinkRuntime() {
  }

  /** The {@code JAVA_RUNTIME_VERSION} (or {@code JAVA_VERSION}) from a JDK's {@code release} file. */
  static String runtimeVersion(Path javaHome) throws IOException {
    Properties release = release(javaHome);
    String version = unquote(release.getProperty("JAVA_RUNTIME_VERSION", release.getProperty("JAVA_VERSION", "")));
    if (version.isEmpty()) {
      throw new IOException("'" + javaHome.resolve("release") + "' names no JAVA_VERSION");
    }
    return version;
  }

  /** The feature release (17, 21, ...) of a JDK. */
  static int featureVersion(Path javaHome) throws IOException {
    String version = unquote(release(javaHome).getProperty("JAVA_VERSION", ""));
    String feature = version.split("[.+\\-]", 2)[0];
    try {
      return Integer.parseInt(feature);
    } catch (NumberFormatException e) {
      throw new IOException("cannot read the Java version of '" + javaHome + "' from its release file", e);
    }
  }

  /**
   * Returns the runtime for these modules, running {@code jlink} only when the cache has no
   * finished copy. A finished copy is moved into place atomically, so an interrupted run never
   * leaves a half-written runtime behind.
   */
  static Path linked(Path javaHome, List<String> modules, Path cacheRoot) throws IOException {
    Path jlink = javaHome.resolve("bin").resolve("jlink");
    if (!Files.isExecutable(jlink)) {
      throw new IOException("no jlink at '" + jlink + "': the base image needs a JDK, not a JRE;"
          + " run on a JDK or pass one with withJavaHome(...)");
    }
    List<String> command = new ArrayList<>(List.of(jlink.toString(),
        "--add-modules", String.join(",", modules),
        "--strip-debug", "--no-man-pages", "--no-header-files",
        // zip-N replaced the numbered levels in JDK 21, which then warns about "2".
        "--compress=" + (featureVersion(javaHome) >= 21 ? "zip-6" : "2")));
    String key = runtimeVersion(javaHome).replaceAll("[^A-Za-z0-9._+-]", "_") + "-"
        + sha256(javaHome.toRealPath() + "\n" + String.join(" ", command.subList(1, command.size())))
            .substring(0, 12);
    Path target = cacheRoot.resolve(key);
    if (Files.isRegularFile(target.resolve("release")) && Files.isExecutable(target.resolve("bin/java"))) {
      return target;
    }
    Files.createDirectories(cacheRoot);
    Path staging = Files.createTempDirectory(cacheRoot, key + ".partial-");
    Path output = staging.resolve("runtime");
    command.add("--output");
    command.add(output.toString());
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IOException("jlink did not finish in 10 minutes: " + String.join(" ", command));
      }
      if (process.exitValue() != 0) {
        throw new IOException("jlink failed (exit " + process.exitValue() + "): " + String.join(" ", command)
            + System.lineSeparator() + log.strip());
      }
      try {
        Files.move(output, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        // Another build linked the same runtime first; use theirs.
        if (!Files.isRegularFile(target.resolve("release"))) {
          throw e;
        }
      }
      return target;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running jlink", e);
    } finally {
      deleteTree(staging);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // Best effort: a leftover temporary directory is harmless.
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private static Properties release(Path javaHome) throws IOException {
    Path file = javaHome.resolve("release");
    if (!Files.isRegularFile(file)) {
      throw new IOException("'" + javaHome + "' has no release file; is it a JDK home?");
    }
    Properties properties = new Properties();
    try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    return properties;
  }

  private static String unquote(String value) {
    String v = value.strip();
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
  }
}
