package io.gpukit.core.dockerfile;

import io.gpukit.core.internal.GpuImages;
import io.gpukit.core.internal.IdentityMemo;
import io.gpukit.core.policy.GpuEvidence;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.source.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a Dockerfile builds a GPU image, and whether that image is a service, with the evidence.
 * GPU rules ({@link io.gpukit.core.policy.RuleScope#GPU}) judge GPU services only; hygiene rules
 * judge every service image; a base image (no {@code CMD}, {@code ENTRYPOINT}, {@code EXPOSE} or
 * {@code HEALTHCHECK}, built to be used {@code FROM}) is not judged as a service at all.
 *
 * <p>A stage is GPU when, with strong evidence:
 *
 * <ul>
 *   <li>its base image is a CUDA, cuDNN, TensorRT, Triton or NGC ({@code nvcr.io/nvidia/…}) image, a
 *       ROCm image, a GPU serving image (vLLM, text-generation-inference), {@code pytorch/pytorch}
 *       (CUDA in every tag), an image whose tag says {@code gpu} ({@code tensorflow:2.15.0-gpu}), or
 *       one {@code gpu.images} lists; or it builds on ({@code FROM}) a GPU stage;
 *   <li>it installs GPU libraries ({@code cuda-*}, {@code libcudnn*}, {@code libnccl*}, {@code
 *       tensorrt}, {@code nvidia-*-cu12} wheels, CUDA or ROCm wheel indexes, {@code cupy-cuda*},
 *       {@code flash-attn}, {@code rocm-*});
 *   <li>it sets {@code NVIDIA_VISIBLE_DEVICES}, {@code NVIDIA_DRIVER_CAPABILITIES}, {@code
 *       CUDA_VISIBLE_DEVICES}, {@code CUDA_HOME}, {@code TORCH_CUDA_ARCH_LIST}, {@code
 *       HIP_VISIBLE_DEVICES} or {@code ROCR_VISIBLE_DEVICES};
 *   <li>its HEALTHCHECK runs a GPU probe or {@code nvidia-smi}.
 * </ul>
 *
 * <p>The image is GPU when its final stage (with the stages it builds on) is GPU, or copies files
 * from a GPU stage; when {@code gpukit.yaml} lists the file under {@code gpu.paths}; or when the
 * project view found it through other files (a GPU Deployment runs its image, a GPU CI job builds
 * it). {@code gpu.not-paths} wins over everything. A file name that says {@code gpu} or {@code cuda}
 * is weak evidence: shown, never deciding.
 *
 * @param gpu whether the image is GPU
 * @param service whether the image runs a service (not a base image meant to be built {@code FROM})
 * @param amd whether the GPU evidence is AMD's (ROCm), for which the NVIDIA gpukit probe does not fit
 * @param evidence why, strong evidence first within each stage, in file order
 * @since 0.2.0
 */
public record DockerfileScope(boolean gpu, boolean service, boolean amd, List<GpuEvidence> evidence) {

  private static final Pattern GPU_PACKAGES =
      Pattern.compile(
          "(?i)\\b(cuda-(toolkit|runtime|libraries|compiler|nvcc|cudart|drivers)[\\w.-]*|libcudnn\\d*[\\w.-]*"
              + "|libnccl\\d*[\\w.-]*|libnvinfer[\\w.-]*|tensorrt(-llm)?|nvidia-[a-z-]+-cu\\d+|cupy-cuda\\w*"
              + "|flash[-_]attn|pytorch-cuda|cudatoolkit|rocm-[a-z-]+|hip-runtime-amd|rocblas|miopen[\\w-]*)\\b"
              + "|download\\.pytorch\\.org/whl/(cu\\d+|rocm[\\d.]+)"
              + "|(torch|torchvision|torchaudio)[=<>~!]=?[\\w.]*\\+(cu\\d+|rocm[\\d.]+)");
  private static final Pattern INSTALL =
      Pattern.compile("(?i)\\b(apt-get|apt|yum|dnf|microdnf|apk|zypper|pip3?|uv\\s+pip|conda|mamba|micromamba|python3?\\s+-m\\s+pip)\\b[^;&|]*\\binstall\\b|\\bpoetry\\s+add\\b|\\buv\\s+add\\b");
  private static final Set<String> GPU_ENV =
      Set.of(
          "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES", "NVIDIA_REQUIRE_CUDA", "CUDA_VISIBLE_DEVICES",
          "CUDA_HOME", "CUDA_PATH", "TORCH_CUDA_ARCH_LIST", "HIP_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES",
          "HSA_OVERRIDE_GFX_VERSION", "PYTORCH_ROCM_ARCH");
  private static final Set<String> AMD_ENV =
      Set.of("HIP_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES", "HSA_OVERRIDE_GFX_VERSION", "PYTORCH_ROCM_ARCH");
  private static final Pattern AMD_PACKAGES = Pattern.compile("(?i)rocm|hip-runtime|rocblas|miopen");
  /** A device list that hides every GPU ({@code ""}, {@code -1}, {@code void}, {@code none}): the image runs on CPU. */
  private static final Pattern HIDES_DEVICES = Pattern.compile("(?i)[\"']{0,2}|[\"']?(-1|void|none|NoDevFiles)[\"']?");
  private static final Pattern GPU_FILE_NAME = Pattern.compile("(?i).*(gpu|cuda|nvidia|rocm|cu\\d{3}).*");

  /** Copies the evidence. */
  public DockerfileScope {
    evidence = List.copyOf(evidence);
  }

  private static final IdentityMemo<Dockerfile, DockerfileScope> MEMO = new IdentityMemo<>(64);

  /** Decides the scope of a Dockerfile under a configuration (once per check: every rule asks). */
  public static DockerfileScope of(Dockerfile dockerfile, GpuKitConfig config) {
    Objects.requireNonNull(dockerfile, "dockerfile");
    Objects.requireNonNull(config, "config");
    return MEMO.get(dockerfile, config, () -> decide(dockerfile, config));
  }

  private static DockerfileScope decide(Dockerfile dockerfile, GpuKitConfig config) {
    Stage last = dockerfile.finalStage();
    Optional<String> acrossFiles = config.gpuFileEvidence(dockerfile.path());
    boolean service = isService(dockerfile, last) || acrossFiles.isPresent();
    Optional<Boolean> declared = config.declaredGpu(dockerfile.path());
    SourceLocation start = SourceLocation.startOf(dockerfile.path());
    if (declared.isPresent() && !declared.get()) {
      return new DockerfileScope(false, service, false, List.of());
    }
    List<GpuEvidence> evidence = new ArrayList<>();
    if (declared.isPresent()) {
      evidence.add(GpuEvidence.strong("the image", "gpukit.yaml lists it under gpu.paths", start));
    }
    acrossFiles.ifPresent(why -> evidence.add(GpuEvidence.strong("the image", why, start)));
    Map<Integer, Set<Vendor>> gpuStages = new HashMap<>();
    for (Stage stage : dockerfile.stages()) {
      Set<Vendor> vendors = EnumSet.noneOf(Vendor.class);
      List<GpuEvidence> own = stageEvidence(dockerfile, stage, config, gpuStages, vendors);
      if (own.stream().anyMatch(GpuEvidence::isStrong)) {
        gpuStages.put(stage.index(), vendors);
      }
      evidence.addAll(own);
    }
    boolean gpu = declared.isPresent() || acrossFiles.isPresent();
    Set<Vendor> shipped = EnumSet.noneOf(Vendor.class);
    for (Stage s : StageView.contributors(dockerfile, last)) {
      gpu |= gpuStages.containsKey(s.index());
      shipped.addAll(gpuStages.getOrDefault(s.index(), Set.of()));
    }
    fileNameHint(dockerfile).ifPresent(evidence::add);
    boolean amd = gpu && shipped.contains(Vendor.AMD) && !shipped.contains(Vendor.NVIDIA);
    return new DockerfileScope(gpu, service, amd, evidence);
  }

  /** Whether the image is a GPU service: what the GPU rules judge. */
  public boolean isGpuService() {
    return gpu && service;
  }

  /** Whether the image is built to be used {@code FROM} (or exported), not run as a service. */
  public boolean isBaseImage() {
    return !service;
  }

  /**
   * Whether the final stage (with the stages it builds on) runs something: a {@code CMD}, {@code
   * ENTRYPOINT}, {@code EXPOSE} or {@code HEALTHCHECK}. Without any, the image is a base image meant
   * to be built {@code FROM}, or an export stage.
   */
  static boolean isService(Dockerfile dockerfile, Stage last) {
    for (Stage s : StageView.lineage(dockerfile, last)) {
      for (Instruction ins : s.instructions()) {
        if (ins instanceof Cmd || ins instanceof Entrypoint || ins instanceof Expose || ins instanceof Healthcheck) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whose GPU a piece of evidence speaks of, where it says. */
  private enum Vendor { NVIDIA, AMD }

  private static List<GpuEvidence> stageEvidence(
      Dockerfile dockerfile, Stage stage, GpuKitConfig config, Map<Integer, Set<Vendor>> gpuStages,
      Set<Vendor> vendors) {
    boolean last = stage.index() == dockerfile.stages().size() - 1;
    String subject = stage.name().map(n -> "stage '" + n + "'")
        .orElse(last ? "the final stage" : "stage " + stage.index());
    List<GpuEvidence> out = new ArrayList<>();
    ImageReference image = stage.baseImage();
    Optional<Stage> parent = StageView.parentStage(dockerfile, stage);
    if (parent.isPresent()) {
      if (gpuStages.containsKey(parent.get().index())) {
        out.add(GpuEvidence.strong(subject, "it builds on GPU stage '" + parent.get().name().orElse("") + "'",
            stage.from().location()));
        vendors.addAll(gpuStages.get(parent.get().index()));
      }
    } else if (!image.isScratch() && !image.unresolved()) {
      imageEvidence(image.resolved(), config).ifPresent(why -> {
        out.add(GpuEvidence.strong(subject, why, stage.from().location()));
        GpuImages.family(image.resolved())
            .ifPresent(f -> vendors.add(f == GpuImages.Family.ROCM ? Vendor.AMD : Vendor.NVIDIA));
      });
    }
    for (Instruction ins : stage.instructions()) {
      if (ins instanceof Run run) {
        packages(run.commandLine()).ifPresent(p -> {
          out.add(GpuEvidence.strong(subject, "it installs GPU libraries ('" + p + "')", run.location()));
          vendors.add(AMD_PACKAGES.matcher(p).find() ? Vendor.AMD : Vendor.NVIDIA);
        });
      } else if (ins instanceof Env env) {
        for (KeyValue kv : env.pairs()) {
          if (GPU_ENV.contains(kv.key()) && !HIDES_DEVICES.matcher(kv.value().strip()).matches()) {
            out.add(GpuEvidence.strong(subject, "it sets " + kv.key(), env.location()));
            vendors.add(AMD_ENV.contains(kv.key()) ? Vendor.AMD : Vendor.NVIDIA);
          }
        }
      } else if (ins instanceof Healthcheck hc && !hc.isNone()) {
        HealthcheckProbe probe = HealthcheckProbe.of(Optional.of(hc), config);
        if (probe == HealthcheckProbe.GPU_PROBE || probe == HealthcheckProbe.NVIDIA_SMI_ONLY) {
          out.add(GpuEvidence.strong(subject, "its HEALTHCHECK runs a GPU probe ('" + hc.commandLine() + "')",
              hc.location()));
        }
      }
    }
    return out;
  }

  /** Why an image reference is a GPU image, if it is one. */
  static Optional<String> imageEvidence(String reference, GpuKitConfig config) {
    if (config.isGpuImage(reference)) {
      return Optional.of("its base image '" + reference + "' is listed under gpu.images");
    }
    return GpuImages.family(reference).map(f -> "its base image '" + reference + "' is " + switch (f) {
      case ROCM -> "a ROCm image";
      case CUDA -> "a CUDA image";
      case OTHER_GPU -> "a GPU image";
    });
  }

  private static Optional<String> packages(String commandLine) {
    for (String command : commandLine.split("&&|;|\\|\\||\\n")) {
      if (!INSTALL.matcher(command).find()) {
        continue;
      }
      Matcher m = GPU_PACKAGES.matcher(command);
      if (m.find()) {
        return Optional.of(m.group());
      }
    }
    return Optional.empty();
  }

  private static Optional<GpuEvidence> fileNameHint(Dockerfile dockerfile) {
    Path name = dockerfile.path().getFileName();
    if (name == null || !GPU_FILE_NAME.matcher(name.toString()).matches()) {
      return Optional.empty();
    }
    return Optional.of(GpuEvidence.weak(
        "the image", "its file name '" + name + "' mentions a GPU", SourceLocation.startOf(dockerfile.path())));
  }
}
