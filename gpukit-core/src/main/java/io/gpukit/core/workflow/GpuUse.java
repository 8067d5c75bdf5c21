package io.gpukit.core.workflow;

import io.gpukit.core.internal.GpuImages;
import io.gpukit.core.internal.IdentityMemo;
import io.gpukit.core.policy.GpuEvidence.Strength;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a job shows that it uses a GPU, and how surely.
 *
 * <p>Strong: {@code --gpus}, {@code --runtime nvidia}, {@code --device nvidia.com/gpu}, {@code
 * /dev/kfd}, {@code /dev/dri}, {@code nvidia-smi}, {@code rocm-smi}, devices named in {@code
 * CUDA_VISIBLE_DEVICES}, {@code HIP_VISIBLE_DEVICES} or {@code ROCR_VISIBLE_DEVICES} (in a command
 * or an {@code env}), GPU-only serving flags ({@code --gpu-memory-utilization}), the gpu test group
 * of Maven or Gradle, the gpukit probe or a probe command declared in {@code gpukit.yaml}, GPU
 * options of a job or service container, a GPU runtime image (CUDA, ROCm, NGC, pytorch/pytorch…) as the job container.
 *
 * <p>Weak, because CPU jobs do it too: a script or test that is GPU by its name only ({@code pytest
 * tests/test_gpu.py}, {@code --tests '*GpuIT'}), {@code nvidia-smi} behind a guard ({@code command
 * -v nvidia-smi}, {@code nvidia-smi || true}), visible devices taken from a variable, a CUDA or
 * ROCm <em>development</em> image as the job container (kernels are compiled on CPU runners).
 * Setting the visible devices to nothing ({@code CUDA_VISIBLE_DEVICES=""}, {@code -1}) hides the
 * GPUs and is no evidence at all.
 */
final class GpuUse {

  /** The maker whose stack a piece of evidence needs. */
  enum Vendor {
    NVIDIA,
    AMD,
    ANY
  }

  /**
   * One piece of evidence.
   *
   * @param text what shows it, quoted for messages
   * @param location where it is written
   * @param strength whether it decides alone
   * @param vendor whose GPUs it needs
   * @param step the step it is in; empty for the job's container, services and env
   */
  record Found(String text, SourceLocation location, Strength strength, Vendor vendor, Optional<Step> step) {
    Found {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(strength, "strength");
      Objects.requireNonNull(vendor, "vendor");
      Objects.requireNonNull(step, "step");
    }

    boolean isStrong() {
      return strength == Strength.STRONG;
    }
  }

  private record Signal(Pattern pattern, Vendor vendor) {}

  /** A container run's flags that attach a GPU: {@code --gpus} (not {@code 0}), the NVIDIA runtime, a CDI GPU, AMD's {@code /dev/kfd}. */
  private static final Signal GPUS_FLAG =
      new Signal(Pattern.compile("--gpus(=|\\s+)(?![\"']?0[\"']?(\\s|$))\\S+"), Vendor.NVIDIA);
  private static final Signal NVIDIA_RUNTIME = new Signal(Pattern.compile("--runtime(=|\\s+)[\"']?nvidia\\b"), Vendor.NVIDIA);
  private static final Signal CDI_GPU = new Signal(Pattern.compile("--device(=|\\s+)[\"']?nvidia\\.com/gpu\\S*"), Vendor.NVIDIA);
  private static final Signal KFD_DEVICE = new Signal(Pattern.compile("--device(=|\\s+)[\"']?/dev/kfd\\b"), Vendor.AMD);
  private static final List<Signal> ATTACH = List.of(GPUS_FLAG, NVIDIA_RUNTIME, CDI_GPU, KFD_DEVICE);

