package io.gpukit.junit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A host made of a few facts, for {@link GpuHost} and {@link GpuContainer} without a GPU. */
final class FakeHost implements GpuHost.View {

  private final List<String> nodes = new ArrayList<>();
  private final Set<String> files = new TreeSet<>();
  private final Map<String, String> links = new LinkedHashMap<>();
  private String ldconfig;

  static FakeHost empty() {
    return new FakeHost();
  }

  /** Two GPUs with their control nodes, the driver in a private folder listed by ldconfig. */
  static FakeHost withTwoGpus() {
    return new FakeHost()
        .nodes("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia0", "/dev/nvidia1")
        .file("/opt/nvidia/lib/libcuda.so.1")
        .ldconfig("""
            1234 libs found in cache `/etc/ld.so.cache'
            \tlibcuda.so.1 (libc6,x86-64) => /opt/nvidia/lib/libcuda.so.1
            """);
  }

  FakeHost nodes(String... paths) {
    nodes.addAll(List.of(paths));
    return this;
  }

  FakeHost file(String path) {
    files.add(path);
    return this;
  }

  FakeHost link(String path, String target) {
    files.add(path);
    links.put(path, target);
    return this;
  }

  FakeHost ldconfig(String output) {
    this.ldconfig = output;
    return this;
  }

  @Override
  public List<String> nvidiaDeviceNodes() {
    return List.copyOf(nodes);
  }

  @Override
  public Optional<String> ldconfigCache() {
    return Optional.ofNullable(ldconfig);
  }

  @Override
  public boolean isFile(String path) {
    return files.contains(path);
  }

  @Override
  public List<String> list(String folder) {
    return files.stream().filter(f -> f.startsWith(folder + "/") && f.indexOf('/', folder.length() + 1) < 0)
        .map(f -> f.substring(folder.length() + 1)).toList();
  }

  @Override
  public String realPath(String path) {
    return links.getOrDefault(path, path);
  }
}
