package io.gpukit.junit.image;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The root filesystem of a {@link LocalBaseImage}: the runtime, the tools and extra files, the
 * shared libraries they need as the host's {@code ldd} reports them, the accounts and {@code /tmp}.
 */
final class RootFsAssembly {

  private static final Logger LOG = LoggerFactory.getLogger(LocalBaseImage.class);

  private final RootFsLayer layer = new RootFsLayer();
  private final List<Path> elfFiles = new ArrayList<>();
  private final Path runtime;

  private RootFsAssembly(Path runtime) {
    this.runtime = runtime;
  }

  /**
   * Assembles the layer.
   *
   * @param runtime the {@code jlink}ed runtime, or null for an image without Java
   * @param tools the host executables, mirrored at their own paths
   * @param extraFiles host files by their path in the image
   * @param account the unprivileged account
   */
  static RootFsLayer assemble(Path runtime, Collection<Path> tools, Map<String, Path> extraFiles, Account account)
      throws IOException {
    RootFsAssembly assembly = new RootFsAssembly(runtime);
    assembly.addRuntime();
    for (Path tool : tools) {
      assembly.layer.mirror(tool);
      assembly.elfFiles.add(tool.toRealPath());
    }
    for (Map.Entry<String, Path> file : extraFiles.entrySet()) {
      assembly.layer.copy(file.getValue(), file.getKey());
      if (SharedLibraries.isElf(file.getValue().toRealPath())) {
        assembly.elfFiles.add(file.getValue().toRealPath());
      }
    }
    assembly.addLibraries();
    assembly.addAccounts(account);
    return assembly.layer;
  }

  /** The unprivileged account: name, and uid equal to its gid. */
  record Account(String name, int uid) {
  }

  private void addRuntime() throws IOException {
    if (runtime == null) {
      return;
    }
    layer.copyTree(runtime, LocalBaseImage.JAVA_HOME_IN_IMAGE);
    try (var paths = Files.walk(runtime)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (SharedLibraries.isElf(p)) {
          elfFiles.add(p);
        }
      }
    }
  }

  private void addLibraries() throws IOException {
    Path realRuntime = runtime == null ? null : runtime.toRealPath();
    Set<String> missing = new LinkedHashSet<>();
    Set<Path> libraries = new LinkedHashSet<>();
    for (Path elf : elfFiles) {
      SharedLibraries.Result result = SharedLibraries.of(elf);
      for (Path library : result.libraries()) {
        // The runtime's own libraries are already in the image, found through $ORIGIN.
        if (realRuntime == null || !library.toRealPath().startsWith(realRuntime)) {
          libraries.add(library);
        }
      }
      missing.addAll(result.notFound());
    }
    for (Path library : libraries) {
      layer.mirror(library);
    }
    if (realRuntime != null) {
      missing.removeIf(name -> existsIn(realRuntime, name));
    }
    if (!missing.isEmpty()) {
      LOG.warn("ldd found no {} on this host; programs that need them will not start in the image", missing);
    }
  }

  private void addAccounts(Account account) {
    String name = account.name();
    int uid = account.uid();
    layer.file("/etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\n"
        + name + ":x:" + uid + ":" + uid + "::/home/" + name + ":/bin/sh\n");
    layer.file("/etc/group", 0644, "root:x:0:\n" + name + ":x:" + uid + ":\n");
    layer.file("/etc/nsswitch.conf", 0644, "passwd: files\ngroup: files\nhosts: files\n");
    layer.directory("/root", 0700, 0, 0);
    layer.directory("/home/" + name, 0755, uid, uid);
    layer.directory("/tmp", 01777, 0, 0);
  }

  private static boolean existsIn(Path runtime, String libraryName) {
    try (var paths = Files.walk(runtime)) {
      return paths.anyMatch(p -> p.getFileName().toString().equals(libraryName));
    } catch (IOException e) {
      return false;
    }
  }
}
