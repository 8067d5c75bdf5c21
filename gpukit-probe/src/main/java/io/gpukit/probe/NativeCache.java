package io.gpukit.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;

/**
 * Chooses where JavaCPP extracts its native libraries. JavaCPP's default is
 * {@code ~/.javacpp/cache}, which does not exist for an unprivileged container user without a home
 * on a read-only root file system. Unless {@code org.bytedeco.javacpp.cachedir} is set already, a
 * private directory under {@code java.io.tmpdir} is used whenever the home directory is not
 * writable.
 */
final class NativeCache {

  static final String CACHEDIR_PROPERTY = "org.bytedeco.javacpp.cachedir";

  private static Choice configured;

  private NativeCache() {}

  /** The outcome: the directory, and why it was chosen. */
  record Choice(Path directory, String reason) {
    String describe() {
      return "cachedir=" + directory + " (" + reason + ")";
    }
  }

  /** Configures the system property for this JVM; call before JavaCPP's {@code Loader} is used. */
  static synchronized Choice configure() throws IOException {
    if (configured != null) {
      return configured; // the property is ours now; report the original reason
    }
    Choice choice = choose(
        System.getProperty(CACHEDIR_PROPERTY),
        System.getProperty("user.home"),
        Path.of(System.getProperty("java.io.tmpdir", "/tmp")),
        System.getProperty("user.name", "user"));
    System.setProperty(CACHEDIR_PROPERTY, choice.directory().toString());
    configured = choice;
    return choice;
  }

  static Choice choose(String configured, String userHome, Path tmp, String userName)
      throws IOException {
    if (configured != null && !configured.isBlank()) {
      return new Choice(Path.of(configured), "set by -D" + CACHEDIR_PROPERTY);
    }
    if (userHome != null && !userHome.isBlank() && !userHome.equals("?")) {
      Path home = Path.of(userHome);
      Path javacpp = home.resolve(".javacpp");
      if (Files.isDirectory(javacpp) ? Files.isWritable(javacpp) : Files.isWritable(home)) {
        return new Choice(javacpp.resolve("cache"), "JavaCPP's default under user.home");
      }
    }
    return new Choice(privateDirectory(tmp, userName), "user.home is not writable");
  }

  /**
   * A directory only this user can write to, so that nobody else can plant a library in it: reused
   * between runs when it is ours and private, a fresh one otherwise.
   */
  private static Path privateDirectory(Path tmp, String userName) throws IOException {
    String suffix = userName == null ? "" : userName.toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9_.-]", "");
    Object uid = currentUid();
    Path dir = tmp.resolve("gpukit-probe-javacpp-" + (uid != null ? uid : suffix));
    Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(owner));
      return dir;
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
      return dir;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      if (isPrivateAndOurs(dir, uid)) {
        return dir;
      }
      return Files.createTempDirectory(tmp, "gpukit-probe-javacpp-");
    }
  }

  private static boolean isPrivateAndOurs(Path dir, Object uid) {
    try {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !Files.isWritable(dir)) {
        return false;
      }
      if (uid != null && !uid.equals(Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS))) {
        return false;
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
      return !perms.contains(PosixFilePermission.GROUP_WRITE)
          && !perms.contains(PosixFilePermission.OTHERS_WRITE);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  private static Object currentUid() {
    try {
      return Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }
}
