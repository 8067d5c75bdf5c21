package io.gpukit.junit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What this host offers for attaching NVIDIA GPUs, and the choice {@link GpuAttach#AUTO} makes
 * from it. The facts come through {@link View}, so the choice is testable without a GPU or Docker.
 */
final class GpuHost {

  /** Where NVIDIA's user-space driver libraries usually live when {@code ldconfig} does not say. */
  static final List<String> KNOWN_DRIVER_FOLDERS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
      "/usr/lib64", "/usr/lib", "/usr/local/nvidia/lib64", "/usr/lib/wsl/lib");
  static final String DRIVER_LIBRARY = "libcuda.so.1";
  static final List<String> CDI_SPEC_FOLDERS = List.of("/etc/cdi", "/var/run/cdi");

  /** The host seen through the few questions the choice needs. */
  interface View {

    /** Absolute paths of the character devices named {@code /dev/nvidia*} (and in {@code /dev/nvidia-caps}). */
    List<String> nvidiaDeviceNodes();

    /** The output of {@code ldconfig -p}, or empty when it cannot be run. */
    Optional<String> ldconfigCache();

    /** Whether a regular file (or a link to one) exists at this absolute path. */
    boolean isFile(String path);

    /** File names in a folder, empty when it does not exist. */
    List<String> list(String folder);

    /** The path with every link resolved (the path itself when that fails). */
    String realPath(String path);
  }

  /** A host path bind-mounted read-only into the container. */
  record DriverBind(String hostPath, String containerPath) {
  }

  /** What the Docker engine says about itself; a hint, never proof. */
  record Engine(Set<String> runtimes, Optional<Integer> majorVersion) {

    static final Engine UNKNOWN = new Engine(Set.of(), Optional.empty());

    static Engine of(Set<String> runtimes, String serverVersion) {
      Optional<Integer> major = Optional.empty();
      if (serverVersion != null) {
        String first = serverVersion.strip().split("[.+\\-]", 2)[0];
        try {
          major = Optional.of(Integer.parseInt(first));
        } catch (NumberFormatException e) {
          // An unusual version string: no CDI inference from it.
        }
      }
      return new Engine(runtimes == null ? Set.of() : Set.copyOf(runtimes), major);
    }
  }

  /** The facts gathered from a {@link View}. */
  record Evidence(List<String> deviceNodes, Optional<String> driverFolder, String driverFolderSource,
      List<DriverBind> driverBinds, Optional<String> cdiSpec, Engine engine) {
  }

  /** The driver's own libraries, one bind each when the folder is a system one (holding libc). */
  static final List<String> DRIVER_FILES = List.of(DRIVER_LIBRARY, "libnvidia-ml.so.1", "libnvidia-ptxjitcompiler.so.1",
      "libnvidia-nvvm.so.4");

  /** The strategy AUTO picked (empty when none can work) and why. */
  record Selection(Optional<GpuAttach> attach, String reason) {
  }

  private GpuHost() {
  }

  static Evidence gather(View view, Supplier<Engine> engine) {
    List<String> nodes = view.nvidiaDeviceNodes().stream().sorted().toList();
    Optional<String> folder = Optional.empty();
    String source = "ldconfig -p and " + KNOWN_DRIVER_FOLDERS + " know no " + DRIVER_LIBRARY;
    Optional<String> fromLdconfig = view.ldconfigCache().flatMap(GpuHost::driverLibraryFromLdconfig);
    if (fromLdconfig.isPresent()) {
      folder = Optional.of(parentOf(fromLdconfig.get()));
      source = "ldconfig -p lists " + fromLdconfig.get();
    } else {
      for (String candidate : KNOWN_DRIVER_FOLDERS) {
        if (view.isFile(candidate + "/" + DRIVER_LIBRARY)) {
          folder = Optional.of(candidate);
          source = DRIVER_LIBRARY + " found in " + candidate;
          break;
        }
      }
    }
    Optional<String> cdiSpec = Optional.empty();
    for (String specFolder : CDI_SPEC_FOLDERS) {
      for (String name : view.list(specFolder)) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains("nvidia") && (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json"))) {
          cdiSpec = Optional.of(specFolder + "/" + name);
          break;
        }
      }
      if (cdiSpec.isPresent()) {
        break;
      }
    }
    return new Evidence(nodes, folder, source, folder.map(f -> driverBinds(view, f)).orElse(List.of()), cdiSpec,
        engine.get());
  }

  /**
   * The whole folder at {@value GpuContainer#DRIVER_LIBRARIES_IN_CONTAINER}, unless it is a system
   * folder: binding all of that would put the host's libc ahead of the image's, so then only the
   * driver's files are bound, each resolved to its real file.
   */
  static List<DriverBind> driverBinds(View view, String folder) {
    String target = GpuContainer.DRIVER_LIBRARIES_IN_CONTAINER;
    if (!view.isFile(folder + "/libc.so.6")) {
      return List.of(new DriverBind(folder, target));
    }
    List<DriverBind> binds = new ArrayList<>();
    for (String name : DRIVER_FILES) {
      if (view.isFile(folder + "/" + name)) {
        binds.add(new DriverBind(view.realPath(folder + "/" + name), target + "/" + name));
      }
    }
    for (String name : view.list(folder)) {
      if (name.startsWith("libnvidia-gpucomp.so.")) {
        binds.add(new DriverBind(view.realPath(folder + "/" + name), target + "/" + name));
      }
    }
    return List.copyOf(binds);
  }

  /** The folder of the 64-bit {@code libcuda.so.1} in {@code ldconfig -p} output, if listed. */
  static Optional<String> driverLibraryFromLdconfig(String ldconfigOutput) {
    String fallback = null;
    for (String line : ldconfigOutput.split("\n")) {
      String trimmed = line.strip();
      if (!trimmed.startsWith(DRIVER_LIBRARY + " ")) {
        continue;
      }
      int arrow = trimmed.lastIndexOf("=>");
      if (arrow < 0) {
        continue;
      }
      String path = trimmed.substring(arrow + 2).strip();
      // Prefer the 64-bit library; a 32-bit one (libc6 without x86-64) is a last resort.
      if (trimmed.contains("x86-64") || trimmed.contains("AArch64") || trimmed.contains("64bit")) {
        return Optional.of(path);
      }
      if (fallback == null) {
        fallback = path;
      }
    }
    return Optional.ofNullable(fallback);
  }

  /** The AUTO choice: the strongest evidence wins, and the reason names it. */
  static Selection choose(Evidence evidence) {
    List<String> gpus = evidence.deviceNodes().stream().filter(GpuHost::isGpuNode).toList();
    if (gpus.isEmpty()) {
      return new Selection(Optional.empty(), "no GPU device nodes (/dev/nvidia0, /dev/nvidia1, ...) on this host"
          + (evidence.deviceNodes().isEmpty() ? "" : "; only " + evidence.deviceNodes())
          + ": is the NVIDIA driver loaded (nvidia-smi)? A remote Docker host cannot be inspected from here:"
          + " choose GpuAttach.TOOLKIT or GpuAttach.CDI explicitly");
    }
    String found = gpus.size() + " GPU device node(s) " + gpus;
    if (evidence.engine().runtimes().contains("nvidia")) {
      return new Selection(Optional.of(GpuAttach.TOOLKIT), found + " and the Docker engine lists the 'nvidia' runtime"
          + " (a hint that the NVIDIA Container Toolkit is installed)");
    }
    if (evidence.cdiSpec().isPresent() && evidence.engine().majorVersion().map(v -> v >= 25).orElse(false)) {
      return new Selection(Optional.of(GpuAttach.CDI), found + ", the CDI specification "
          + evidence.cdiSpec().get() + " and Docker " + evidence.engine().majorVersion().get() + " (CDI needs 25 or later)");
    }
    if (evidence.driverFolder().isPresent()) {
      return new Selection(Optional.of(GpuAttach.DEVICE_NODES), found + ", no NVIDIA Container Toolkit runtime"
          + (evidence.cdiSpec().isPresent() ? " and an engine without CDI" : " and no CDI specification")
          + "; the driver libraries from " + evidence.driverFolder().get() + " (" + evidence.driverFolderSource() + ")");
    }
    return new Selection(Optional.empty(), found + " but no driver library to mount and no NVIDIA Container Toolkit"
        + " runtime: " + evidence.driverFolderSource());
  }

  /** The per-GPU nodes ({@code /dev/nvidia0}, ...), as opposed to control, UVM, modeset and caps. */
  static boolean isGpuNode(String path) {
    return path.matches("/dev/nvidia[0-9]+");
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** This machine. */
  static final View LOCAL = new View() {

    @Override
    public List<String> nvidiaDeviceNodes() {
      List<String> nodes = new ArrayList<>();
      addDevices(Path.of("/dev"), nodes);
      addDevices(Path.of("/dev/nvidia-caps"), nodes);
      return nodes;
    }

    private void addDevices(Path folder, List<String> nodes) {
      if (!Files.isDirectory(folder)) {
        return;
      }
      try (Stream<Path> entries = Files.list(folder)) {
        entries.filter(p -> p.toString().startsWith("/dev/nvidia"))
            .filter(p -> {
              try {
                return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
              } catch (IOException e) {
                return false;
              }
            })
            .forEach(p -> nodes.add(p.toString()));
      } catch (IOException e) {
        // Unreadable: as good as no nodes.
      }
    }

    @Override
    public Optional<String> ldconfigCache() {
      for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig")) {
        try {
          Process process = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
          String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) {
            return Optional.of(out);
          }
        } catch (IOException e) {
          // Try the next location.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Optional.empty();
        }
      }
      return Optional.empty();
    }

    @Override
    public boolean isFile(String path) {
      return Files.isRegularFile(Path.of(path));
    }

    @Override
    public String realPath(String path) {
      try {
        return Path.of(path).toRealPath().toString();
      } catch (IOException e) {
        return path;
      }
    }

    @Override
    public List<String> list(String folder) {
      Path dir = Path.of(folder);
      if (!Files.isDirectory(dir)) {
        return List.of();
      }
      try (Stream<Path> entries = Files.list(dir)) {
        return entries.map(p -> p.getFileName().toString()).sorted().toList();
      } catch (IOException e) {
        return List.of();
      }
    }
  };
}