  /** Strong signals in commands and container options, in the order they are looked for. */
  private static final List<Signal> STRONG =
      List.of(
          GPUS_FLAG,
          NVIDIA_RUNTIME,
          CDI_GPU,
          new Signal(Pattern.compile("(?<![\\w-])nvidia-smi\\b"), Vendor.NVIDIA),
          new Signal(Pattern.compile("-Dgroups=[\"']?([^\\s\"']*[,|&(])?gpu\\b"), Vendor.ANY),
          new Signal(Pattern.compile("(?<![\\w-])-P\\s*([\\w.-]+,)*gpu\\b"), Vendor.ANY),
          new Signal(Pattern.compile("gpukit\\.gpu\\.required\\S*"), Vendor.ANY),
          KFD_DEVICE,
          new Signal(Pattern.compile("--device(=|\\s+)[\"']?amd\\.com/gpu\\S*"), Vendor.AMD),
          new Signal(Pattern.compile("--runtime(=|\\s+)[\"']?amd\\b"), Vendor.AMD),
          new Signal(Pattern.compile("(?<![\\w-])(rocm-smi|amd-smi|rocminfo)\\b"), Vendor.AMD),
          new Signal(Pattern.compile("--device(=|\\s+)[\"']?/dev/dri\\b\\S*"), Vendor.ANY),
          new Signal(Pattern.compile("--(gpu-memory-utilization|cuda-memory-fraction)\\b"), Vendor.ANY));

  /** A GPU test picked by its name only. */
  private static final Pattern TESTS_BY_NAME = Pattern.compile("(?i)--tests\\s+[\"']?[^\\s\"']*gpu[^\\s\"']*");

  /** A GPU tool that may be missing without failing the step: the line lets it fail, or tests it first. */
  private static final Pattern GUARDED_LINE =
      Pattern.compile("(?x) (nvidia-smi|rocm-smi|amd-smi|rocminfo)[^|;&\\n]*\\|\\| | ^\\s*(if|elif|while|until)\\s");
  private static final Pattern PRESENCE_TEST =
      Pattern.compile(
          "(command\\s+-v|which|type(\\s+-[pP])?|hash)\\s+[\"']?\\S*?(nvidia-smi|rocm-smi|amd-smi|rocminfo)\\b"
              + "|-[xfe]\\s+[\"']?\\S*?(nvidia-smi|rocm-smi|amd-smi|rocminfo)\\b");

  private static final Pattern VISIBLE_DEVICES =
      Pattern.compile("(?<![\\w.-])((CUDA|NVIDIA|HIP|ROCR)_VISIBLE_DEVICES)=(\"[^\"]*\"|'[^']*'|[^\\s;&|]*)");
  private static final Pattern DEVICE_LIST = Pattern.compile("(?i)\\d+(\\s*,\\s*\\d+)*|all|(GPU|MIG)-[\\w/-]+");
  private static final Pattern NO_DEVICE = Pattern.compile("(?i)|-1|none|void|NoDevFiles");


  /** The GPU vendors' own images: NVIDIA's CUDA images and AMD's ROCm images. */
  private static final Pattern VENDOR_RUNTIME =
      Pattern.compile("(?i)^(docker\\.io/)?(nvidia/cuda|nvcr\\.io/nvidia/cuda|rocm/)");

  private GpuUse() {}

  /** Whether container flags attach a GPU ({@link #ATTACH}). */
  static boolean attachesGpu(String flags) {
    return ATTACH.stream().anyMatch(sig -> sig.pattern().matcher(flags).find());
  }

  private static final IdentityMemo<Job, List<Found>> MEMO = new IdentityMemo<>(1024);

  /** Every piece of evidence in a job, in the order the job runs its steps (the job's own first); a step's evidence knows its step. Once per check. */
  static List<Found> in(Job job, GpuKitConfig config) {
    return MEMO.get(job, config, () -> find(job, config));
  }

