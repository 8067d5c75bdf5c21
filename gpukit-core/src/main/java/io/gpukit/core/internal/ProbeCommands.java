package io.gpukit.core.internal;

import java.util.regex.Pattern;

/**
 * How a probe's command line is judged when it is not a GPU probe: HTTP or TCP only, or {@code
 * nvidia-smi} only. Shared by the format packages so that a Dockerfile HEALTHCHECK and a Kubernetes
 * exec probe are judged alike.
 *
 * <p>Not API.
 */
public final class ProbeCommands {

  private static final Pattern HTTP =
      Pattern.compile(
          "(?i)(^|[\\s;|&(`'\"/])(curl|wget|nc|ncat|netcat|http|httpie)(\\s|$)|https?://|/dev/tcp/|grpc_health_probe");
  private static final Pattern NVIDIA_SMI =
      Pattern.compile("(?i)(^|[\\s;|&(/'\"])nvidia-smi(\\s|$|[;|&)'\"])");
  private static final Pattern TIMEOUT_MS = Pattern.compile("--timeout-ms[=\\s]+(\\d{1,9})\\b");
  private static final Pattern DEEP_MODE = Pattern.compile("--mode[=\\s]+deep\\b");

  /** The gpukit probe's deadline in deep mode, in seconds. */
  public static final int DEEP_MODE_SECONDS = 30;

  private ProbeCommands() {}

  /** Whether a command only checks HTTP or TCP ({@code curl}, {@code wget}, {@code nc}, a URL). */
  public static boolean isHttpOnly(String commandLine) {
    return HTTP.matcher(commandLine).find();
  }

  /** Whether a command runs {@code nvidia-smi}. */
  public static boolean runsNvidiaSmi(String commandLine) {
    return NVIDIA_SMI.matcher(commandLine).find();
  }

  /**
   * The seconds a GPU probe command says it may take: its {@code --timeout-ms} rounded up, 30 s for
   * {@code --mode deep}, else {@code fallback}.
   */
  public static int secondsNeeded(String commandLine, int fallback) {
    var timeout = TIMEOUT_MS.matcher(commandLine);
    if (timeout.find()) {
      long ms = Long.parseLong(timeout.group(1));
      return (int) Math.max(1, (ms + 999) / 1000);
    }
    if (DEEP_MODE.matcher(commandLine).find()) {
      return DEEP_MODE_SECONDS;
    }
    return fallback;
  }
}
