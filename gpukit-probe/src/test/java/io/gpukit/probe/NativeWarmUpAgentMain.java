package io.gpukit.probe;

/**
 * Run by {@link NativeWarmUpTests} in a child JVM that loaded {@code libgpukitprobe.so} as a JVM
 * agent: loads the same library from the path in {@code -Dgpukit.test.library} and prints
 * {@code agentDevice=N}; with {@code -Dgpukit.test.wait=true} also {@code cudaWarmUp=N} (which,
 * after the agent's start, only waits for it). The arguments are for the agent to read; this class
 * ignores them.
 */
final class NativeWarmUpAgentMain {

  static final String LIBRARY = "gpukit.test.library";
  static final String WAIT = "gpukit.test.wait";

  private NativeWarmUpAgentMain() {}

  public static void main(String[] args) {
    System.load(System.getProperty(LIBRARY));
    System.out.println("agentDevice=" + NativeWarmUp.agentDevice());
    if (Boolean.getBoolean(WAIT)) {
      System.out.println("cudaWarmUp=" + NativeWarmUp.cudaWarmUp(-1, true));
    }
  }
}
