package io.gpukit.examples.scoring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The service's command line.
 *
 * <pre>
 * java -jar scoring-service.jar [--port 8080] [--backend gpu|cpu] [--device 0] [--threads 4]
 *     [--heartbeat /tmp/gpu-heartbeat.json | --no-heartbeat] [--heartbeat-interval 5s]
 * </pre>
 *
 * @param port the TCP port; 0 picks a free one
 * @param backend where the scores are computed
 * @param device the CUDA ordinal the GPU backend and the heartbeat use
 * @param threads the request threads
 * @param heartbeat the heartbeat file, or empty for no heartbeat
 * @param heartbeatInterval the pause between two heartbeats
 * @since 0.1.0
 */
public record ServiceOptions(int port, Backend backend, int device, int threads, Optional<Path> heartbeat,
    Duration heartbeatInterval) {

  /** Where the scores are computed. */
  public enum Backend {
    /** cuBLAS on the GPU: the service's purpose. */
    GPU,
    /** The CPU reference: for development and tests, never for serving. */
    CPU
  }

  /** The heartbeat file the Kubernetes probes and the HEALTHCHECK read. */
  public static final Path DEFAULT_HEARTBEAT = Path.of("/tmp/gpu-heartbeat.json");

  static final String USAGE = "usage: java -jar scoring-service.jar [--port 8080] [--backend gpu|cpu] [--device 0]"
      + " [--threads 4] [--heartbeat FILE | --no-heartbeat] [--heartbeat-interval 5s]";

  /** Validates the values. */
  public ServiceOptions {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--port must be 0 to 65535 but was " + port);
    }
    if (device < 0) {
      throw new IllegalArgumentException("--device must be 0 or more but was " + device);
    }
    if (threads < 1 || threads > 256) {
      throw new IllegalArgumentException("--threads must be 1 to 256 but was " + threads);
    }
    if (heartbeatInterval.isZero() || heartbeatInterval.isNegative()) {
      throw new IllegalArgumentException("--heartbeat-interval must be more than zero");
    }
  }

  /**
   * Reads the command line.
   *
   * @param args the arguments
   * @return the options, defaults filled in
   * @throws IllegalArgumentException naming the bad argument
   * @since 0.1.0
   */
  public static ServiceOptions parse(List<String> args) {
    int port = 8080;
    Backend backend = Backend.GPU;
    int device = 0;
    int threads = 4;
    Optional<Path> heartbeat = Optional.of(DEFAULT_HEARTBEAT);
    Duration interval = Duration.ofSeconds(5);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--port" -> port = integer(arg, value(args, ++i, arg));
        case "--backend" -> {
          String v = value(args, ++i, arg);
          try {
            backend = Backend.valueOf(v.toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--backend must be gpu or cpu but was '" + v + "'");
          }
        }
        case "--device" -> device = integer(arg, value(args, ++i, arg));
        case "--threads" -> threads = integer(arg, value(args, ++i, arg));
        case "--heartbeat" -> heartbeat = Optional.of(Path.of(value(args, ++i, arg)));
        case "--no-heartbeat" -> heartbeat = Optional.empty();
        case "--heartbeat-interval" -> interval = duration(arg, value(args, ++i, arg));
        default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
      }
    }
    return new ServiceOptions(port, backend, device, threads, heartbeat, interval);
  }

  private static String value(List<String> args, int i, String name) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args.get(i);
  }

  private static int integer(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number but was '" + value + "'");
    }
  }

  /** {@code 500ms}, {@code 5s} or {@code 1m}. */
  private static Duration duration(String name, String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a duration such as 500ms, 5s or 1m but was '" + value + "'");
  }
}
