package io.gpukit.core.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an image reference says about GPUs, decided once for the Dockerfile, workflow, Kubernetes
 * and project checks: whether it is a CUDA, ROCm or other GPU image, which CUDA {@code major.minor}
 * it carries, whether it is a development (toolchain) image, and whether it is a placeholder rather
 * than a reference. Words are read in the repository and the tag (never the registry host or the
 * digest), separated by {@code - _ . / :}. Not API.
 */
public final class GpuImages {

  /** What kind of GPU image a reference names. */
  public enum Family {
    /** A CUDA image: {@code nvidia/cuda}, a {@code cuda} or {@code cudnn} word, a CUDA version in the tag. */
    CUDA,
    /** A ROCm image (AMD GPUs): a {@code rocm} repository component or word. */
    ROCM,
    /** Another GPU image: NGC, TensorRT, Triton, vLLM, TGI, SGLang, {@code pytorch/pytorch}, a {@code gpu} tag word. */
    OTHER_GPU
  }

  private static final Pattern CUDA_WORD =
      Pattern.compile("(?:^|[-_./:])(?:cuda|cudnn\\d*|cu\\d{3}|cuda-?\\d+(?:\\.\\d+)*)(?=[-_./:]|$)");
  private static final Pattern ROCM_WORD = Pattern.compile("(?:^|[-_./:])rocm[\\d.]*(?=[-_./:]|$)");
  private static final Pattern GPU_TAG_WORD = Pattern.compile("(?:^|[-_.])gpu(?=[-_.]|$)");
  private static final Pattern DEVEL_WORD = Pattern.compile("(?:^|[-_./:])devel(?=[-_./:]|$)");
  private static final Pattern COMPLETE_WORD = Pattern.compile("(?:^|[-_.])complete(?=[-_.]|$)");
  private static final Set<String> GPU_REPOSITORY_NAMES =
      Set.of("cuda", "cudnn", "cuda-dl-base", "tensorrt", "tensorrt-llm", "tritonserver", "tritonserver-trtllm",
          "vllm", "vllm-openai", "text-generation-inference", "sglang");

  private static final Pattern NVIDIA_CUDA_TAG = Pattern.compile("^(\\d+)\\.(\\d+)");
  private static final Pattern CUDA_IN_TAG = Pattern.compile("cuda-?(\\d+)\\.(\\d+)");
  private static final Pattern CU_IN_TAG = Pattern.compile("(?:^|[-_.])cu(\\d{2})(\\d)(?=[-_.]|$)");

  /** Template syntax of the tools that fill references: shell, Make, Helm, Jinja, docs, ko. */
  private static final Pattern TEMPLATE = Pattern.compile("\\$|\\{\\{|\\}\\}|\\{%|<[^>]*>|[<>{}]|\\s|://");
  /** An all-caps tag made of words without digits ({@code IMAGE_TAG}, {@code GIT_SHA}). */
  private static final Pattern CAPS_WORDS = Pattern.compile("[A-Z]{2,}(?:_[A-Z]{2,})+");
  /** All-caps tags of one word that only a placeholder would be. */
  private static final Set<String> CAPS_PLACEHOLDERS =
      Set.of("TAG", "VERSION", "IMAGE", "SHA", "COMMIT", "PLACEHOLDER", "CHANGEME", "REPLACEME", "TODO", "TBD");

  private GpuImages() {}

  /** The GPU family a reference names, if any; ROCm wins over CUDA (a ROCm image may mention CUDA in its tag). */
  public static Optional<Family> family(String reference) {
    Words w = Words.of(reference);
    if (w == null) {
      return Optional.empty();
    }
    if (w.isRocm()) {
      return Optional.of(Family.ROCM);
    }
    if (w.isCuda()) {
      return Optional.of(Family.CUDA);
    }
    if (w.isOtherGpu()) {
      return Optional.of(Family.OTHER_GPU);
    }
    return Optional.empty();
  }

  /** Whether the reference is a GPU image: CUDA, ROCm, or another GPU image ({@link Family}). */
  public static boolean isGpu(String reference) {
    return family(reference).isPresent();
  }

  /**
   * Whether the reference is a CUDA image: {@code nvidia/cuda} or {@code nvidia/cudnn} on any registry, a
   * repository or tag word {@code cuda}, {@code cudnn}, {@code cuda12.1}, {@code cu121}, or a CUDA version.
   */
  public static boolean isCuda(String reference) {
    Words w = Words.of(reference);
    return w != null && w.isCuda();
  }

  /** Whether the reference is a ROCm image: {@code rocm/…}, a repository component or word {@code rocm}, {@code rocm6.2}. */
  public static boolean isRocm(String reference) {
    Words w = Words.of(reference);
    return w != null && w.isRocm();
  }

  /**
   * The CUDA {@code major.minor} a reference carries, when it says: the tag of {@code nvidia/cuda}
   * ({@code 12.4.1-runtime-ubuntu22.04}), {@code cuda12.1} or {@code cuda-12.1} in a tag, or a
   * PyTorch wheel tag ({@code cu121}).
   */
  public static Optional<String> cudaVersion(String reference) {
    Words w = Words.of(reference);
    return w == null ? Optional.empty() : w.cudaVersion();
  }

