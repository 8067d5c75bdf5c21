package io.gpukit.junit;

import java.util.List;
import java.util.stream.Stream;

/** Which GPUs: all, the first N, or ids. */
record GpuSelector(Integer count, List<String> ids) {

  static GpuSelector parse(String gpus) {
    if (gpus == null || gpus.isBlank()) {
      throw new IllegalArgumentException("gpus must be 'all', a count or 'device=ID[,ID...]'");
    }
    String value = gpus.strip();
    if (value.equals("all")) {
      return new GpuSelector(-1, List.of());
    }
    if (value.matches("[0-9]+")) {
      int count = Integer.parseInt(value);
      if (count == 0) {
        throw new IllegalArgumentException("gpus=0 attaches nothing; leave withGpus out instead");
      }
      return new GpuSelector(count, List.of());
    }
    if (value.startsWith("device=") && value.length() > "device=".length()) {
      List<String> ids = Stream.of(value.substring("device=".length()).split(",", -1)).map(String::strip).toList();
      if (ids.stream().anyMatch(String::isEmpty)) {
        throw new IllegalArgumentException("'" + gpus + "' has an empty device id");
      }
      return new GpuSelector(null, ids);
    }
    throw new IllegalArgumentException("'" + gpus + "' is not 'all', a count or 'device=ID[,ID...]'");
  }
}
