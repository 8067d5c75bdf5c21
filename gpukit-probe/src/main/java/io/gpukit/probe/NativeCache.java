package io.gpukit.probe;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Chooses where JavaCPP extracts its native libraries. JavaCPP's default is
 * {@code ~/.javacpp/cache}, which does not exist for an unprivileged container user without a home
 * on a read-only root file system. Unless {@code org.bytedeco.javacpp.cachedir} is set already, a
 * private directory under {@code java.io.tmpdir} is used whenever the home directory is not
 * writable.
 *
 * <p>The cold probe also looks in the chosen directory for the JNI libraries of this jar, already
 * extracted (by an earlier run, or at image build time by {@code --cds-training}). When every one
 * is there with the size and CRC-32 of its jar entry, JavaCPP is told to load them in place
 * ({@code org.bytedeco.javacpp.cacheLibraries=false}, {@code org.bytedeco.javacpp.pathsFirst=true},
 * their directories first on {@code java.library.path}) instead of going through its cache. That
 * is what makes a read-only directory work at all: JavaCPP's {@code Loader.getCacheDir()} skips a
 * cache directory it cannot write to and falls back to {@code ~/.javacpp/cache} or
 * {@code java.io.tmpdir}, which may be a {@code noexec} tmpfs. It also spares every later run
 * JavaCPP's per-library cache bookkeeping (jar entry time stamps, which initialise the time-zone
 * database, canonical paths, the lock file).
 */
final class NativeCache {

  static final String CACHEDIR_PROPERTY = "org.bytedeco.javacpp.cachedir";

  static final String CACHE_LIBRARIES_PROPERTY = "org.bytedeco.javacpp.cacheLibraries";
  static final String PATHS_FIRST_PROPERTY = "org.bytedeco.javacpp.pathsFirst";

  /** The JNI libraries the probe loads, below {@code org/bytedeco/}, per platform. */
  static final String[] JNI_LIBRARIES = {
    "javacpp/%s/libjnijavacpp.so",
    "cuda/%s/libjnicudart.so",
    "cuda/%s/libjninvml.so",
    "cuda/%s/libjnicublas.so",
  };

  private static Choice configured;
  /** What {@link #chosen} picked, before {@link #configure} adds to it. */
  private static Choice chosen;

  private NativeCache() {}

  /** The outcome: the directory, and why it was chosen. */
  record Choice(Path directory, String reason) {
    String describe() {
      return "cachedir=" + directory + " (" + reason + ")";
    }
  }

  /** The directory {@link #configure} chose, or {@code null} before it ran (or when it failed). */
  static synchronized Path configuredDirectory() {
    return configured == null ? null : configured.directory();
  }

  /** Configures the system property for this JVM; call before JavaCPP's {@code Loader} is used. */
  static synchronized Choice configure() throws IOException {
    return configure(false);
  }

  /**
   * As {@link #configure()}; with {@code inPlace} (the cold probe only: it changes JavaCPP's
   * process-wide settings, which a service embedding the heartbeat must keep) also loads verified,
   * already extracted JNI libraries in place. Must run before JavaCPP's {@code Loader} class is
   * initialised, which reads those settings once.
   */
  static synchronized Choice configure(boolean inPlace) throws IOException {
    if (configured != null) {
      return configured; // the property is ours now; report the original reason
    }
    Choice choice = chosen();
    System.setProperty(CACHEDIR_PROPERTY, choice.directory().toString());
    if (inPlace && System.getProperty(CACHE_LIBRARIES_PROPERTY) == null
        && System.getProperty("org.bytedeco.javacpp.cachelibraries") == null) {
      choice = loadInPlace(choice, jarOfThisClass(), platform());
    }
    configured = choice;
    return choice;
  }

  /**
   * The directory for this JVM, chosen once (the early CUDA start asks before the checks'
   * {@link #configure} does, and both must see the same one); sets no property.
   */
  static synchronized Choice chosen() throws IOException {
    if (chosen == null) {
      chosen = choose(
          System.getProperty(CACHEDIR_PROPERTY),
          System.getProperty("user.home"),
          Path.of(System.getProperty("java.io.tmpdir", "/tmp")),
          System.getProperty("user.name", "user"));
    }
    return chosen;
  }

