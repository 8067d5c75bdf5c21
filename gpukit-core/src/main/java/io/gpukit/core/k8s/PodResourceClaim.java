package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a pod's {@code spec.resourceClaims}: a name the containers use in {@code
 * resources.claims}, and the claim or claim template it stands for. Both shapes are read: {@code
 * resourceClaimTemplateName} / {@code resourceClaimName} (Kubernetes 1.31 and later) and {@code
 * source: {resourceClaimTemplateName: …}} (before).
 *
 * @param name the entry's {@code name}
 * @param templateName the {@code ResourceClaimTemplate} it names, if any
 * @param claimName the {@code ResourceClaim} it names, if any
 * @param location where the entry is written
 * @since 0.2.0
 */
public record PodResourceClaim(
    String name, Optional<String> templateName, Optional<String> claimName, SourceLocation location) {

  /** Validates the fields. */
  public PodResourceClaim {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(templateName, "templateName");
    Objects.requireNonNull(claimName, "claimName");
    Objects.requireNonNull(location, "location");
  }

  /** {@code ResourceClaimTemplate/name} or {@code ResourceClaim/name}, for messages. */
  public String target() {
    return templateName.map(t -> ResourceClaimTemplate.KIND + "/" + t)
        .or(() -> claimName.map(c -> ResourceClaim.KIND + "/" + c))
        .orElse("(nothing)");
  }
}