  private static List<Found> find(Job job, GpuKitConfig config) {
    List<Found> out = new ArrayList<>();
    job.container().ifPresent(c -> {
      image(c, config).ifPresent(out::add);
      c.options().flatMap(o -> strong(o)).ifPresent(s ->
          out.add(new Found("container options '" + s.text() + "'", c.location(), Strength.STRONG, s.vendor(),
              Optional.empty())));
      c.env().forEach(e -> env(e, Optional.empty()).ifPresent(out::add));
    });
    for (Container service : job.services()) {
      service.options().flatMap(o -> strong(o)).ifPresent(s ->
          out.add(new Found("service '" + service.id().orElse("") + "' options '" + s.text() + "'",
              service.location(), Strength.STRONG, s.vendor(), Optional.empty())));
    }
    job.env().forEach(e -> env(e, Optional.empty()).ifPresent(out::add));
    for (Step step : job.steps()) {
      step.env().forEach(e -> env(e, Optional.of(step)).ifPresent(out::add));
      step.run().ifPresent(run -> out.addAll(inScript(run, step, config)));
    }
    // in the order the job runs it: a local action's steps are located in its own file
    out.sort(Comparator.comparingInt((Found f) -> f.step().map(Step::index).orElse(-1))
        .thenComparingInt(f -> f.location().line()).thenComparingInt(f -> f.location().column()));
    return List.copyOf(out);
  }

  /** A step's strongest evidence first: the first strong signal found, then the first weak one. */
  private static List<Found> inScript(String run, Step step, GpuKitConfig config) {
    String text = commandsOnly(JobTraits.joined(run));
    List<Found> out = new ArrayList<>();
    Optional<Match> strong = signal(text, false).or(() -> probe(text, config, true))
        .or(() -> visibleDevices(text, Strength.STRONG));
    Optional<Match> weak = signal(text, true).or(() -> visibleDevices(text, Strength.WEAK))
        .or(() -> probe(text, config, false)).or(() -> find(TESTS_BY_NAME, text, Vendor.ANY));
    strong.ifPresent(m -> out.add(new Found("'" + m.text() + "'", step.location(), Strength.STRONG, m.vendor(),
        Optional.of(step))));
    weak.ifPresent(m -> out.add(new Found("'" + m.text() + "'", step.location(), Strength.WEAK, m.vendor(),
        Optional.of(step))));
    return out;
  }

  private record Match(String text, Vendor vendor) {}

  /** The first strong signal, in the order of {@link #STRONG}; with {@code guarded}, the first one behind a guard. */
  private static Optional<Match> signal(String text, boolean guarded) {
    for (Signal s : STRONG) {
      Matcher m = s.pattern().matcher(text);
      while (m.find()) {
        if (isGuarded(text, m) == guarded) {
          return Optional.of(new Match(clean(m.group()), s.vendor()));
        }
      }
    }
    return Optional.empty();
  }

  /** The first strong signal of container options. */
  private static Optional<Match> strong(String options) {
    return signal(options, false);
  }

  private static Optional<Match> find(Pattern p, String text, Vendor vendor) {
    Matcher m = p.matcher(text);
    return m.find() ? Optional.of(new Match(clean(m.group()), vendor)) : Optional.empty();
  }

  private static String clean(String matched) {
    return matched.strip().replaceAll("[\"']", "");
  }

  /**
   * Whether a {@code nvidia-smi} or {@code rocm-smi} may be missing without failing the step: its
   * line lets it fail ({@code || true}, {@code if nvidia-smi; then}), or the script tests for it
   * ({@code command -v nvidia-smi}, {@code [ -x /usr/bin/nvidia-smi ]}).
   */
  private static boolean isGuarded(String text, Matcher m) {
    String tool = m.group();
    if (!tool.endsWith("-smi") && !tool.equals("rocminfo")) {
      return false;
    }
    Matcher test = PRESENCE_TEST.matcher(text);
    while (test.find()) {
      if (tool.equals(test.group(3)) || tool.equals(test.group(4))) {
        return true;
      }
    }
    int start = text.lastIndexOf('\n', m.start()) + 1;
    int end = text.indexOf('\n', m.start());
    String line = text.substring(start, end < 0 ? text.length() : end);
    return GUARDED_LINE.matcher(line).find();
  }

