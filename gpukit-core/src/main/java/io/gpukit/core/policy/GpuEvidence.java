package io.gpukit.core.policy;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;

/**
 * Why gpukit treats one part of a file as GPU: a Dockerfile stage, a workflow job, a Kubernetes
 * container, or a whole file named in {@code gpukit.yaml} or used by a GPU artifact elsewhere.
 *
 * <pre>{@code
 * Dockerfile:1:1: stage 'runtime' is GPU: its base image 'nvidia/cuda:13.0.1-runtime-ubuntu24.04' is a CUDA image
 * }</pre>
 *
 * @param subject what is GPU, e.g. {@code stage 'runtime'}, {@code job 'test'},
 *     {@code Deployment/llm container 'server'}, {@code the image}
 * @param reason why, e.g. {@code it asks for nvidia.com/gpu}
 * @param location where the evidence is written
 * @param strength whether this evidence alone makes the subject GPU
 * @since 0.2.0
 */
public record GpuEvidence(String subject, String reason, SourceLocation location, Strength strength) {

  /** How much one piece of evidence says. */
  public enum Strength {
    /**
     * Enough on its own: a CUDA or ROCm base image, {@code --gpus}, {@code nvidia-smi}, {@code
     * CUDA_VISIBLE_DEVICES}, a GPU resource request, a GPU runner, a configured probe command, a
     * {@code gpukit.yaml} entry.
     */
    STRONG,
    /** A hint that never decides alone: a file or job name that mentions CUDA or a GPU. */
    WEAK
  }

  /** Validates the fields. */
  public GpuEvidence {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(strength, "strength");
  }

  /** Strong evidence. */
  public static GpuEvidence strong(String subject, String reason, SourceLocation location) {
    return new GpuEvidence(subject, reason, location, Strength.STRONG);
  }

  /** Weak evidence. */
  public static GpuEvidence weak(String subject, String reason, SourceLocation location) {
    return new GpuEvidence(subject, reason, location, Strength.WEAK);
  }

  /** Whether this evidence alone makes its subject GPU. */
  public boolean isStrong() {
    return strength == Strength.STRONG;
  }

  /** {@code file:line:col: subject is GPU: reason} (weak evidence says "hints at GPU"). */
  public String render() {
    return location.render() + ": " + subject + (isStrong() ? " is GPU: " : " hints at GPU: ") + reason;
  }
}
