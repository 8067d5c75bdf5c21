package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a pod spec puts its pod, read as GPU evidence: a {@code nodeSelector} or a required node
 * affinity on a label only GPU nodes carry, or a toleration of a GPU taint. Selectors that keep a
 * pod off GPU nodes ({@code NotIn}, {@code DoesNotExist}, {@code "false"}), preferred affinity and
 * terms that also admit other nodes say nothing.
 */
final class GpuPlacement {

  /** Node label keys that only GPU nodes carry (matched case-insensitively). */
  private static final Pattern GPU_NODE_LABEL = Pattern.compile(
      "(?i)nvidia\\.com/gpu(\\..*)?|(.*\\.)?amd\\.com/gpu(\\..*)?|cloud\\.google\\.com/gke-accelerator"
          + "|karpenter\\.k8s\\.aws/instance-gpu-.*|kubernetes\\.azure\\.com/accelerator");

  /** Label values that say "no GPU here". */
  private static final Set<String> NO = Set.of("false", "0", "none", "");

  /** The taints GPU node pools carry. */
  private static final Set<String> GPU_TAINTS = Set.of(Resources.NVIDIA_GPU, Resources.AMD_GPU);

  /** One reason the pod lands on GPU nodes. */
  record Hint(String reason, SourceLocation location, GpuVendor vendor) {}

  private GpuPlacement() {}

  /** The pod spec's GPU placement, by where it is written. */
  static List<Hint> of(PodTemplate t) {
    List<Hint> out = new ArrayList<>();
    t.nodeSelector().forEach((key, value) -> {
      if (GPU_NODE_LABEL.matcher(key).matches() && !NO.contains(value.toLowerCase(Locale.ROOT))) {
        out.add(new Hint("its pod selects GPU nodes with nodeSelector '" + key + ": " + value + "'",
            t.nodeSelectorLocations().getOrDefault(key, t.location()), vendorOfLabel(key, List.of(value))));
      }
    });
    List<Optional<NodeRequirement>> terms = t.requiredNodeAffinity().stream()
        .map(term -> term.stream().filter(GpuPlacement::requiresGpuLabel).findFirst()).toList();
    if (!terms.isEmpty() && terms.stream().allMatch(Optional::isPresent)) {
      NodeRequirement first = terms.get(0).get();
      out.add(new Hint("its pod requires GPU nodes with node affinity on '" + first.key() + "'", first.location(),
          vendorOfLabel(first.key(), first.values())));
    }
    for (Toleration tol : t.tolerations()) {
      if (GPU_TAINTS.contains(tol.key())) {
        out.add(new Hint("its pod tolerates the '" + tol.key() + "' taint of GPU nodes", tol.location(),
            tol.key().equals(Resources.AMD_GPU) ? GpuVendor.AMD : GpuVendor.NVIDIA));
      }
    }
    out.sort(Comparator.comparing(Hint::location)); // one pod template: one file
    return out;
  }

  /** Whether a requirement holds only on GPU nodes: In a GPU value, Exists, or Gt a count. */
  private static boolean requiresGpuLabel(NodeRequirement r) {
    if (!GPU_NODE_LABEL.matcher(r.key()).matches()) {
      return false;
    }
    return switch (r.operator()) {
      case "Exists" -> true;
      case "In" -> r.values().stream().anyMatch(v -> !NO.contains(v.toLowerCase(Locale.ROOT)));
      case "Gt" -> r.values().stream().anyMatch(v -> !v.strip().startsWith("-"));
      default -> false; // NotIn, DoesNotExist keep GPU nodes away; Lt may mean no GPU at all
    };
  }

  private static GpuVendor vendorOfLabel(String key, List<String> values) {
    String k = key.toLowerCase(Locale.ROOT);
    String v = String.join(" ", values).toLowerCase(Locale.ROOT);
    if (k.contains("amd.com/") || (k.startsWith("karpenter.") && v.contains("amd"))) {
      return GpuVendor.AMD;
    }
    if (k.startsWith("nvidia.com/") || v.contains("nvidia")) {
      return GpuVendor.NVIDIA;
    }
    return GpuVendor.EITHER;
  }
}