  /**
   * A probe command: the gpukit probe and the commands declared under {@code gpu.probe-commands}
   * are strong; the default patterns that know a smoke test by its file name only are weak.
   */
  private static Optional<Match> probe(String text, GpuKitConfig config, boolean strong) {
    for (String line : text.lines().toList()) {
      for (Pattern p : config.gpuProbeCommands()) {
        if (byNameOnly(p) == strong) {
          continue;
        }
        Matcher m = p.matcher(line);
        while (m.find()) {
          if (runs(line, m.start())) {
            return Optional.of(new Match(line.strip(), Vendor.ANY));
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Where a simple command of a shell line starts: after a separator, a subshell or a keyword. */
  private static final Pattern COMMAND_START =
      Pattern.compile("(;|&&|\\|\\||\\||\\$\\(|\\(|`|\\{\\s|(?<![\\w-])(then|do|else|if|elif|while|until)\\s)");
  /** A build tool's module list that the probe's name is in: {@code -pl gpukit-probe}. */
  private static final Pattern MODULE_OPTION = Pattern.compile("(-pl|--projects)(=|\\s+)[\\w,:.-]*$");
  /** A closed {@code $(…)}, {@code ${…}} or {@code ${{ … }}}: a word, not where a command starts. */
  private static final Pattern EXPANSION = Pattern.compile("\\$\\{\\{[^}]*}}|\\$\\{[^}]*}|\\$\\([^()]*\\)");
  /** An assignment, or a word that runs the command after it, before the command itself. */
  private static final Pattern PREFIX = Pattern.compile("(\\w+=(\"[^\"]*\"|'[^']*'|\\S*)|!|sudo|time|exec|env|nohup)\\s+");
  /**
   * Commands that look at, copy or fetch a file without running it: {@code test -f
   * gpukit-probe.jar}, {@code ls}, {@code curl -o} do not use a GPU.
   */
  private static final Set<String> FILE_COMMANDS = Set.of(
      "test", "[", "[[", "ls", "stat", "file", "cp", "mv", "rm", "mkdir", "chmod", "chown", "touch", "ln",
      "install", "sha256sum", "sha512sum", "sha1sum", "md5sum", "du", "wc", "find", "cat", "head", "tail", "curl",
      "wget", "unzip", "zip", "tar", "jar", "realpath", "readlink", "basename", "dirname", "rsync", "scp", "echo",
      "printf", "grep", "diff", "cmp", "gh");

  /**
   * Whether the probe named at {@code at} is run: the simple command that names it is not one that
   * only looks at, copies or fetches a file ({@link #FILE_COMMANDS}).
   */
  private static boolean runs(String line, int at) {
    String before = EXPANSION.matcher(line.substring(0, at)).replaceAll("x");
    if (MODULE_OPTION.matcher(before).find()) {
      return false; // ./mvnw -pl gpukit-probe package builds the probe's module
    }
    Matcher m = COMMAND_START.matcher(before);
    int start = 0;
    while (m.find()) {
      start = m.end();
    }
    String command = before.substring(start).stripLeading();
    Matcher prefix = PREFIX.matcher(command);
    while (prefix.lookingAt()) {
      command = command.substring(prefix.end());
      prefix = PREFIX.matcher(command);
    }
    String word = command.isEmpty() ? "" : command.split("\\s+", 2)[0];
    if (word.isEmpty()) {
      return true; // the probe is the command
    }
    String name = word.substring(word.lastIndexOf('/') + 1);
    return !FILE_COMMANDS.contains(name);
  }

  private static boolean byNameOnly(Pattern p) {
    return !p.pattern().contains("gpukit") && GpuKitConfig.DEFAULT_GPU_PROBE_COMMANDS.stream()
        .anyMatch(d -> d.pattern().equals(p.pattern()) && d.flags() == p.flags());
  }

  private static Optional<Match> visibleDevices(String text, Strength wanted) {
    Matcher m = VISIBLE_DEVICES.matcher(text);
    while (m.find()) {
      Optional<Strength> s = devices(m.group(3));
      if (s.isPresent() && s.get() == wanted) {
        return Optional.of(new Match(clean(m.group()), vendorOf(m.group(1))));
      }
    }
    return Optional.empty();
  }

  private static Optional<Found> env(Entry e, Optional<Step> step) {
    if (!e.key().matches("(CUDA|NVIDIA|HIP|ROCR)_VISIBLE_DEVICES")) {
      return Optional.empty();
    }
    return devices(e.value()).map(s -> new Found(
        "env " + e.key() + "=" + e.value().strip(), e.location(), s, vendorOf(e.key()), step));
  }

  /** What a visible-devices value says: devices (strong), a variable (weak), or none at all. */
  private static Optional<Strength> devices(String value) {
    String v = value.strip().replaceAll("^[\"']|[\"']$", "").strip();
    if (NO_DEVICE.matcher(v).matches()) {
      return Optional.empty();
    }
    return Optional.of(DEVICE_LIST.matcher(v).matches() ? Strength.STRONG : Strength.WEAK);
  }

  private static Vendor vendorOf(String variable) {
    return variable.startsWith("HIP") || variable.startsWith("ROCR") ? Vendor.AMD : Vendor.NVIDIA;
  }

  /**
   * The job container's image, when it is a GPU image ({@link GpuImages#family}: CUDA, ROCm, NGC,
   * {@code pytorch/pytorch}, vLLM…) or one {@code gpu.images} lists: weak for a development
   * (toolchain) image. A templated tag ({@code nvidia/cuda:${{ matrix.cuda }}-devel-ubuntu22.04})
   * still names its repository.
   */
  private static Optional<Found> image(Container c, GpuKitConfig config) {
    String image = c.image().strip();
    if (image.isEmpty()) {
      return Optional.empty();
    }
    Optional<GpuImages.Family> family = GpuImages.family(image);
    if (family.isEmpty()) {
      return config.isGpuImage(image)
          ? Optional.of(new Found("container image '" + image + "' (gpu.images in gpukit.yaml)", c.location(),
              Strength.STRONG, Vendor.ANY, Optional.empty()))
          : Optional.empty();
    }
    Vendor vendor = family.get() == GpuImages.Family.ROCM ? Vendor.AMD : Vendor.NVIDIA;
    if (GpuImages.development(image).isPresent()) {
      return Optional.of(new Found("container image '" + image + "' (a toolchain image, which also builds on CPU runners)",
          c.location(), Strength.WEAK, vendor, Optional.empty()));
    }
    if (!VENDOR_RUNTIME.matcher(image).find()) {
      // pytorch/pytorch (with a CUDA tag or not), NGC frameworks, vLLM: their CPU code paths run unit tests on
      // hosted runners too; only the vendors' own runtime images say the job needs a GPU
      return Optional.of(new Found("container image '" + image + "' (a framework image, which also runs on CPU)",
          c.location(), Strength.WEAK, vendor, Optional.empty()));
    }
    return Optional.of(new Found("container image '" + image + "'", c.location(), Strength.STRONG, vendor, Optional.empty()));
  }

  /** The script without comment lines and lines that only print text ({@code echo}, {@code printf}). */
  private static String commandsOnly(String run) {
    StringBuilder sb = new StringBuilder();
    for (String line : run.lines().toList()) {
      String t = line.strip();
      if (!t.startsWith("#") && !t.startsWith("echo ") && !t.startsWith("printf ")) {
        sb.append(line).append('\n');
      }
    }
    return sb.toString();
  }
}