  /**
   * When {@code choice}'s directory holds every JNI library of {@code jar} for {@code platform},
   * each matching its jar entry, points JavaCPP at them and says so in the returned choice;
   * otherwise leaves JavaCPP alone, and says why only where that matters (a directory JavaCPP will
   * not use because it cannot write to it).
   */
  static Choice loadInPlace(Choice choice, Path jar, String platform) {
    Path dir = choice.directory();
    boolean writable = Files.isWritable(dir);
    String missing = verifyExtracted(dir, jar, platform);
    if (missing == null) {
      Path base = dir.resolve(jar.getFileName().toString()).resolve("org/bytedeco");
      String libraryPath = base.resolve("javacpp").resolve(platform) + java.io.File.pathSeparator
          + base.resolve("cuda").resolve(platform);
      String old = System.getProperty("java.library.path", "");
      System.setProperty("java.library.path",
          old.isEmpty() ? libraryPath : libraryPath + java.io.File.pathSeparator + old);
      System.setProperty(CACHE_LIBRARIES_PROPERTY, "false");
      if (System.getProperty(PATHS_FIRST_PROPERTY) == null
          && System.getProperty("org.bytedeco.javacpp.pathsfirst") == null) {
        System.setProperty(PATHS_FIRST_PROPERTY, "true");
      }
      return new Choice(dir, choice.reason() + "; JNI libraries verified there, loaded in place"
          + (writable ? "" : " (read-only)"));
    }
    if (writable || !Files.isDirectory(dir)) {
      return choice; // JavaCPP extracts them there as usual
    }
    return new Choice(dir, choice.reason() + "; read-only and " + missing
        + ", so JavaCPP extracts to ~/.javacpp/cache or java.io.tmpdir instead");
  }

  /**
   * {@code null} when every JNI library of {@code jar} for {@code platform} lies below {@code dir}
   * where JavaCPP's {@code Loader.cacheResource} puts it ({@code DIR/JAR-FILE-NAME/ENTRY}) with the
   * size and CRC-32 of its entry; otherwise what is wrong.
   */
  static String verifyExtracted(Path dir, Path jar, String platform) {
    if (jar == null) {
      return "not running from a jar";
    }
    if (platform == null) {
      return "no JNI libraries for this platform";
    }
    Path base = dir.resolve(jar.getFileName().toString());
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (String lib : JNI_LIBRARIES) {
        String name = "org/bytedeco/" + lib.replace("%s", platform);
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
          return name + " is not in the jar";
        }
        Path file = base.resolve(name);
        if (!Files.isRegularFile(file)) {
          return file.getFileName() + " is not extracted there";
        }
        if (Files.size(file) != entry.getSize() || crc32(file) != entry.getCrc()) {
          return file.getFileName() + " there differs from the jar's";
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return "the JNI libraries cannot be verified (" + e + ")";
    }
  }

  /** A plain stream: {@code FileChannel.map} would spin method handles on first use. */
  static long crc32(Path file) throws IOException {
    try (java.io.FileInputStream in = new java.io.FileInputStream(file.toFile())) {
      CRC32 crc = new CRC32();
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        crc.update(buf, 0, n);
      }
      return crc.getValue();
    }
  }

  /**
   * JavaCPP's platform name ({@code Loader.getPlatform()}) for the two platforms whose JNI
   * libraries the jar carries, without initialising {@code Loader}; {@code null} for others.
   */
  static String platform() {
    String configured = System.getProperty("org.bytedeco.javacpp.platform");
    if (configured != null) {
      return configured;
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!os.startsWith("linux")) {
      return null;
    }
    if (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86-64")) {
      return "linux-x86_64";
    }
    if (arch.startsWith("aarch64") || arch.startsWith("arm64")) {
      return "linux-arm64";
    }
    return null;
  }

  /** The jar this class was loaded from, or {@code null} (classes in a directory, in tests). */
  static Path jarOfThisClass() {
    try {
      var source = NativeCache.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      Path p = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(p) ? p : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
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
