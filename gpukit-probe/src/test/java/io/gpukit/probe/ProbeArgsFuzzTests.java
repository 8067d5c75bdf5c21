package io.gpukit.probe;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Any command line gives options, a help request, or a usage message (exit 64): never another
 * exception. The bytes are the arguments as the kernel hands them over, NUL-separated.
 */
class ProbeArgsFuzzTests {

  @FuzzTest(maxDuration = "90s")
  void options_help_or_usage_message(byte[] bytes) {
    String joined = new String(bytes, StandardCharsets.UTF_8);
    String[] args = joined.isEmpty() ? new String[0] : joined.split("\0", -1);
    try {
      if (ProbeArgs.parse(args) == null) {
        throw new AssertionError("no options");
      }
    } catch (ProbeArgs.HelpRequested e) {
      // --help: the probe prints its usage
    } catch (ProbeArgs.UsageException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        throw new AssertionError("a usage error without a message", e);
      }
    }
  }
}
