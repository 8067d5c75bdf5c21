package io.gpukit.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of a probe run: the verdict, every check that ran, what was learnt about the devices and
 * the software versions. Rendered as one JSON line by {@link #toJson()}.
 *
 * @param code the verdict; its {@linkplain ProbeExitCode#name() name} is the JSON {@code status}
 * @param mode the mode's command-line name ({@code readiness}, ...)
 * @param checks the checks in the order they ran; a hung check is the last one
 * @param devices one entry per GPU, as maps of JSON values
 * @param versions driver, CUDA and library versions, as JSON values
 * @param extra further top-level JSON members (a heartbeat's {@code timestamp}, a usage {@code error})
 * @since 0.1.0
 */
public record ProbeResult(
    ProbeExitCode code,
    String mode,
    List<CheckResult> checks,
    List<Map<String, Object>> devices,
    Map<String, Object> versions,
    Map<String, Object> extra) {

  /** Validates the components and takes immutable copies. */
  public ProbeResult {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(mode, "mode");
    checks = List.copyOf(checks);
    devices = List.copyOf(devices);
    versions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(versions));
    extra = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  /**
   * Returns whether the verdict is {@link ProbeExitCode#HEALTHY}.
   *
   * @return {@code true} when every check passed
   * @since 0.1.0
   */
  public boolean healthy() {
    return code == ProbeExitCode.HEALTHY;
  }

  /**
   * Returns a copy with further top-level JSON members.
   *
   * @param more members to add or replace
   * @return the new result
   * @since 0.1.0
   */
  public ProbeResult withExtra(Map<String, Object> more) {
    Map<String, Object> merged = new LinkedHashMap<>(extra);
    merged.putAll(more);
    return new ProbeResult(code, mode, checks, devices, versions, merged);
  }

  /**
   * Renders the result as a JSON object on one line: {@code status}, {@code code}, {@code mode},
   * {@code checks}, {@code devices}, {@code versions}, then the extra members.
   *
   * @return the JSON text, without a line terminator
   * @since 0.1.0
   */
  public String toJson() {
    return Json.write(toJsonMap());
  }

  Map<String, Object> toJsonMap() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("status", code.name());
    root.put("code", code.code());
    root.put("mode", mode);
    List<Object> checkList = new ArrayList<>();
    for (CheckResult check : checks) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", check.name());
      c.put("ok", check.ok());
      c.put("micros", check.micros());
      c.put("detail", check.detail());
      checkList.add(c);
    }
    root.put("checks", checkList);
    root.put("devices", devices);
    root.put("versions", versions);
    root.putAll(extra);
    return root;
  }
}
