package io.gpukit.junit.image;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The entries of a single-layer root filesystem, written as an uncompressed tar.
 *
 * <p>Entries are keyed by their absolute container path and written in sorted order, so parents
 * come before children and the same inputs always produce the same bytes.
 */
final class RootFsLayer {

  /** Fixed modification time: the layer's bytes depend only on its contents. */
  private static final Instant MTIME = Instant.parse("2000-01-01T00:00:00Z");
  private static final int MAX_SYMLINK_HOPS = 40;

  private enum Kind { DIRECTORY, FILE, SYMLINK }

  private record Entry(Kind kind, int mode, int uid, int gid, Path source, byte[] content, String linkTarget) {
  }

  private final Map<String, Entry> entries = new TreeMap<>();

  /** Adds a directory (and its missing parents). */
  void directory(String containerPath, int mode, int uid, int gid) {
    String path = normalize(containerPath);
    ensureParents(path);
    Entry existing = entries.get(path);
    if (existing != null && existing.kind() != Kind.DIRECTORY) {
      throw new IllegalArgumentException("'" + path + "' is already in the image as a " + existing.kind());
    }
    entries.put(path, new Entry(Kind.DIRECTORY, mode, uid, gid, null, null, null));
  }

  /** Adds a file with the given bytes, owned by root. */
  void file(String containerPath, int mode, byte[] content) {
    put(containerPath, new Entry(Kind.FILE, mode, 0, 0, null, content.clone(), null));
  }

  /** Adds a file with the given text (UTF-8), owned by root. */
  void file(String containerPath, int mode, String content) {
    file(containerPath, mode, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Adds a host file's content (following symlinks) at a container path, keeping its permissions. */
  void copy(Path hostFile, String containerPath) throws IOException {
    Path real = hostFile.toRealPath();
    if (!Files.isRegularFile(real)) {
      throw new IllegalArgumentException("'" + hostFile + "' is not a regular file");
    }
    put(containerPath, new Entry(Kind.FILE, modeOf(real), 0, 0, real, null, null));
  }

  /** Adds a host directory tree at a container path, following symlinks inside it. */
  void copyTree(Path hostDirectory, String containerPath) throws IOException {
    Path root = hostDirectory.toRealPath();
    try (var paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        String relative = root.relativize(p).toString();
        String target = relative.isEmpty() ? containerPath : containerPath + "/" + relative;
        if (Files.isDirectory(p)) {
          directory(target, 0755, 0, 0);
        } else {
          copy(p, target);
        }
      }
    }
  }

  /**
   * Adds a host path at the same place in the image, replaying every symlink met on the way
   * (for example {@code /bin -> usr/bin}, {@code /usr/bin/sh -> dash}) so that both the link
   * and its target exist in the image, as they do on the host.
   */
  void mirror(Path hostPath) throws IOException {
    mirror(hostPath.toAbsolutePath().normalize(), 0);
  }

  private void mirror(Path path, int hops) throws IOException {
    if (hops > MAX_SYMLINK_HOPS) {
      throw new IOException("too many symbolic links resolving '" + path + "'");
    }
    Path current = path.getRoot();
    int count = path.getNameCount();
    for (int i = 0; i < count; i++) {
      Path next = current.resolve(path.getName(i));
      if (Files.isSymbolicLink(next)) {
        Path target = Files.readSymbolicLink(next);
        put(next.toString(), new Entry(Kind.SYMLINK, 0777, 0, 0, null, null, target.toString()));
        Path resolved = (target.isAbsolute() ? target : current.resolve(target)).normalize();
        mirror(i + 1 < count ? resolved.resolve(path.subpath(i + 1, count)) : resolved, hops + 1);
        return;
      }
      if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("'" + next + "' does not exist on this host");
      }
      if (Files.isDirectory(next, LinkOption.NOFOLLOW_LINKS)) {
        if (!entries.containsKey(next.toString())) {
          directory(next.toString(), 0755, 0, 0);
        }
      } else {
        copy(next, next.toString());
      }
      current = next;
    }
  }

  boolean contains(String containerPath) {
    return entries.containsKey(normalize(containerPath));
  }

  /** Writes the layer as an uncompressed tar. */
  void writeTo(OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      String name = e.getKey().substring(1);
      Entry entry = e.getValue();
      TarArchiveEntry header = switch (entry.kind()) {
        case DIRECTORY -> new TarArchiveEntry(name + "/");
        case SYMLINK -> new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        case FILE -> new TarArchiveEntry(name);
      };
      header.setMode(entry.mode() | switch (entry.kind()) {
        case DIRECTORY -> 040000;
        case SYMLINK -> 0120000;
        case FILE -> 0100000;
      });
      header.setIds(entry.uid(), entry.gid());
      header.setModTime(MTIME.toEpochMilli());
      if (entry.kind() == Kind.SYMLINK) {
        header.setLinkName(entry.linkTarget());
      }
      if (entry.kind() == Kind.FILE) {
        header.setSize(entry.content() != null ? entry.content().length : Files.size(entry.source()));
      }
      tar.putArchiveEntry(header);
      if (entry.kind() == Kind.FILE) {
        if (entry.content() != null) {
          tar.write(entry.content());
        } else {
          try (InputStream in = Files.newInputStream(entry.source())) {
            in.transferTo(tar);
          }
        }
      }
      tar.closeArchiveEntry();
    }
    tar.finish();
    tar.flush();
  }

  private void put(String containerPath, Entry entry) {
    String path = normalize(containerPath);
    ensureParents(path);
    Entry existing = entries.get(path);
    if (existing != null && existing.kind() == Kind.DIRECTORY) {
      throw new IllegalArgumentException("'" + path + "' is already a directory in the image");
    }
    entries.put(path, entry);
  }

  private void ensureParents(String path) {
    int slash = path.indexOf('/', 1);
    while (slash > 0) {
      String parent = path.substring(0, slash);
      Entry existing = entries.get(parent);
      if (existing == null) {
        entries.put(parent, new Entry(Kind.DIRECTORY, 0755, 0, 0, null, null, null));
      } else if (existing.kind() == Kind.SYMLINK) {
        throw new IllegalArgumentException("'" + path + "' would go through the symbolic link '" + parent
            + "' -> '" + existing.linkTarget() + "' in the image; use the link's target path instead");
      } else if (existing.kind() == Kind.FILE) {
        throw new IllegalArgumentException("'" + parent + "' is a file in the image, not a directory");
      }
      slash = path.indexOf('/', slash + 1);
    }
  }

  private static String normalize(String containerPath) {
    if (!containerPath.startsWith("/")) {
      throw new IllegalArgumentException("container path '" + containerPath + "' must be absolute");
    }
    String normalized = Path.of(containerPath).normalize().toString();
    if (normalized.equals("/") || normalized.contains("..")) {
      throw new IllegalArgumentException("container path '" + containerPath + "' must name a file below '/'");
    }
    return normalized;
  }

  private static int modeOf(Path file) throws IOException {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      int mode = 0;
      for (PosixFilePermission p : permissions) {
        mode |= 1 << (8 - p.ordinal());
      }
      return mode;
    } catch (UnsupportedOperationException e) {
      return Files.isExecutable(file) ? 0755 : 0644;
    }
  }
}
