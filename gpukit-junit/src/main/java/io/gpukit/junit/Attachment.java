package io.gpukit.junit;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** What the container gets: device requests, or device nodes with the driver bind and library path. */
record Attachment(List<DeviceRequest> deviceRequests, List<Device> devices, List<Bind> binds, String libraryPath) {

  static final Attachment NONE = new Attachment(List.of(), List.of(), List.of(), null);

  static Attachment of(GpuAttach how, GpuSelector selector, GpuHost.Evidence evidence) {
    return switch (how) {
      case TOOLKIT -> {
        DeviceRequest request = new DeviceRequest().withCapabilities(List.of(List.of("gpu")));
        request = selector.ids().isEmpty() ? request.withCount(selector.count()) : request.withDeviceIds(selector.ids());
        yield new Attachment(List.of(request), List.of(), List.of(), null);
      }
      case CDI -> {
        if (selector.count() != null && selector.count() > 0) {
          throw new IllegalArgumentException("CDI selects devices by name: use 'all' or 'device=0,1', not a count");
        }
        List<String> names = selector.ids().isEmpty() ? List.of("nvidia.com/gpu=all")
            : selector.ids().stream().map(id -> "nvidia.com/gpu=" + id).toList();
        yield new Attachment(List.of(new DeviceRequest().withDriver("cdi").withDeviceIds(names)), List.of(), List.of(), null);
      }
      case DEVICE_NODES -> deviceNodes(selector, evidence);
      case AUTO -> throw new IllegalArgumentException("AUTO is resolved before attaching");
    };
  }

  private static Attachment deviceNodes(GpuSelector selector, GpuHost.Evidence evidence) {
    List<String> gpuNodes = evidence.deviceNodes().stream().filter(GpuHost::isGpuNode)
        .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.substring("/dev/nvidia".length())))).toList();
    if (gpuNodes.isEmpty()) {
      throw new IllegalStateException("GpuAttach.DEVICE_NODES: no GPU device nodes (/dev/nvidia0, ...) on this host"
          + (evidence.deviceNodes().isEmpty() ? "" : ", only " + evidence.deviceNodes())
          + ": is the NVIDIA driver loaded (nvidia-smi)?");
    }
    if (evidence.driverFolder().isEmpty() || evidence.driverBinds().isEmpty()) {
      throw new IllegalStateException("GpuAttach.DEVICE_NODES: no driver library to mount: "
          + evidence.driverFolderSource());
    }
    List<String> chosen;
    if (!selector.ids().isEmpty()) {
      chosen = new ArrayList<>();
      for (String id : selector.ids()) {
        String node = "/dev/nvidia" + id;
        if (!id.matches("[0-9]+") || !gpuNodes.contains(node)) {
          throw new IllegalArgumentException("GpuAttach.DEVICE_NODES selects GPUs by index; there is no " + node
              + " among " + gpuNodes);
        }
        chosen.add(node);
      }
    } else if (selector.count() > 0) {
      if (selector.count() > gpuNodes.size()) {
        throw new IllegalStateException(selector.count() + " GPUs asked for, this host has " + gpuNodes.size()
            + " " + gpuNodes);
      }
      chosen = gpuNodes.subList(0, selector.count());
    } else {
      chosen = gpuNodes;
    }
    List<Device> devices = new ArrayList<>();
    for (String node : evidence.deviceNodes()) {
      if (!GpuHost.isGpuNode(node) || chosen.contains(node)) {
        devices.add(new Device("rwm", node, node));
      }
    }
    List<Bind> binds = evidence.driverBinds().stream()
        .map(b -> new Bind(b.hostPath(), new Volume(b.containerPath()), AccessMode.ro)).toList();
    return new Attachment(List.of(), List.copyOf(devices), binds, GpuContainer.DRIVER_LIBRARIES_IN_CONTAINER);
  }

  /** The host configuration plus the attachment's device requests, devices and binds. */
  static HostConfig withAttachment(HostConfig original, Attachment attachment) {
    HostConfig hostConfig = original != null ? original : HostConfig.newHostConfig();
    if (!attachment.deviceRequests().isEmpty()) {
      List<DeviceRequest> requests = new ArrayList<>(
          hostConfig.getDeviceRequests() == null ? List.of() : hostConfig.getDeviceRequests());
      requests.addAll(attachment.deviceRequests());
      hostConfig.withDeviceRequests(requests);
    }
    if (!attachment.devices().isEmpty()) {
      List<Device> devices = new ArrayList<>(
          hostConfig.getDevices() == null ? List.of() : Arrays.asList(hostConfig.getDevices()));
      devices.addAll(attachment.devices());
      hostConfig.withDevices(devices);
    }
    if (!attachment.binds().isEmpty()) {
      List<Bind> binds = new ArrayList<>(hostConfig.getBinds() == null ? List.of() : Arrays.asList(hostConfig.getBinds()));
      binds.addAll(attachment.binds());
      hostConfig.withBinds(binds);
    }
    return hostConfig;
  }

  /** The container's environment with the library folder first on {@code LD_LIBRARY_PATH}. */
  static List<String> envWithLibraryPath(String[] env, String imageLibraryPath, String folder) {
    List<String> result = new ArrayList<>();
    String current = imageLibraryPath;
    for (String entry : env) {
      if (entry.startsWith("LD_LIBRARY_PATH=")) {
        current = entry.substring("LD_LIBRARY_PATH=".length());
      } else {
        result.add(entry);
      }
    }
    result.add("LD_LIBRARY_PATH=" + prependPath(folder, current));
    return result;
  }

  static String prependPath(String first, String current) {
    if (current == null || current.isBlank()) {
      return first;
    }
    return first + ":" + Stream.of(current.split(":")).filter(p -> !p.isEmpty() && !p.equals(first))
        .reduce((a, b) -> a + ":" + b).orElse("");
  }
}
