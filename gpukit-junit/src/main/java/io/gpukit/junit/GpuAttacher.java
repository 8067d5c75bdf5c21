package io.gpukit.junit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.Info;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * How a {@link GpuContainer} gets its GPUs: the strategy and GPUs asked, worked out against the
 * host when the container is configured (never before), and applied to its create command.
 */
final class GpuAttacher {

  /** The daemon's answer to a {@code gpu} device request when the NVIDIA Container Toolkit is missing. */
  static final String NO_TOOLKIT_ERROR = "could not select device driver \"\" with capabilities: [[gpu]]";
  /** The same, also when quoted inside the JSON of an error response ({@code \"\"}). */
  private static final Pattern NO_TOOLKIT_PATTERN = Pattern.compile(
      "could not select device driver \\\\?\"\\\\?\" with capabilities: \\[\\[gpu]]");
  static final String NO_TOOLKIT_EXPLANATION = "this Docker host has no NVIDIA Container Toolkit: install it, or use"
      + " GpuAttach.DEVICE_NODES";

  private GpuAttach attach;
  private String gpus = "all";
  private GpuHost.View hostView = GpuHost.LOCAL;
  private Supplier<GpuHost.Engine> engine;
  private GpuHost.Selection selection;
  private Attachment attachment = Attachment.NONE;

  /** Asks the engine for its hint only when {@link GpuAttach#AUTO} needs it. */
  GpuAttacher(Supplier<GpuHost.Engine> engineHint) {
    this.engine = engineHint;
  }

  /** Asks for these GPUs this way; checked now, worked out at {@link #resolve()}. */
  void ask(GpuAttach how, String gpus) {
    this.attach = Objects.requireNonNull(how, "how");
    GpuSelector.parse(gpus);
    this.gpus = gpus.strip();
  }

  /** A fake host and engine hint, for tests. */
  void onHost(GpuHost.View view, GpuHost.Engine engineHint) {
    this.hostView = view;
    this.engine = () -> engineHint;
  }

  /** The strategy chosen and why; {@code null} before a start or when no GPU is asked for. */
  Optional<GpuHost.Selection> selection() {
    return Optional.ofNullable(selection);
  }

  Attachment attachment() {
    return attachment;
  }

  /**
   * Works out the attachment on the host, at each start.
   *
   * @throws AttachmentException when the GPUs cannot be attached as asked
   */
  void resolve() {
    if (attach == null) {
      selection = null;
      attachment = Attachment.NONE;
      return;
    }
    GpuHost.Evidence evidence = GpuHost.gather(hostView,
        attach == GpuAttach.AUTO ? engine : () -> GpuHost.Engine.UNKNOWN);
    selection = attach == GpuAttach.AUTO ? GpuHost.choose(evidence)
        : new GpuHost.Selection(Optional.of(attach), attach + " as asked");
    GpuAttach resolved = selection.attach().orElseThrow(() -> new AttachmentException(
        "GpuAttach.AUTO found no way to attach a GPU: " + selection.reason(), null));
    try {
      attachment = Attachment.of(resolved, GpuSelector.parse(gpus), evidence);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new AttachmentException(e.getMessage(), e);
    }
  }

  /** Adds the attachment to the create command; {@code imageEnv} reads a variable of the image. */
  void apply(CreateContainerCmd cmd, UnaryOperator<String> imageEnv) {
    if (attachment == Attachment.NONE) {
      return;
    }
    cmd.withHostConfig(Attachment.withAttachment(cmd.getHostConfig(), attachment));
    if (attachment.libraryPath() != null) {
      String[] env = cmd.getEnv() == null ? new String[0] : cmd.getEnv();
      boolean own = Arrays.stream(env).anyMatch(entry -> entry.startsWith("LD_LIBRARY_PATH="));
      // The container's variable replaces the image's, so start from the image's unless overridden.
      cmd.withEnv(Attachment.envWithLibraryPath(env, own ? null : imageEnv.apply("LD_LIBRARY_PATH"),
          attachment.libraryPath()));
    }
  }

  /** The fix for a known Docker error anywhere in the cause chain, or empty. */
  static Optional<String> explain(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && NO_TOOLKIT_PATTERN.matcher(t.getMessage()).find()) {
        return Optional.of(NO_TOOLKIT_EXPLANATION + " (the daemon said: " + NO_TOOLKIT_ERROR + ")");
      }
    }
    return Optional.empty();
  }

  /** A variable of the image's configuration, or null where the image is not inspectable yet or lacks it. */
  static String imageEnv(DockerClient docker, String image, String name) {
    try {
      InspectImageResponse inspected = docker.inspectImageCmd(image).exec();
      if (inspected.getConfig() == null || inspected.getConfig().getEnv() == null) {
        return null;
      }
      for (String entry : inspected.getConfig().getEnv()) {
        if (entry.startsWith(name + "=")) {
          return entry.substring(name.length() + 1);
        }
      }
      return null;
    } catch (RuntimeException e) {
      // Not inspectable yet (to be pulled): the container's own variable, if any, is all we know.
      return null;
    }
  }

  /** The runtimes and version the engine reports: a hint for {@link GpuAttach#AUTO}, never proof. */
  static GpuHost.Engine engineHint(Supplier<DockerClient> docker) {
    try {
      Info info = docker.get().infoCmd().exec();
      return GpuHost.Engine.of(info.getRuntimes() == null ? null : info.getRuntimes().keySet(), info.getServerVersion());
    } catch (RuntimeException e) {
      return GpuHost.Engine.UNKNOWN;
    }
  }

  /** The GPUs cannot be attached as asked on this host; thrown at start, before any container exists. */
  static final class AttachmentException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    AttachmentException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
