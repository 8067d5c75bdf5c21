package io.gpukit.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Run by {@link NativeWarmUpTests} in a child JVM that loaded {@code libgpukitprobe.so} as a JVM
 * agent: loads the same library from the path in {@code -Dgpukit.test.library} and prints
 * {@code agentDevice=N}; with {@code -Dgpukit.test.wait=true} also {@code cudaWarmUp=N} (which,
 * after the agent's start, only waits for it). Then appends {@code main returned} to the stub's
 * log ({@code STUB_LOG}) and returns, or with {@code -Dgpukit.test.halt=wait} halts with 15, or
 * with {@code now} tells the library not to wait first, as the probe's watchdog does. The
 * arguments are for the agent to read; this class ignores them.
 */
final class NativeWarmUpAgentMain {

  static final String LIBRARY = "gpukit.test.library";
  static final String WAIT = "gpukit.test.wait";
  static final String HALT = "gpukit.test.halt";

  private NativeWarmUpAgentMain() {}

  public static void main(String[] args) throws IOException {
    System.load(System.getProperty(LIBRARY));
    System.out.println("agentDevice=" + NativeWarmUp.agentDevice());
    if (Boolean.getBoolean(WAIT)) {
      System.out.println("cudaWarmUp=" + NativeWarmUp.cudaWarmUp(-1, true));
    }
    String log = System.getenv("STUB_LOG");
    if (log != null) {
      Files.writeString(Path.of(log), "main returned\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    String halt = System.getProperty(HALT);
    if (halt != null) {
      if (halt.equals("now")) {
        NativeWarmUp.exitWithoutWaitingNative();
      }
      System.out.flush();
      Runtime.getRuntime().halt(15);
    }
  }
}
