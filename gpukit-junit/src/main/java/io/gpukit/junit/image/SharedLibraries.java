package io.gpukit.junit.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the shared libraries an ELF file loads, as the host's {@code ldd} reports them. */
final class SharedLibraries {

  /** {@code libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)}. */
  private static final Pattern RESOLVED = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+(/\\S+)(\\s+\\(0x[0-9a-f]+\\))?\\s*$");
  /** {@code /lib64/ld-linux-x86-64.so.2 (0x...)}: the dynamic loader. */
  private static final Pattern LOADER = Pattern.compile("^\\s*(/\\S+)\\s+\\(0x[0-9a-f]+\\)\\s*$");
  /** {@code libjvm.so => not found}. */
  private static final Pattern NOT_FOUND = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+not found\\s*$");

  /** What {@code ldd} said about one file. */
  record Result(List<Path> libraries, List<String> notFound) {
    Result {
      libraries = List.copyOf(libraries);
      notFound = List.copyOf(notFound);
    }
  }

  private SharedLibraries() {
  }

  static boolean isElf(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
    }
  }

  /** Runs {@code ldd} on an ELF file; a statically linked file has no libraries. */
  static Result of(Path elfFile) throws IOException {
    Process process;
    try {
      process = new ProcessBuilder("ldd", elfFile.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("cannot run 'ldd' to find the shared libraries of '" + elfFile
          + "': a glibc-based Linux host with ldd on the PATH is needed", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("'ldd " + elfFile + "' did not finish in 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running 'ldd " + elfFile + "'", e);
    }
    if (process.exitValue() != 0) {
      if (output.contains("not a dynamic executable") || output.contains("statically linked")) {
        return new Result(List.of(), List.of());
      }
      throw new IOException("'ldd " + elfFile + "' failed (exit " + process.exitValue() + "): " + output.strip());
    }
    return parse(output);
  }

  /** Parses {@code ldd}'s output; {@code linux-vdso} and similar kernel-provided objects are left out. */
  static Result parse(String lddOutput) {
    List<Path> libraries = new ArrayList<>();
    List<String> notFound = new ArrayList<>();
    for (String line : lddOutput.split("\\R")) {
      Matcher m;
      if ((m = NOT_FOUND.matcher(line)).matches()) {
        notFound.add(m.group(1));
      } else if ((m = RESOLVED.matcher(line)).matches()) {
        libraries.add(Path.of(m.group(2)));
      } else if ((m = LOADER.matcher(line)).matches()) {
        libraries.add(Path.of(m.group(1)));
      }
    }
    return new Result(libraries, notFound);
  }
}
