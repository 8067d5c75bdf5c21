package io.gpukit.core.k8s;

import io.gpukit.core.internal.IdentityMemo;
import io.gpukit.core.policy.GpuEvidence;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which containers and workloads use a GPU, and why: shared by the rules, the assertions, the
 * rollout simulator and the project view.
 *
 * <p>A container uses a GPU on its own evidence when it asks for {@code nvidia.com/gpu}, {@code
 * amd.com/gpu} or a share of a GPU (a MIG slice, {@code nvidia.com/gpu.shared}, a Volcano {@code
 * volcano.sh/vgpu-number}, or the size of a share: HAMi's {@code nvidia.com/gpumem}, {@code
 * nvidia.com/gpumem-percentage}, {@code nvidia.com/gpucores}, Volcano's {@code
 * volcano.sh/vgpu-memory}, {@code volcano.sh/vgpu-cores}) in limits or requests, when one of its probes runs a GPU probe, when its image is a CUDA or ROCm image, when
 * {@code gpukit.yaml} lists its image under {@code gpu.images}, or when its {@code
 * resources.claims} name a pod claim that resolves, in the same manifests, to a ResourceClaim or
 * ResourceClaimTemplate with a GPU device class (Dynamic Resource Allocation).
 *
 * <p>When no container of a pod has evidence of its own, the pod speaks for its main containers
 * (init containers excluded): a GPU fraction asked for with the Run:ai (or KAI scheduler)
 * annotation {@code gpu-fraction} or {@code gpu-memory} on the pod, or its placement: a {@code nodeSelector} or required node affinity on a GPU
 * node label ({@code nvidia.com/gpu.product}, {@code cloud.google.com/gke-accelerator}, {@code
 * amd.com/gpu.family}, {@code karpenter.k8s.aws/instance-gpu-count}…), a toleration of the {@code
 * nvidia.com/gpu} or {@code amd.com/gpu} taint, or the file being listed under {@code gpu.paths}.
 * DaemonSets are the exception: one that selects GPU nodes is a node agent (the device plugin, the
 * DCGM exporter, a driver installer) and deliberately asks for no GPU. A file under {@code
 * gpu.not-paths} has no GPU container.
 *
 * <pre>{@code
 * GpuContainers gpu = GpuContainers.in(manifests, config);
 * for (Workload w : manifests.workloads()) {
 *   gpu.of(w).forEach(c -> System.out.println(gpu.evidence(w, c)));
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class GpuContainers {

  /** One piece of evidence, and whose GPU it speaks of. */
  private record Found(GpuEvidence evidence, GpuVendor vendor) {}

  /**
   * How one container's {@code resources.claims} entry resolves: to the pod claim of that name and
   * to the ResourceClaim or ResourceClaimTemplate it names, when these manifests define it.
   *
   * @param reference the container's entry
   * @param podClaim the pod's {@code resourceClaims} entry of that name, if there is one
   * @param claim the claim or claim template the pod claim names, if these manifests define it
   * @since 0.2.0
   */
  public record ClaimUse(ClaimReference reference, Optional<PodResourceClaim> podClaim, Optional<DeviceClaim> claim) {

    /** Validates the fields. */
    public ClaimUse {
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(podClaim, "podClaim");
      Objects.requireNonNull(claim, "claim");
    }

    /** Whether gpukit could follow the claim to its device requests. */
    public boolean isResolved() {
      return claim.isPresent();
    }

    /** The GPU device requests the container gets through this claim (one request when narrowed). */
    public List<DeviceRequest> gpuRequests() {
      return claim.map(DeviceClaim::gpuRequests).orElse(List.of()).stream()
          .filter(r -> reference.request().isEmpty() || reference.request().get().equals(r.name()))
          .toList();
    }
  }

  private final List<Resource> resources;
  private final GpuKitConfig config;

  private GpuContainers(List<? extends Resource> resources, GpuKitConfig config) {
    this.resources = List.copyOf(resources);
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * The GPU view of one manifest file: claims resolve within it. {@code gpu.paths} and {@code
   * gpu.not-paths} of {@code gpukit.yaml} apply to each workload by the file it is written in.
   */
  public static GpuContainers in(Manifests manifests, GpuKitConfig config) {
    return MEMO.get(manifests, config, () -> new GpuContainers(manifests.resources(), config));
  }

  /** Every rule of a check asks for the same file's view: it is built once. */
  private static final IdentityMemo<Manifests, GpuContainers> MEMO = new IdentityMemo<>(64);

  /**
   * The GPU view of documents from any number of files (the project view): claims resolve across
   * them, {@code gpu.paths} and {@code gpu.not-paths} apply file by file.
   */
  public static GpuContainers across(List<? extends Resource> resources, GpuKitConfig config) {
    return new GpuContainers(resources, config);
  }

  // --- the view ---

  /** Why a container of a workload uses a GPU, in the order found; empty when it does not. */
  public List<GpuEvidence> evidence(Workload workload, Container container) {
    return found(workload, container).stream().map(Found::evidence).toList();
  }

  /**
   * Every GPU container's evidence, in file order: workload by workload, container by container
   * (init containers first), each container's reasons by where they are written.
   */
  public List<GpuEvidence> evidence() {
    List<GpuEvidence> out = new ArrayList<>();
    for (Resource r : resources) {
      if (r instanceof Workload w) {
        Stream.concat(w.template().initContainers().stream(), w.template().containers().stream())
            .forEach(c -> evidence(w, c).stream().sorted((a, b) -> compare(a.location(), b.location())).forEach(out::add));
      }
    }
    return out;
  }

  /** Whether a container of a workload uses a GPU. */
  public boolean isGpu(Workload workload, Container container) {
    return !found(workload, container).isEmpty();
  }

  /** The GPU containers of a workload (init containers excluded), in order. */
  public List<Container> of(Workload workload) {
    return workload.template().containers().stream().filter(c -> isGpu(workload, c)).toList();
  }

  /** Whether any container of a workload uses a GPU. */
  public boolean isGpuWorkload(Workload workload) {
    return !of(workload).isEmpty();
  }

  /** Why a container uses a GPU, reasons joined for a message: {@code it asks for nvidia.com/gpu, …}. */
  public String why(Workload workload, Container container) {
    return found(workload, container).stream().map(f -> f.evidence().reason()).distinct()
        .collect(Collectors.joining(", "));
  }

  /**
   * Whether a GPU container's GPU is AMD's: some evidence is AMD's ({@code amd.com/gpu}, a ROCm
   * image, an AMD node label or taint, an AMD device class) and none is NVIDIA's.
   */
  public boolean isAmd(Workload workload, Container container) {
    List<Found> found = found(workload, container);
    return found.stream().anyMatch(f -> f.vendor() == GpuVendor.AMD) && found.stream().noneMatch(f -> f.vendor() == GpuVendor.NVIDIA);
  }

  /** The GPU extended resource a GPU container should ask for: {@code amd.com/gpu} for an AMD one. */
  public String gpuResourceFor(Workload workload, Container container) {
    return container.resources().gpuResource()
        .orElse(isAmd(workload, container) ? Resources.AMD_GPU : Resources.NVIDIA_GPU);
  }

  /** How each of a container's {@code resources.claims} resolves, in order. */
  public List<ClaimUse> claims(Workload workload, Container container) {
    List<ClaimUse> out = new ArrayList<>();
    for (ClaimReference ref : container.resources().claims()) {
      Optional<PodResourceClaim> pod = workload.template().resourceClaim(ref.name());
      Optional<DeviceClaim> claim = pod.flatMap(this::resolve);
      out.add(new ClaimUse(ref, pod, claim));
    }
    return out;
  }

  /**
   * Whether a container gets a share of a GPU that needs no whole {@code nvidia.com/gpu} limit: it
   * sizes a share ({@link Resources#GPU_SHARE_RESOURCES}), or its pod asks for a fraction with a
   * sharing scheduler's annotation ({@link PodTemplate#GPU_SHARE_ANNOTATIONS}).
   *
   * @since 0.2.0
   */
  public boolean sharesGpu(Workload workload, Container container) {
    return !container.resources().gpuShares().isEmpty()
        || (!workload.template().gpuShareAnnotations().isEmpty() && workload.template().containers().contains(container));
  }

  /** Whether a container gets a GPU through Dynamic Resource Allocation. */
  public boolean claimsGpu(Workload workload, Container container) {
    return claims(workload, container).stream().anyMatch(u -> !u.gpuRequests().isEmpty());
  }

  /**
   * Whether a container names a claim gpukit cannot follow (defined in another file, or generated):
   * it may get its GPU that way, so it is not told to ask for one as an extended resource.
   */
  public boolean hasUnresolvedClaim(Workload workload, Container container) {
    return claims(workload, container).stream().anyMatch(u -> !u.isResolved());
  }

  private Optional<DeviceClaim> resolve(PodResourceClaim pod) {
    for (Resource r : resources) {
      if (r instanceof ResourceClaimTemplate t && pod.templateName().filter(t.name()::equals).isPresent()) {
        return Optional.of(t);
      }
      if (r instanceof ResourceClaim c && pod.claimName().filter(c.name()::equals).isPresent()) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /**
   * The runtime that completes a partial workload's pod ({@link Workload#runtimeRef()}), when these
   * manifests define it: a runtime workload of one of the reference's kinds and its name, in the same
   * namespace or none.
   *
   * @since 0.2.0
   */
  public Optional<Workload> runtimeOf(Workload partial) {
    Optional<RuntimeRef> ref = partial.runtimeRef();
    if (ref.isEmpty() || ref.get().name().isEmpty()) {
      return Optional.empty();
    }
    for (Resource r : resources) {
      if (r instanceof Workload w && w.runtime() && ref.get().kinds().contains(w.kind())
          && w.name().equals(ref.get().name().get())
          && (w.namespace().isEmpty() || partial.namespace().isEmpty() || w.namespace().equals(partial.namespace()))) {
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }

  /** The runtime's container that a partial workload's container completes: the same name, else the first. */
  public Optional<Container> runtimeContainer(Workload runtime, Container partial) {
    List<Container> cs = runtime.template().containers();
    return cs.stream().filter(c -> c.name().equals(partial.name())).findFirst().or(() -> cs.stream().findFirst());
  }

  private List<Found> found(Workload w, Container c) {
    if (declared(w).filter(d -> !d).isPresent()) {
      return List.of();
    }
    String subject = subject(w, c);
    List<Found> own = own(subject, c, config);
    own.addAll(claimed(subject, w, c));
    if (own.isEmpty() && w.isPartial()) {
      runtimeOf(w).flatMap(rt -> runtimeContainer(rt, c).map(rc -> Map.entry(rt, rc))).ifPresent(e -> {
        List<Found> rt = own("", e.getValue(), config);
        if (rt.isEmpty()) {
          rt = placement("", e.getKey()); // a runtime placed on GPU nodes runs GPU models
        }
        String reasons = rt.stream().map(f -> f.evidence().reason()).distinct().collect(Collectors.joining(", "));
        if (!rt.isEmpty()) {
          own.add(found(subject, "its runtime " + e.getKey().resourceName() + " is GPU (" + reasons + ")",
              w.runtimeRef().get().location(), GpuVendor.EITHER));
        }
      });
    }
    if (own.isEmpty() && w.runtime() && w.template().containers().contains(c)) {
      for (Resource r : resources) {
        if (r instanceof Workload user && user.isPartial() && runtimeOf(user).filter(w::equals).isPresent()) {
          user.template().containers().stream()
              .filter(uc -> runtimeContainer(w, uc).filter(c::equals).isPresent())
              .filter(uc -> !uc.resources().gpuResources().isEmpty() || !uc.resources().gpuShares().isEmpty())
              .findFirst()
              .ifPresent(uc -> own.add(found(subject, user.displayName() + " asks for "
                  + String.join(", ", uc.resources().gpuResources()) + " for it", c.location(), GpuVendor.EITHER)));
        }
      }
    }
    if (!own.isEmpty() || !w.template().containers().contains(c) || w.kind().equals("DaemonSet")) {
      return own;
    }
    boolean siblingsSpeak = w.template().containers().stream()
        .anyMatch(s -> s != c && (!own(subject, s, config).isEmpty() || !claimed(subject, w, s).isEmpty()));
    return siblingsSpeak ? own : placement(subject, w);
  }

  /** What gpukit.yaml's gpu.paths and gpu.not-paths say of the file the workload is written in. */
  private Optional<Boolean> declared(Workload w) {
    return config.declaredGpu(w.location().file());
  }

  private static String subject(Workload w, Container c) {
    return w.displayName() + " container '" + c.name() + "'";
  }

  /** Evidence a container carries itself (no pod, no claims). */
  private static List<Found> own(String subject, Container c, GpuKitConfig config) {
    List<Found> out = new ArrayList<>();
    Resources r = c.resources();
    for (String resource : r.gpuResources()) {
      r.locationOf(resource).ifPresent(at -> out.add(found(subject, "it asks for " + resource, at,
          resource.equals(Resources.AMD_GPU) ? GpuVendor.AMD : GpuVendor.NVIDIA)));
    }
    for (String share : r.gpuShares()) {
      r.locationOf(share).ifPresent(at -> out.add(found(subject, "it asks for a share of a GPU (" + share + ")", at,
          GpuVendor.NVIDIA)));
    }
    probes(c).filter(p -> ProbeKind.of(p, config) == ProbeKind.GPU_PROBE && p.action() instanceof ProbeAction.Exec)
        .findFirst()
        .ifPresent(p -> out.add(found(subject, "a probe runs a GPU probe", p.location(), GpuVendor.EITHER)));
    if (c.image().isCuda()) {
      out.add(found(subject, "its image '" + c.image().raw() + "' is a CUDA image", c.imageLocation(), GpuVendor.NVIDIA));
    }
    if (c.image().isRocm()) {
      out.add(found(subject, "its image '" + c.image().raw() + "' is a ROCm image", c.imageLocation(), GpuVendor.AMD));
    }
    if (config.isGpuImage(c.image().raw())) {
      out.add(found(subject, "gpukit.yaml lists its image under gpu.images", c.imageLocation(), GpuVendor.EITHER));
    }
    return out;
  }

  private List<Found> claimed(String subject, Workload w, Container c) {
    List<Found> out = new ArrayList<>();
    for (ClaimUse use : claims(w, c)) {
      List<DeviceRequest> gpu = use.gpuRequests();
      if (!gpu.isEmpty()) {
        String classes = gpu.stream().map(DeviceRequest::deviceClassName).distinct()
            .map(n -> "'" + n + "'").collect(Collectors.joining(", "));
        out.add(found(subject, "it claims '" + use.reference().name() + "' (" + use.claim().get().displayName()
                + ", device class " + classes + ")", use.reference().location(),
            gpu.stream().allMatch(DeviceRequest::isAmd) ? GpuVendor.AMD : GpuVendor.EITHER));
      }
    }
    return out;
  }

  /**
   * Evidence of the pod: a GPU fraction its annotations ask for, GPU node labels it requires, GPU
   * taints it tolerates, gpu.paths.
   */
  private List<Found> placement(String subject, Workload w) {
    List<Found> out = new ArrayList<>();
    w.template().gpuShareAnnotations().forEach((key, value) -> out.add(found(subject,
        "its pod asks for a share of a GPU with the annotation '" + key + ": " + value + "' (Run:ai, KAI scheduler)",
        w.template().annotationLocations().getOrDefault(key, w.template().location()), GpuVendor.NVIDIA)));
    for (GpuPlacement.Hint hint : GpuPlacement.of(w.template())) {
      out.add(found(subject, hint.reason(), hint.location(), hint.vendor()));
    }
    if (declared(w).orElse(false)) {
      out.add(found(subject, "gpukit.yaml lists this file under gpu.paths", w.location(), GpuVendor.EITHER));
    }
    return out;
  }

  private static int compare(SourceLocation a, SourceLocation b) {
    return a.line() != b.line() ? Integer.compare(a.line(), b.line()) : Integer.compare(a.column(), b.column());
  }

  private static Found found(String subject, String reason, SourceLocation at, GpuVendor vendor) {
    return new Found(GpuEvidence.strong(subject, reason, at), vendor);
  }

  // --- one container or one workload on its own ---

  /**
   * Why a container uses a GPU on its own evidence (no pod placement, no claims), or empty when it
   * does not.
   */
  public static Optional<String> why(Container container, GpuKitConfig config) {
    List<Found> found = own("", container, config);
    return found.isEmpty() ? Optional.empty()
        : Optional.of(found.stream().map(f -> f.evidence().reason()).collect(Collectors.joining(", ")));
  }

  /** Whether a container uses a GPU on its own evidence (no pod placement, no claims). */
  public static boolean isGpuContainer(Container container, GpuKitConfig config) {
    return why(container, config).isPresent();
  }

  /** The GPU containers of a workload read on its own (claims in other documents not followed), in order. */
  public static List<Container> of(Workload workload, GpuKitConfig config) {
    return across(List.of(workload), config).of(workload);
  }

  /** Whether any container of a workload read on its own uses a GPU. */
  public static boolean isGpuWorkload(Workload workload, GpuKitConfig config) {
    return !of(workload, config).isEmpty();
  }

  /** The container's probes that are set: readiness, liveness, startup. */
  static Stream<Probe> probes(Container c) {
    return Stream.of(c.readinessProbe(), c.livenessProbe(), c.startupProbe()).flatMap(Optional::stream);
  }
}
