package io.gpukit.junit.image;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One layer and its configuration written in the {@code docker save} layout and loaded through
 * the Engine API: {@code docker load} takes the configuration from it, which is how {@code ENV},
 * {@code USER} and labels are set without a build (an import could not carry them).
 */
final class ImageArchive {

  /**
   * The image's configuration.
   *
   * @param env the variables, {@code NAME=value}
   * @param user the default user ({@code ""}: root)
   * @param cmd the default command
   * @param recipe the recipe digest, labelled {@value LocalBaseImage#RECIPE_LABEL}
   * @param createdBy the history entry's {@code created_by}
   */
  record Config(List<String> env, String user, List<String> cmd, String recipe, String createdBy) {

    /** The configuration JSON of an image whose one layer has this diff id. */
    String json(String diffId) {
      String created = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
      return "{\"architecture\":" + quote(architecture()) + ",\"os\":\"linux\",\"created\":" + quote(created)
          + ",\"config\":{\"Env\":" + array(env) + ",\"User\":" + quote(user)
          + ",\"WorkingDir\":\"/\",\"Cmd\":" + array(cmd)
          + ",\"Labels\":{" + quote(LocalBaseImage.RECIPE_LABEL) + ":" + quote(recipe) + "}}"
          + ",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + quote("sha256:" + diffId) + "]}"
          + ",\"history\":[{\"created\":" + quote(created) + ",\"created_by\":" + quote(createdBy) + "}]}";
    }
  }

  private ImageArchive() {
  }

  /** Writes the layer and configuration as an image tagged {@code imageTag}, loads it and checks the tag. */
  static void load(DockerClient docker, String imageTag, RootFsLayer layer, Config config) throws IOException {
    Path work = Files.createTempDirectory("gpukit-base-image-");
    try {
      Path layerTar = work.resolve("layer.tar");
      MessageDigest digest = sha256Digest();
      try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(layerTar)), digest)) {
        layer.writeTo(out);
      }
      String diffId = HexFormat.of().formatHex(digest.digest());
      byte[] configJson = config.json(diffId).getBytes(StandardCharsets.UTF_8);
      String configName = configName(configJson);
      Path archive = writeArchive(work, imageTag, diffId, configJson);
      Files.delete(layerTar);
      try (InputStream in = Files.newInputStream(archive)) {
        docker.loadImageCmd(in).exec();
      }
      String expectedId = "sha256:" + configName.substring(0, configName.length() - ".json".length());
      String actualId = inspect(docker, imageTag).map(InspectImageResponse::getId).orElse(null);
      if (!expectedId.equals(actualId)) {
        throw new IllegalStateException("the Docker engine did not tag the loaded image as '" + imageTag
            + "' (expected " + expectedId + ", found " + actualId + ")");
      }
    } finally {
      JlinkRuntime.deleteTree(work);
    }
  }

  /** The configuration's file name in the archive: its digest, which is also the image's id. */
  private static String configName(byte[] config) {
    return HexFormat.of().formatHex(sha256Digest().digest(config)) + ".json";
  }

  /** Writes {@code image.tar} in {@code work} around the {@code layer.tar} there. */
  private static Path writeArchive(Path work, String imageTag, String diffId, byte[] config) throws IOException {
    Path archive = work.resolve("image.tar");
    Path layerTar = work.resolve("layer.tar");
    String configName = configName(config);
    String layerName = diffId + "/layer.tar";
    byte[] manifest = ("[{\"Config\":" + quote(configName) + ",\"RepoTags\":[" + quote(imageTag)
        + "],\"Layers\":[" + quote(layerName) + "]}]").getBytes(StandardCharsets.UTF_8);
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new BufferedOutputStream(Files.newOutputStream(archive)))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      putBytes(tar, "manifest.json", manifest);
      putBytes(tar, configName, config);
      TarArchiveEntry directory = new TarArchiveEntry(diffId + "/");
      tar.putArchiveEntry(directory);
      tar.closeArchiveEntry();
      TarArchiveEntry entry = new TarArchiveEntry(layerName);
      entry.setSize(Files.size(layerTar));
      tar.putArchiveEntry(entry);
      try (InputStream in = Files.newInputStream(layerTar)) {
        in.transferTo(tar);
      }
      tar.closeArchiveEntry();
      tar.finish();
    }
    return archive;
  }

  /** The image under this name, if the engine has one. */
  static Optional<InspectImageResponse> inspect(DockerClient docker, String image) {
    try {
      return Optional.of(docker.inspectImageCmd(image).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private static String architecture() {
    String arch = System.getProperty("os.arch", "");
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      default -> arch;
    };
  }

  private static void putBytes(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  /** The SHA-256 of a file's content, in hex. */
  static String sha256(Path file) throws IOException {
    MessageDigest digest = sha256Digest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private static String array(List<String> values) {
    return values.stream().map(ImageArchive::quote).collect(Collectors.joining(",", "[", "]"));
  }

  /** A JSON string, escaped by Jackson as every other JSON gpukit writes. */
  static String quote(String value) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + '"';
  }
}