  /**
   * Why the reference is a development (toolchain) image, if it is: a {@code devel} word ({@code
   * nvidia/cuda:12.4.1-devel-ubuntu22.04}, {@code pytorch/pytorch:…-cudnn9-devel}), a {@code rocm/dev-*}
   * repository, or a ROCm image tagged {@code *-complete}. A {@code dev} or {@code develop} tag is a
   * branch, not a toolchain.
   */
  public static Optional<String> development(String reference) {
    Words w = Words.of(reference);
    if (w == null) {
      return Optional.empty();
    }
    if (DEVEL_WORD.matcher(w.tag).find() || DEVEL_WORD.matcher(w.repository).find()) {
      return Optional.of("a '-devel' image carries compilers and headers");
    }
    if (w.name.startsWith("dev-") && w.repository.startsWith("rocm/")
        || w.isRocm() && COMPLETE_WORD.matcher(w.tag).find()) {
      return Optional.of("a ROCm development image carries compilers and headers");
    }
    return Optional.empty();
  }

  /**
   * Whether the reference is, in whole or in part, a placeholder to be filled before use rather than
   * a reference: empty; template syntax ({@code <your-image>}, {@code {{ .Values.image }}}, {@code
   * ${IMAGE}}, {@code $(IMAGE)}, {@code $IMAGE}); words with spaces; a build tool's reference ({@code
   * ko://…}); an upper-case repository ({@code IMAGE_PLACEHOLDER}) or registry without a host name
   * ({@code REGISTRY/llm}); or an all-caps tag made of words ({@code IMAGE_TAG}, {@code TAG}). A tag
   * with digits ({@code A100_80GB}, {@code V1_0}, {@code V2}) is a real tag.
   */
  public static boolean isPlaceholder(String reference) {
    String text = reference.strip();
    if (text.isEmpty() || hasTemplateSyntax(text)) {
      return true;
    }
    ImageNames.Parts parts = ImageNames.split(text);
    if (!parts.repository().equals(parts.repository().toLowerCase(Locale.ROOT))) {
      return true;
    }
    if (parts.registry().filter(GpuImages::isCapsOnlyRegistry).isPresent()) {
      return true;
    }
    return parts.tag().filter(t -> CAPS_WORDS.matcher(t).matches() || CAPS_PLACEHOLDERS.contains(t)).isPresent();
  }

  /**
   * Whether a text has the syntax of a template that a tool fills ({@code $}, {@code {{ }}}, {@code
   * <…>}, spaces, {@code ://}), or is blank: for names that are not image references.
   */
  public static boolean hasTemplateSyntax(String text) {
    return text.isBlank() || TEMPLATE.matcher(text.strip()).find();
  }

  /** A first component that only upper case made a registry: no dot, no port, not localhost. */
  private static boolean isCapsOnlyRegistry(String registry) {
    return !registry.contains(".") && !registry.contains(":") && !registry.equals("localhost");
  }

  /** The lower-cased parts a classification reads. */
  private record Words(String registry, String repository, String name, String tag) {

    static Words of(String reference) {
      String text = reference.strip();
      if (text.isEmpty()) {
        return null;
      }
      ImageNames.Parts parts = ImageNames.split(text);
      String repo = parts.repository().toLowerCase(Locale.ROOT);
      if (repo.startsWith("library/")) {
        repo = repo.substring("library/".length());
      }
      String registry = parts.registry().map(r -> r.toLowerCase(Locale.ROOT)).orElse("");
      return new Words(registry, repo, repo.substring(repo.lastIndexOf('/') + 1),
          parts.tag().map(t -> t.toLowerCase(Locale.ROOT)).orElse(""));
    }

    boolean isCuda() {
      return CUDA_WORD.matcher(repository).find() || CUDA_WORD.matcher(tag).find() || cudaVersion().isPresent();
    }

    boolean isRocm() {
      return ROCM_WORD.matcher(repository).find() || ROCM_WORD.matcher(tag).find();
    }

    boolean isOtherGpu() {
      if (registry.equals("nvcr.io") && repository.startsWith("nvidia/")) {
        return true;
      }
      if (repository.equals("pytorch/pytorch") || GPU_TAG_WORD.matcher(tag).find()) {
        return true;
      }
      for (String component : repository.split("/")) {
        if (GPU_REPOSITORY_NAMES.contains(component)) {
          return true;
        }
      }
      return false;
    }

    Optional<String> cudaVersion() {
      if (name.equals("cuda")) {
        Matcher m = NVIDIA_CUDA_TAG.matcher(tag);
        if (m.find()) {
          return Optional.of(m.group(1) + "." + m.group(2));
        }
      }
      Matcher m = CUDA_IN_TAG.matcher(tag);
      if (m.find()) {
        return Optional.of(m.group(1) + "." + m.group(2));
      }
      Matcher cu = CU_IN_TAG.matcher(tag);
      if (cu.find()) {
        return Optional.of(Integer.parseInt(cu.group(1)) + "." + cu.group(2));
      }
      return Optional.empty();
    }
  }
}
