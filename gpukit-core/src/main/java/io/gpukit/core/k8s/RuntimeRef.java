package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A reference from a workload that writes only part of its pod to the runtime that holds the
 * rest: a KServe InferenceService's {@code predictor.model} to a ServingRuntime or
 * ClusterServingRuntime ({@code runtime}, else the one whose {@code supportedModelFormats} name its
 * {@code modelFormat} with {@code autoSelect}), a Kubeflow TrainJob to its {@code runtimeRef}
 * (ClusterTrainingRuntime by default, or TrainingRuntime).
 *
 * @param kinds the kinds the runtime may be, in the order looked for
 * @param name the runtime's name, if the reference names one
 * @param modelFormat the model format a runtime must support, when no name is given
 * @param location where the reference is written
 * @since 0.2.0
 */
public record RuntimeRef(List<String> kinds, Optional<String> name, Optional<String> modelFormat,
    SourceLocation location) {

  /** Validates the fields and copies the list. */
  public RuntimeRef {
    kinds = List.copyOf(kinds);
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(modelFormat, "modelFormat");
    Objects.requireNonNull(location, "location");
  }

  /** {@code 'vllm-runtime'}, or {@code a runtime of model format 'huggingface'}. */
  public String describe() {
    return name.map(n -> "'" + n + "'").orElse("a runtime of model format '" + modelFormat.orElse("") + "'");
  }
}
