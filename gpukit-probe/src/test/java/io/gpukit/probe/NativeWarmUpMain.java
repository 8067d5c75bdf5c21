package io.gpukit.probe;

/**
 * Run in a child JVM by {@link NativeWarmUpTests}: loads {@code libgpukitprobe.so} from the path in
 * {@code args[0]} and prints what {@code cudaWarmUp(args[1], args[2])} returns, so that the stub
 * {@code libcuda.so.1} the test built is found through the child's {@code LD_LIBRARY_PATH} alone.
 */
final class NativeWarmUpMain {

  private NativeWarmUpMain() {}

  public static void main(String[] args) {
    System.load(args[0]);
    System.out.println(NativeWarmUp.cudaWarmUp(Integer.parseInt(args[1]),
        Boolean.parseBoolean(args[2])));
  }
}
