package io.gpukit.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges a {@link GpuHeartbeat} status file without touching the GPU or loading native code.
 *
 * <ul>
 *   <li>missing, unreadable or not a heartbeat: 10 DRIVER_UNAVAILABLE, since nothing proves the
 *       service can use the GPU;
 *   <li>older than the allowed age: 15 WATCHDOG_TIMEOUT, since a heartbeat that stops being
 *       written means its thread is stuck (usually in a CUDA call) or the service is wedged;
 *   <li>fresh: the code the service recorded.
 * </ul>
 */
final class HeartbeatJudge {

  static final long MAX_FILE_BYTES = 1 << 20;

  private HeartbeatJudge() {}

  static ProbeResult judge(Path file, Duration maxAge, Clock clock) {
    List<CheckResult> checks = new ArrayList<>();
    long t0 = System.nanoTime();
    Map<String, Object> root;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        return unreadable(file, checks, t0, "is larger than 1 MiB; not a heartbeat file");
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      Object parsed = Json.parse(text.strip());
      if (!(parsed instanceof Map<?, ?>)) {
        return unreadable(file, checks, t0, "does not hold a JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) parsed;
      root = map;
    } catch (NoSuchFileException e) {
      return unreadable(file, checks, t0, "does not exist (has the service started its "
          + "GpuHeartbeat, and does it write to this path?)");
    } catch (IOException e) {
      return unreadable(file, checks, t0, "cannot be read: " + e);
    } catch (IllegalArgumentException e) {
      return unreadable(file, checks, t0, "is not valid JSON: " + e.getMessage());
    }
    Instant stamp;
    ProbeExitCode recorded;
    try {
      stamp = Instant.parse(String.valueOf(root.get("timestamp")));
      Object code = root.get("code");
      if (!(code instanceof Number n)) {
        return unreadable(file, checks, t0, "has no numeric \"code\"");
      }
      recorded = ProbeExitCode.fromCode(n.intValue()).orElse(ProbeExitCode.INTERNAL);
    } catch (DateTimeParseException e) {
      return unreadable(file, checks, t0, "has no valid \"timestamp\"");
    }
    checks.add(new CheckResult("heartbeat.read", true, micros(t0), "read " + file));
    long t1 = System.nanoTime();
    Duration age = Duration.between(stamp, clock.instant());
    if (age.isNegative()) {
      age = Duration.ZERO; // a clock a little ahead of ours: fresh
    }
    boolean fresh = age.compareTo(maxAge) <= 0;
    checks.add(new CheckResult("heartbeat.age", fresh, micros(t1), "written " + age.toMillis()
        + " ms ago at " + stamp + (fresh ? ", within " : ", older than ") + maxAge.toMillis()
        + " ms" + (fresh ? "" : "; the service's heartbeat has stopped (hung in a GPU call?)")));
    for (Object c : list(root.get("checks"))) {
      if (c instanceof Map<?, ?> m) {
        Object micros = m.get("micros");
        checks.add(new CheckResult(String.valueOf(m.get("name")),
            Boolean.TRUE.equals(m.get("ok")),
            micros instanceof Number num ? num.longValue() : 0,
            m.get("detail") == null ? "" : String.valueOf(m.get("detail"))));
      }
    }
    List<Map<String, Object>> devices = new ArrayList<>();
    for (Object d : list(root.get("devices"))) {
      if (d instanceof Map<?, ?> m) {
        Map<String, Object> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(String.valueOf(k), v));
        devices.add(copy);
      }
    }
    Map<String, Object> versions = new LinkedHashMap<>();
    if (root.get("versions") instanceof Map<?, ?> v) {
      v.forEach((k, val) -> versions.put(String.valueOf(k), val));
    }
    Map<String, Object> heartbeat = new LinkedHashMap<>();
    heartbeat.put("file", file.toString());
    heartbeat.put("timestamp", stamp.toString());
    heartbeat.put("ageMillis", age.toMillis());
    heartbeat.put("maxAgeMillis", maxAge.toMillis());
    heartbeat.put("recordedCode", recorded.code());
    heartbeat.put("recordedMode", root.get("mode"));
    ProbeExitCode verdict = fresh ? recorded : ProbeExitCode.WATCHDOG_TIMEOUT;
    return new ProbeResult(verdict, "heartbeat", checks, devices, versions,
        Map.of("heartbeat", heartbeat));
  }

  private static ProbeResult unreadable(Path file, List<CheckResult> checks, long t0,
      String why) {
    checks.add(new CheckResult("heartbeat.read", false, micros(t0), "heartbeat file " + file
        + " " + why));
    Map<String, Object> heartbeat = new LinkedHashMap<>();
    heartbeat.put("file", file.toString());
    return new ProbeResult(ProbeExitCode.DRIVER_UNAVAILABLE, "heartbeat", checks, List.of(),
        Map.of("probe", ProbeRunner.probeVersion()), Map.of("heartbeat", heartbeat));
  }

  private static List<?> list(Object o) {
    return o instanceof List<?> l ? l : List.of();
  }

  private static long micros(long t0) {
    return (System.nanoTime() - t0) / 1000;
  }
}
