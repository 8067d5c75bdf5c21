package io.gpukit.core.k8s;

import io.gpukit.core.internal.ProbeCommands;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.source.SourceLocation;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Kubernetes rules. Ids are stable: they appear in reports, ignores and baselines.
 *
 * <p>Rollout rules judge Deployments and Argo Rollouts (a canary's {@code maxSurge} and {@code
 * maxUnavailable} as a Deployment's, unless a traffic router sizes the canary by weight; a
 * blueGreen by {@code k8s/gpu-rollout-needs-double}); container rules judge every pod template: of
 * Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs, bare Pods, and the custom
 * resources that run pods (Ray, LeaderWorkerSet, Kubeflow training jobs, Volcano Jobs, KServe
 * predictors and serving runtimes, Kubeflow TrainJobs and training runtimes, Argo Rollouts; see
 * {@link Workload}). A KServe model or a TrainJob writes only its part of a pod and is judged on
 * its resources ({@code k8s/gpu-limits}, found GPU through its runtime); a runtime is judged on the
 * rest, but not asked for a GPU limit or a placement, which its users write. Readiness and liveness rules judge serving pods
 * only, not batch work (Jobs, CronJobs, RayJobs, training jobs, Volcano Jobs) or run-once Pods
 * ({@code restartPolicy} {@code Never} or {@code OnFailure}), and not a Ray container's missing
 * probes, which KubeRay writes; GPU batch work gets {@code k8s/gpu-job-deadline} instead where its
 * kind has a deadline field (a run-once Pod is a smoke test or a debug session, stopped by whoever
 * started it). Rules marked {@link
 * io.gpukit.core.policy.RuleScope#GPU} judge GPU containers only. "A GPU container" is one {@link GpuContainers}
 * recognises; "a GPU Deployment" has at least one. Percentages are resolved against {@code
 * replicas} as the Deployment controller does: {@code maxSurge} rounds up, {@code maxUnavailable}
 * rounds down, both default to 25% and {@code replicas} to 1.
 *
 * <p>The ids of other tools are checked against their rule lists: kube-linter's
 * docs/generated/checks.md, kube-score's check registrations (an id is the check's name in lower
 * case with dashes), Checkov's checkov/kubernetes/checks. A cell is empty where no rule of that
 * tool matches.
 *
 * <table>
 *   <caption>Matching rules in other tools</caption>
 *   <tr><th>gpukit</th><th>kube-linter</th><th>kube-score</th><th>Checkov</th></tr>
 *   <tr><td>k8s/gpu-rolling-update</td><td>no-rolling-update-strategy</td><td>deployment-strategy</td><td></td></tr>
 *   <tr><td>k8s/gpu-probes</td><td>no-readiness-probe, no-liveness-probe</td><td>pod-probes</td><td>CKV_K8S_8, CKV_K8S_9</td></tr>
 *   <tr><td>k8s/liveness-more-tolerant</td><td></td><td>pod-probes-identical (stricter: any identical probes)</td><td></td></tr>
 *   <tr><td>k8s/image-tag</td><td>latest-tag</td><td>container-image-tag</td><td>CKV_K8S_14</td></tr>
 *   <tr><td>k8s/gpu-limits</td><td></td><td></td><td></td></tr>
 *   <tr><td>k8s/gpu-scheduling</td><td>no-node-affinity (node affinity only)</td><td></td><td></td></tr>
 *   <tr><td>k8s/run-as-non-root</td><td>run-as-non-root</td><td></td><td>CKV_K8S_23</td></tr>
 *   <tr><td>k8s/gpu-job-deadline</td><td></td><td></td><td></td></tr>
 * </table>
 *
 * @since 0.1.0
 */
public final class DeploymentRules {

  private DeploymentRules() {}

  private static final String SAFE_STRATEGY =
      "strategy:\n  type: RollingUpdate\n  rollingUpdate:\n    maxSurge: 1\n    maxUnavailable: 0";

  /**
   * A rolling update must be able to make progress: {@code maxSurge} and {@code maxUnavailable} may
   * not both be 0. Written as 0 the API server rejects the Deployment; rounded to 0 (percentages of
   * few replicas) the controller silently allows one unavailable pod instead. Hygiene: it holds for
   * every Deployment. An Argo Rollout's canary is judged the same way (the Argo Rollouts controller
   * refuses both knobs at 0 and resolves them as a Deployment's), unless it has a traffic router,
   * which sizes the canary by weight; a Rollout that writes neither or both of canary and blueGreen
   * is refused by the controller and reported.
   */
  public static final Rule<Manifests> ROLLOUT_CAN_PROGRESS =
      Rule.<Manifests>define("k8s/rollout-can-progress")
          .error()
          .describedAs("a rolling update (or an Argo Rollout's canary) should allow at least one surge or one unavailable"
              + " pod, and an Argo Rollout should have one valid strategy")
          .because(
              "With maxSurge and maxUnavailable both 0 a rollout can neither add nor remove a pod: the API"
                  + " server rejects the Deployment, and when percentages round both to 0 the controller"
                  + " quietly lets one pod be unavailable instead.")
          .example(
              "rollingUpdate:\n  maxSurge: 0\n  maxUnavailable: 0",
              "rollingUpdate:\n  maxSurge: 1\n  maxUnavailable: 0")
          .checkedBy(
              (m, findings) -> {
                for (Workload d : m.rollingWorkloads()) {
                  RolloutStrategy s = d.effectiveStrategy();
                  SourceLocation where = knobLocation(d, s);
                  Optional<String> rejected = s.apiRejection();
                  if (rejected.isPresent()) {
                    findings.report(where, d.displayName() + ": " + rejected.get() + "; " + s.rejectedBy() + " rejects it",
                        s.argo().flatMap(ArgoStrategy::invalid).isPresent()
                            ? "write one of strategy.canary or strategy.blueGreen" : "set maxSurge: 1 and maxUnavailable: 0");
                    continue;
                  }
                  if (!s.isRolling() || s.argo().filter(ArgoStrategy::trafficRouting).isPresent()) {
                    continue; // a traffic-routed canary sizes its sets by weight, not by the two knobs
                  }
                  int replicas = d.effectiveReplicas();
                  RolloutStrategy.Fenceposts f = s.resolve(replicas);
                  if (replicas > 0 && f.surge() == 0 && f.unavailable() == 0) {
                    findings.report(where,
                        d.displayName() + ": maxSurge '" + s.effectiveMaxSurge() + "' and maxUnavailable '"
                            + s.effectiveMaxUnavailable() + "' both round to 0 of " + replicas
                            + " replicas; the controller then lets 1 pod be unavailable",
                        "write absolute numbers: maxSurge: 1 and maxUnavailable: 0");
                  }
                }
              });

  /**
   * A GPU Deployment should roll with {@code maxUnavailable} 0 after rounding: every unavailable
   * pod is a GPU replica out of service, and GPU pods take minutes to become Ready. So should an
   * Argo Rollout's canary without a traffic router, whose stable set shrinks within {@code
   * maxUnavailable} (25% by default); a traffic-routed canary keeps its stable set serving and a
   * blueGreen switches only to a Ready preview set, so neither is judged.
   */
  public static final Rule<Manifests> GPU_ROLLOUT_KEEPS_CAPACITY =
      Rule.<Manifests>define("k8s/gpu-rollout-keeps-capacity")
          .error()
          .onGpuArtifactsOnly()
          .describedAs("a GPU Deployment's rolling update (or an Argo Rollout's canary) should keep every replica serving"
              + " (maxUnavailable 0)")
          .because(
              "maxUnavailable above 0 lets the controller delete a GPU pod before its replacement is Ready;"
                  + " GPU pods load models for minutes, and the freed GPU may go to another workload, so"
                  + " serving capacity drops for the whole rollout.")
          .example(
              "replicas: 4\nstrategy:\n  rollingUpdate:\n    maxUnavailable: 25%",
              "replicas: 4\n" + SAFE_STRATEGY)
          .checkedBy(
              (m, findings) -> {
                for (Workload d : gpuRollingWorkloads(m, findings.config())) {
                  RolloutStrategy s = d.effectiveStrategy();
                  if (!s.isRolling() || s.apiRejection().isPresent()
                      || s.argo().filter(ArgoStrategy::trafficRouting).isPresent()) {
                    continue;
                  }
                  int replicas = d.effectiveReplicas();
                  int unavailable = s.resolve(replicas).unavailable();
                  if (unavailable > 0) {
                    String written = s.maxUnavailable().isPresent()
                        ? "maxUnavailable '" + s.effectiveMaxUnavailable() + "'"
                        : "the default maxUnavailable '25%'";
                    findings.report(
                        s.maxUnavailableLocation().or(s::location).orElse(d.location()),
                        d.displayName() + ": " + written + " rounds to " + unavailable + " of " + replicas
                            + " replicas; a rollout takes " + unavailable + " GPU replica(s) out of service before"
                            + " their replacements are Ready",
                        (d.isArgoRollout() ? "set canary.maxUnavailable: 0 and canary.maxSurge: 1"
                            : "set maxUnavailable: 0 and maxSurge: 1")
                            + ", and keep one node's worth of GPUs free for the surge pod");
                  }
                }
              });

  /**
   * A GPU Argo Rollout whose cutover runs two full sets should be warned of it: a blueGreen brings up
   * the whole preview set beside the active one and deletes no old pod before the switch, and a
   * canary with a traffic router (without {@code dynamicStableScale}) keeps every stable pod until
   * the canary takes 100%. Either needs {@code replicas × GPUs per pod} free GPUs at cutover; on a
   * full pool the new pods stay Pending and the rollout deadlocks ({@code gpukit rollout simulate}
   * shows it). One replica needs no more than a surge pod of a rolling update, and is not reported.
   */
  public static final Rule<Manifests> GPU_ROLLOUT_NEEDS_DOUBLE =
      Rule.<Manifests>define("k8s/gpu-rollout-needs-double")
          .warning()
          .onGpuArtifactsOnly()
          .describedAs("a GPU Argo Rollout should not need a second full set of GPUs at cutover (blueGreen, or a canary"
              + " whose traffic router keeps the stable set)")
          .because(
              "blueGreen keeps every active pod until the preview set is fully Ready, and a traffic-routed canary keeps"
                  + " every stable pod until it takes 100%: the cutover holds twice the GPUs. A pool without that"
                  + " headroom leaves the new pods Pending, no old pod is ever deleted, and the rollout deadlocks.")
          .example(
              "strategy:\n  blueGreen:\n    activeService: llm-active",
              "strategy:\n  canary:\n    maxSurge: 1\n    maxUnavailable: 0\n    steps:\n    - setWeight: 50\n    - pause: {}")
          .checkedBy(
              (m, findings) -> {
                for (Workload d : gpuRollingWorkloads(m, findings.config())) {
                  RolloutStrategy s = d.effectiveStrategy();
                  boolean blueGreen = s.type() == RolloutStrategy.Type.BLUE_GREEN;
                  if (!d.isArgoRollout() || s.apiRejection().isPresent() || d.effectiveReplicas() < 2
                      || !(blueGreen || s.argo().filter(ArgoStrategy::keepsStableAtFullScale).isPresent())) {
                    continue;
                  }
                  int replicas = d.effectiveReplicas();
                  var most = d.template().gpuUnits(m.deviceClaims()).entrySet().stream()
                      .max(Map.Entry.comparingByValue());
                  int perPod = most.map(Map.Entry::getValue).orElse(0);
                  String unit = most.map(Map.Entry::getKey).filter(r -> !Resources.GPU_RESOURCES.contains(r))
                      .map(r -> " of '" + r + "'").orElse(" GPU(s)");
                  String need = perPod == 0 ? "a second full set of " + replicas + " GPU pods"
                      : "a second full set of " + replicas * perPod + unit + " (" + replicas + " × " + perPod + ")";
                  int preview = s.resolve(replicas).surge();
                  String how = !blueGreen
                      ? "the canary's traffic router keeps all " + replicas + " stable pods until the canary takes 100%"
                      : preview < replicas
                          ? "blueGreen brings up " + preview + " preview pod(s) beside the " + replicas
                              + " active ones and grows the preview to " + replicas + " before the switch"
                          : "blueGreen brings up all " + replicas + " preview pods beside the " + replicas
                              + " active ones before the switch";
                  findings.report(s.location().orElse(d.location()),
                      d.displayName() + ": " + how + ", so the cutover needs " + need + " besides the GPUs the old pods"
                          + " hold; on a pool without them the new pods stay Pending and the rollout deadlocks",
                      blueGreen
                          ? "keep that many GPUs free for every release (check with 'gpukit rollout simulate'), or use"
                              + " strategy.canary with maxSurge: 1 and maxUnavailable: 0 and no trafficRouting"
                          : "set canary.dynamicStableScale: true so the stable set shrinks as traffic moves, or keep"
                              + " that many GPUs free for every release");
                }
              });

  /** A GPU Deployment should not use {@code Recreate}: every replica stops before any new one starts. */
  public static final Rule<Manifests> GPU_ROLLING_UPDATE =
      Rule.<Manifests>define("k8s/gpu-rolling-update")
          .error()
          .onGpuArtifactsOnly()
          .describedAs("a GPU Deployment should use the RollingUpdate strategy")
          .because(
              "Recreate deletes every pod before creating the new ones: the service is down for the whole"
                  + " model load of the new pods, and longer if the new pods cannot start.")
          .relatedTo("kube-linter no-rolling-update-strategy, kube-score deployment-strategy")
          .example("strategy:\n  type: Recreate", SAFE_STRATEGY)
          .checkedBy(
              (m, findings) -> {
                for (Workload d : gpuDeployments(m, findings.config())) {
                  RolloutStrategy s = d.effectiveStrategy();
                  if (s.type() == RolloutStrategy.Type.RECREATE) {
                    findings.report(s.location().orElse(d.location()),
                        d.displayName() + " uses strategy 'Recreate': every GPU replica stops before a new one is Ready",
                        "use type: RollingUpdate with maxSurge: 1 and maxUnavailable: 0");
                  }
                }
              });

  /**
   * A GPU container should ask for a whole number of GPUs in {@code limits}: extended resources
   * are only scheduled from limits, cannot be fractional, and a request must equal the limit.
   */
  public static final Rule<Manifests> GPU_LIMITS =
      Rule.<Manifests>define("k8s/gpu-limits")
          .error()
          .onGpuArtifactsOnly()
          .describedAs("a GPU container should set a whole nvidia.com/gpu (or amd.com/gpu) in limits, and requests"
              + " equal to it, unless a Dynamic Resource Allocation claim or a GPU-sharing scheduler gives it the GPU")
          .because(
              "Without nvidia.com/gpu (amd.com/gpu on AMD) in limits the scheduler does not reserve a GPU: the"
                  + " pod lands anywhere and shares or lacks the device. Extended resources cannot be"
                  + " overcommitted: the API rejects a fractional count or a request that differs from the"
                  + " limit. A container whose resources.claims name a GPU ResourceClaim gets its GPU that way, and one"
                  + " that sizes a share (HAMi nvidia.com/gpumem or gpucores, Volcano volcano.sh/vgpu-memory) or whose pod"
                  + " asks for a Run:ai gpu-fraction gets a share of a GPU.")
          .example(
              "resources:\n  requests:\n    nvidia.com/gpu: 1",
              "resources:\n  limits:\n    nvidia.com/gpu: 1")
          .checkedBy(
              (m, findings) -> {
                GpuContainers gpu = GpuContainers.in(m, findings.config());
                forEachContainer(m, (w, c) -> checkGpuLimits(gpu, w, c, findings));
              });

  private static void checkGpuLimits(GpuContainers gpu, Workload w, Container c, Rule.Findings findings) {
    if (!gpu.isGpu(w, c)) {
      return;
    }
    Resources r = c.resources();
    String resource = gpu.gpuResourceFor(w, c);
    String who = w.displayName() + " container '" + c.name() + "'";
    Optional<Quantity> limit = r.gpuLimit();
    if (limit.isEmpty()) {
      if (w.runtime()) {
        return; // the InferenceService or TrainJob that uses the runtime sets its GPU count
      }
      if (w.isPartial() && gpu.runtimeOf(w).flatMap(rt -> gpu.runtimeContainer(rt, c))
          .map(rc -> rc.resources().gpuLimit().isPresent() || gpu.claimsGpu(gpu.runtimeOf(w).get(), rc)).orElse(true)) {
        return; // the runtime sets the limit, or lives elsewhere: what it sets is not known here
      }
      if (gpu.claimsGpu(w, c) || gpu.hasUnresolvedClaim(w, c)) {
        return; // its GPU comes from a Dynamic Resource Allocation claim (or may: gpukit cannot see the claim)
      }
      if (gpu.sharesGpu(w, c)) {
        return; // a sharing scheduler (HAMi, Volcano vGPU, Run:ai) gives it a share, not a whole GPU
      }
      findings.report(r.locationOf(resource).orElse(c.location()),
          who + " uses a GPU (" + gpu.why(w, c) + ") but sets no " + resource + " limit",
          w.kind().equals("TrainJob") ? "add trainer.resourcesPerNode: {limits: {" + resource + ": 1}}"
              : "add resources.limits: {" + resource + ": 1}");
      return;
    }
    SourceLocation at = r.limitLocations().get(resource);
    if (!limit.get().isInteger() || limit.get().value().signum() < 0) {
      findings.report(at, who + " asks for " + resource + " '" + limit.get()
          + "', not a whole number of GPUs", "use a whole number such as 1; share GPUs with MIG or time-slicing");
    }
    r.gpuRequest().filter(req -> !req.sameAmountAs(limit.get())).ifPresent(req -> findings.report(
        r.requestLocations().get(resource),
        who + " requests " + resource + " '" + req + "' but its limit is '" + limit.get() + "'",
        "set the request equal to the limit, or drop it (Kubernetes copies the limit)"));
  }

  /** A GPU container should have both a readiness and a liveness probe. */
  public static final Rule<Manifests> GPU_PROBES =
      Rule.<Manifests>define("k8s/gpu-probes")
          .error()
          .onGpuArtifactsOnly()
          .describedAs("a GPU container should have a readiness and a liveness probe")
          .because(
              "Without readiness a pod gets traffic while its model still loads; without liveness a pod"
                  + " whose GPU has fallen off the bus (Xid 79) keeps its place and its GPU forever.")
          .relatedTo("kube-linter no-readiness-probe and no-liveness-probe, kube-score pod-probes, Checkov CKV_K8S_8 and CKV_K8S_9")
          .example(
              "containers:\n- name: server\n  image: registry.example.com/llm:1.4.2",
              "containers:\n- name: server\n  image: registry.example.com/llm:1.4.2\n  readinessProbe:\n"
                  + "    exec: {command: [python3, /app/smoke_test.py]}\n  livenessProbe:\n"
                  + "    exec: {command: [python3, /app/smoke_test.py]}\n    failureThreshold: 6")
          .checkedBy(
              (m, findings) -> {
                GpuContainers gpu = GpuContainers.in(m, findings.config());
                forEachServingContainer(m, (w, c) -> {
                  if (!gpu.isGpu(w, c) || w.probedByOperator(c)) {
                    return; // KubeRay writes the Ray container's missing probes itself
                  }
                  String who = w.displayName() + " GPU container '" + c.name() + "'";
                  String hint = gpu.isAmd(w, c)
                      ? "add an exec probe that runs your ROCm check (gpukit-probe needs an NVIDIA GPU: NVML and CUDA),"
                          + " and declare its command under gpu.probe-commands in gpukit.yaml"
                      : "add an exec probe that runs the GPU smoke test, e.g."
                          + " command: [java, -jar, /opt/gpukit/gpukit-probe.jar]";
                  if (c.readinessProbe().isEmpty()) {
                    findings.report(c.location(), who + " has no readinessProbe", hint);
                  }
                  if (c.livenessProbe().isEmpty()) {
                    findings.report(c.location(), who + " has no livenessProbe", hint + ", with a higher failureThreshold");
                  }
                });
              });

  /**
   * Liveness should be more tolerant than readiness: a pod that is slow or overloaded should be
   * taken out of the Service first, and restarted only if it stays broken. Following kubernetes.io,
   * the same command for both is fine when liveness has the higher threshold (kube-score#339).
   * Hygiene for every serving container; batch work (Jobs, CronJobs, run-once Pods) is not judged.
   */
  public static final Rule<Manifests> LIVENESS_MORE_TOLERANT =
      Rule.<Manifests>define("k8s/liveness-more-tolerant")
          .error()
          .describedAs("a container's liveness probe should trip later than its readiness probe")
          .because(
              "When liveness trips first (initialDelaySeconds + failureThreshold × periodSeconds from the"
                  + " start, failureThreshold × periodSeconds once both probes run) the kubelet"
                  + " restarts a pod that readiness would only have taken out of rotation: a GPU pod that is"
                  + " busy or still loading restarts, reloads its model, and can loop.")
          .relatedTo("kube-score pod-probes-identical, which also flags identical probes whose thresholds differ")
          .example(
              "readinessProbe: {exec: {command: [/app/check]}, failureThreshold: 3}\n"
                  + "livenessProbe: {exec: {command: [/app/check]}, failureThreshold: 3}",
              "readinessProbe: {exec: {command: [/app/check]}, failureThreshold: 3}\n"
                  + "livenessProbe: {exec: {command: [/app/check]}, failureThreshold: 6}")
          .checkedBy(
              (m, findings) -> forEachServingContainer(m, (w, c) -> {
                if (c.readinessProbe().isEmpty() || c.livenessProbe().isEmpty()) {
                  return;
                }
                Probe ready = c.readinessProbe().get();
                Probe live = c.livenessProbe().get();
                String who = w.displayName() + " container '" + c.name() + "': ";
                String hint = "set the livenessProbe's failureThreshold: " + toleratingThreshold(ready, live)
                    + ", the least with which it trips after readiness";
                if (live.secondsToTrip() <= ready.secondsToTrip()) {
                  findings.report(live.location(),
                      who + "liveness trips after " + live.secondsToTrip() + " s but readiness after "
                          + ready.secondsToTrip() + " s; liveness should be the more tolerant",
                      hint);
                } else if (live.secondsToTripOnceRunning() <= ready.secondsToTripOnceRunning()) {
                  findings.report(live.location(),
                      who + "once running, liveness trips after " + live.secondsToTripOnceRunning()
                          + " s of failures but readiness after " + ready.secondsToTripOnceRunning()
                          + " s; a longer initialDelaySeconds only helps at start-up",
                      hint);
                }
              }));

  /**
   * The least liveness {@code failureThreshold} that trips later than readiness both from the
   * container's start and once both probes run.
   */
  static int toleratingThreshold(Probe ready, Probe live) {
    long period = Math.max(1, live.periodSeconds());
    long fromStart = Math.max(0, ready.secondsToTrip() - live.initialDelaySeconds()) / period + 1;
    long running = ready.secondsToTripOnceRunning() / period + 1;
    return (int) Math.min(Integer.MAX_VALUE, Math.max(Math.max(fromStart, running), live.failureThreshold() + 1L));
  }

  /** A GPU probe should be given the time it needs: its own deadline, not Kubernetes' default. */
  public static final Rule<Manifests> GPU_PROBE_TIMEOUT =
      Rule.<Manifests>define("k8s/gpu-probe-timeout")
          .error()
          .onGpuArtifactsOnly()
          .describedAs("a probe that runs a GPU probe should have a timeoutSeconds at least as long as the probe takes")
          .because(
              "A probe that outlives timeoutSeconds counts as failed: a healthy GPU pod is marked unready or"
                  + " restarted. The gpukit probe's readiness mode fits in 1 s; deep mode needs 30 s, and"
                  + " --timeout-ms says how long any mode may take.")
          .example(
              "livenessProbe:\n  exec: {command: [java, -jar, gpukit-probe.jar, --mode, deep]}",
              "livenessProbe:\n  exec: {command: [java, -jar, gpukit-probe.jar, --mode, deep]}\n  timeoutSeconds: 30")
          .checkedBy(
              (m, findings) -> forEachServingContainer(m, (w, c) -> GpuContainers.probes(c).forEach(p -> {
                if (!(p.action() instanceof ProbeAction.Exec exec) || ProbeKind.of(p, findings.config()) != ProbeKind.GPU_PROBE) {
                  return;
                }
                int needed = ProbeCommands.secondsNeeded(exec.commandLine(), findings.config().gpuProbeTimeoutSeconds());
                if (p.timeoutSeconds() < needed) {
                  findings.report(p.location(),
                      w.displayName() + " container '" + c.name() + "': the GPU probe needs " + needed
                          + " s but timeoutSeconds is " + p.timeoutSeconds(),
                      "set timeoutSeconds: " + needed);
                }
              })));

  /**
   * Images should be pinned: no tag, {@code latest} and the other moving tags of {@link
   * GpuKitConfig#isFloatingTag} ({@code latest-gpu}, {@code nightly}, {@code main}…) float. An
   * image that is wholly or partly a placeholder ({@code ${IMAGE}}, {@code <your-image>}, {@code
   * image: ""}, {@code ko://…}) is filled at deploy time and not judged, and so is an image the
   * kustomization beside the file retags ({@code images: [{name: controller, newTag: …}]}).
   * Hygiene: any image, GPU or not, should be pinned.
   */
  public static final Rule<Manifests> IMAGE_TAG =
      Rule.<Manifests>define("k8s/image-tag")
          .error()
          .describedAs("a container image should have a tag that does not move (not latest, nightly, main…), or a digest")
          .because(
              "A floating image changes under a running Deployment: a rescheduled pod pulls another build"
                  + " (another CUDA, another driver requirement) than its siblings, and a rollback rolls back"
                  + " to nothing.")
          .relatedTo("kube-linter latest-tag, kube-score container-image-tag, Checkov CKV_K8S_14")
          .example("image: nvidia/cuda", "image: nvidia/cuda:13.0.1-runtime-ubuntu24.04")
          .checkedBy(
              (m, findings) -> {
                Set<String> kustomized = KustomizeImages.besides(m.path());
                forEachContainerAndInit(m, (w, c) -> c.image().floatingTag(findings.config())
                  .filter(why -> !kustomized.contains(c.image().repositoryWithRegistry()))
                  .ifPresent(why -> findings.report(c.imageLocation(),
                      w.displayName() + " container '" + c.name() + "' runs '" + c.image().raw() + "', which floats: "
                          + why + (why.startsWith("the tag") ? " moves" : ""),
                      "pin a version tag, e.g. '" + c.image().repositoryWithRegistry() + ":1.2.3', or a digest")));
              });

  /**
   * {@code revisionHistoryLimit: 0} keeps no old ReplicaSet: nothing to roll back to. Hygiene: every
   * Deployment should be able to roll back, and so should an Argo Rollout ({@code kubectl argo
   * rollouts undo}).
   */
  public static final Rule<Manifests> REVISION_HISTORY =
      Rule.<Manifests>define("k8s/revision-history")
          .error()
          .describedAs("a Deployment (or an Argo Rollout) should keep at least one old revision (revisionHistoryLimit"
              + " above 0)")
          .because(
              "With revisionHistoryLimit 0 the controller deletes every old ReplicaSet: 'kubectl rollout"
                  + " undo' has nothing to roll back to when a new GPU image fails.")
          .example("revisionHistoryLimit: 0", "revisionHistoryLimit: 3")
          .checkedBy(
              (m, findings) -> {
                for (Workload d : m.rollingWorkloads()) {
                  if (d.revisionHistoryLimit().filter(n -> n == 0).isPresent()) {
                    findings.report(d.revisionHistoryLimitLocation().orElse(d.location()),
                        d.displayName() + " keeps no old revision (revisionHistoryLimit: 0)",
                        "set revisionHistoryLimit: 3 (or remove it; the default is 10)");
                  }
                }
              });

  /**
   * The rolling-update knobs should be written out, not left to defaults that depend on replicas.
   * Hygiene: the defaults surprise any Deployment, GPU or not, and an Argo Rollout's canary without a
   * traffic router, whose knobs default to 25% too. A traffic-routed canary (sized by weight) and a
   * blueGreen (a whole preview set) have no such knobs to write.
   */
  public static final Rule<Manifests> ROLLOUT_STRATEGY_EXPLICIT =
      Rule.<Manifests>define("k8s/rollout-strategy-explicit")
          .warning()
          .describedAs("a Deployment (or an Argo Rollout's canary) should set maxSurge and maxUnavailable explicitly")
          .because(
              "The defaults (25% and 25%) mean different things at different replica counts: 1 surge and 0"
                  + " unavailable at 1 replica, 1 and 1 at 4 replicas. Write what the rollout should do.")
          .example("replicas: 2", "replicas: 2\n" + SAFE_STRATEGY)
          .checkedBy(
              (m, findings) -> {
                for (Workload d : m.rollingWorkloads()) {
                  RolloutStrategy s = d.effectiveStrategy();
                  if (!s.isRolling() || s.apiRejection().isPresent()
                      || s.argo().filter(ArgoStrategy::trafficRouting).isPresent()
                      || (s.maxSurge().isPresent() && s.maxUnavailable().isPresent())) {
                    continue;
                  }
                  int replicas = d.effectiveReplicas();
                  RolloutStrategy.Fenceposts f = s.resolve(replicas);
                  String left = s.maxSurge().isEmpty() && s.maxUnavailable().isEmpty()
                      ? "maxSurge and maxUnavailable are" : s.maxSurge().isEmpty() ? "maxSurge is" : "maxUnavailable is";
                  findings.report(s.location().orElse(d.location()),
                      d.displayName() + ": " + left + " left to the default 25%; with " + replicas
                          + " replica(s) the rollout surges " + f.surge() + " and allows " + f.unavailable() + " unavailable",
                      d.isArgoRollout() ? "write both under strategy.canary: maxSurge: 1 and maxUnavailable: 0"
                          : "write both: maxSurge: 1 and maxUnavailable: 0");
                }
              });

  /** A GPU container's probes should exercise the GPU, not only the network. */
  public static final Rule<Manifests> GPU_PROBE_EXERCISES_GPU =
      Rule.<Manifests>define("k8s/gpu-probe-exercises-gpu")
          .warning()
          .onGpuArtifactsOnly()
          .describedAs("a GPU container's readiness and liveness probes should exercise the GPU")
          .because(
              "An HTTP 200 or an open TCP port proves the server process runs, not that CUDA can allocate"
                  + " and compute; nvidia-smi proves NVML answers. A pod whose GPU is gone keeps passing.")
          .example(
              "readinessProbe:\n  httpGet: {path: /healthz, port: 8000}",
              "readinessProbe:\n  exec: {command: [python3, /app/smoke_test.py]}")
          .checkedBy(
              (m, findings) -> {
                GpuContainers gpu = GpuContainers.in(m, findings.config());
                forEachServingContainer(m, (w, c) -> {
                  if (!gpu.isGpu(w, c)) {
                    return;
                  }
                  for (var named : List.of(
                      new NamedProbe("readinessProbe", c.readinessProbe()), new NamedProbe("livenessProbe", c.livenessProbe()))) {
                    if (named.probe().isEmpty()) {
                      continue;
                    }
                    Probe p = named.probe().get();
                    ProbeKind kind = ProbeKind.of(p, findings.config());
                    String who = w.displayName() + " GPU container '" + c.name() + "': the " + named.name() + " ";
                    if (kind == ProbeKind.NETWORK_ONLY) {
                      findings.report(p.location(), who + "(" + p.action().describe()
                              + ") proves the process answers, not that the GPU computes",
                          "run the GPU smoke test as an exec probe, or list a GPU-backed path under gpu.probe-paths in gpukit.yaml");
                    } else if (kind == ProbeKind.NVIDIA_SMI_ONLY) {
                      findings.report(p.location(), who + "only runs nvidia-smi, which proves NVML answers, not that CUDA computes",
                          "run the GPU smoke test (an allocation and a kernel) instead");
                    }
                  }
                });
              });

  /** A GPU workload should say where it may run: GPU nodes are usually labelled and tainted. */
  public static final Rule<Manifests> GPU_SCHEDULING =
      Rule.<Manifests>define("k8s/gpu-scheduling")
          .warning()
          .onGpuArtifactsOnly()
          .describedAs("a GPU workload should have a nodeSelector, a node affinity or a toleration for GPU nodes")
          .because(
              "GPU node pools are usually tainted (nvidia.com/gpu:NoSchedule) and labelled by GPU model;"
                  + " without a hint the pod stays Pending on a tainted pool or lands on the wrong GPU model.")
          .relatedTo("kube-linter no-node-affinity")
          .example(
              "spec:\n  containers: [...]",
              "spec:\n  nodeSelector:\n    nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3\n  tolerations:\n"
                  + "  - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}\n  containers: [...]")
          .checkedBy(
              (m, findings) -> {
                GpuContainers gpu = GpuContainers.in(m, findings.config());
                for (Workload w : m.workloads()) {
                  PodTemplate t = w.template();
                  List<Container> gpuContainers = gpu.of(w);
                  Optional<PodTemplate> runtimePod = gpu.runtimeOf(w).map(Workload::template);
                  if (w.isPartial() && runtimePod.map(DeploymentRules::placed).orElse(true)) {
                    continue; // the runtime places the pod, or lives elsewhere
                  }
                  if (gpuContainers.isEmpty() || w.runtime() // the InferenceService or TrainJob places a runtime's pods
                      || !t.nodeSelector().isEmpty() || t.affinity().isPresent()
                      || !t.tolerations().isEmpty()
                      || gpuContainers.stream().anyMatch(c -> gpu.claimsGpu(w, c) || gpu.hasUnresolvedClaim(w, c))) {
                    continue; // a GPU claim's device class already says where the pod can run
                  }
                  String resource = gpu.gpuResourceFor(w, gpuContainers.get(0));
                  // GPU nodes are tainted with the whole-GPU resource name, whatever slice a pod asks for
                  String taint = resource.startsWith("amd.com/") ? Resources.AMD_GPU : Resources.NVIDIA_GPU;
                  findings.report(t.location(),
                      w.displayName() + " uses a GPU but has no nodeSelector, node affinity or toleration",
                      "add a toleration for " + taint + " and a nodeSelector on the GPU model label");
                }
              });

  /** Containers should be required to run as non-root. Hygiene: root in any container is a risk. */
  public static final Rule<Manifests> RUN_AS_NON_ROOT =
      Rule.<Manifests>define("k8s/run-as-non-root")
          .warning()
          .describedAs("a container should set runAsNonRoot: true (on the pod or the container)")
          .because(
              "A GPU container has the driver's device nodes mounted; runAsNonRoot makes the kubelet refuse"
                  + " an image that would run as root instead of trusting the Dockerfile.")
          .relatedTo("kube-linter run-as-non-root, Checkov CKV_K8S_23")
          .example("spec:\n  containers: [...]", "spec:\n  securityContext:\n    runAsNonRoot: true\n  containers: [...]")
          .checkedBy(
              (m, findings) -> forEachContainerAndInit(m, (w, c) -> {
                Optional<SecurityContext> pod = w.template().securityContext();
                Optional<SecurityContext> own = c.securityContext();
                Optional<Boolean> nonRoot = own.flatMap(SecurityContext::runAsNonRoot)
                    .or(() -> pod.flatMap(SecurityContext::runAsNonRoot));
                var user = own.map(SecurityContext::runAsUser).filter(u -> u.isPresent())
                    .or(() -> pod.map(SecurityContext::runAsUser)).orElse(java.util.OptionalLong.empty());
                boolean ok = user.isPresent() ? user.getAsLong() != 0 && nonRoot.orElse(true) : nonRoot.orElse(false);
                if (!ok) {
                  findings.report(own.map(SecurityContext::location).orElse(c.location()),
                      w.displayName() + " container '" + c.name() + "' may run as root"
                          + (user.isPresent() && user.getAsLong() == 0 ? " (runAsUser: 0)" : " (no runAsNonRoot: true)"),
                      "set securityContext.runAsNonRoot: true on the pod, and a numeric USER in the image");
                }
              }));

  /**
   * A GPU Job or CronJob should have a deadline ({@code activeDeadlineSeconds} on the Job or its
   * pod template): a hung CUDA kernel, a stuck NCCL collective or a dead data loader otherwise
   * holds its GPUs until someone notices. Batch work has no readiness or liveness to catch it. So
   * should a RayJob ({@code spec.activeDeadlineSeconds}) and a Kubeflow training job ({@code
   * spec.runPolicy.activeDeadlineSeconds}), once per resource; a Volcano Job has no such field and
   * is not asked.
   */
  public static final Rule<Manifests> GPU_JOB_DEADLINE =
      Rule.<Manifests>define("k8s/gpu-job-deadline")
          .warning()
          .onGpuArtifactsOnly()
          .describedAs("a GPU Job or CronJob should set activeDeadlineSeconds")
          .because(
              "A Job's pod that hangs (a CUDA kernel that never returns, a collective waiting for a dead"
                  + " rank) keeps running and keeps its GPUs: nothing probes batch work, and backoffLimit only"
                  + " counts failures. activeDeadlineSeconds ends the Job and frees the GPUs.")
          .example(
              "kind: Job\nspec:\n  template:\n    spec:\n      containers: [...]",
              "kind: Job\nspec:\n  activeDeadlineSeconds: 14400\n  template:\n    spec:\n      containers: [...]")
          .checkedBy(
              (m, findings) -> {
                GpuContainers gpu = GpuContainers.in(m, findings.config());
                Set<SourceLocation> reported = new HashSet<>(); // one finding per document, not per template
                for (Workload w : m.workloads()) {
                  if (!w.isBatch() || w.deadlineField().isEmpty() || w.deadlineSeconds().isPresent()
                      || !gpu.isGpuWorkload(w) || !reported.add(w.location())) {
                    continue; // a Volcano Job has no deadline field of its own
                  }
                  findings.report(w.location(),
                      w.resourceName() + " uses a GPU but sets no activeDeadlineSeconds; a hung run holds its GPUs"
                          + " until someone deletes it",
                      "set " + w.deadlineField().get()
                          + ".activeDeadlineSeconds to a little more than the longest run, e.g. 14400 (4 h)");
                }
              });

  /** An unrendered Helm template is not checked; render it ({@code helm template}) and check that. */
  public static final Rule<Manifests> HELM_TEMPLATE_SKIPPED =
      Rule.<Manifests>define("k8s/helm-template-skipped")
          .info()
          .describedAs("a Helm template should be checked in its rendered form")
          .because(
              "A file with {{ … }} actions outside quoted values ({{- if … }} lines, {{ include … }} blocks)"
                  + " is not a manifest until Helm renders it; gpukit skips it instead of reporting a parse"
                  + " error. A file whose actions all sit inside values (image: \"{{ .Values.image }}\") is"
                  + " read in full and not reported. Check 'helm template' output to check the chart.")
          .example("name: {{ include \"chart.fullname\" . }}", "helm template my-release ./chart > rendered.yaml")
          .checkedBy(
              (m, findings) -> m.helmTemplate().ifPresent(at -> findings.report(at,
                  "this file is an unrendered Helm template; gpukit skipped it",
                  "run 'helm template' and check the rendered output")));

  /** All Kubernetes rules, in a stable order. */
  public static final List<Rule<Manifests>> ALL =
      List.of(
          ROLLOUT_CAN_PROGRESS,
          GPU_ROLLOUT_KEEPS_CAPACITY,
          GPU_ROLLING_UPDATE,
          GPU_LIMITS,
          GPU_PROBES,
          LIVENESS_MORE_TOLERANT,
          GPU_PROBE_TIMEOUT,
          IMAGE_TAG,
          REVISION_HISTORY,
          ROLLOUT_STRATEGY_EXPLICIT,
          GPU_ROLLOUT_NEEDS_DOUBLE,
          GPU_PROBE_EXERCISES_GPU,
          GPU_SCHEDULING,
          RUN_AS_NON_ROOT,
          GPU_JOB_DEADLINE,
          HELM_TEMPLATE_SKIPPED);

  private record NamedProbe(String name, Optional<Probe> probe) {}

  private interface ContainerCheck {
    void check(Workload workload, Container container);
  }

  private static void forEachContainer(Manifests m, ContainerCheck check) {
    for (Workload w : m.workloads()) {
      w.template().containers().forEach(c -> check.check(w, c));
    }
  }

  /**
   * The main containers of the workloads that serve: readiness and liveness are not questions for
   * batch work, nor for a partial workload (a KServe model), whose probes are its runtime's.
   */
  private static void forEachServingContainer(Manifests m, ContainerCheck check) {
    for (Workload w : m.workloads()) {
      if (!w.runsToCompletion() && !w.isPartial()) {
        w.template().containers().forEach(c -> check.check(w, c));
      }
    }
  }

  /** Every container, init containers first; a partial workload's image and user are its runtime's. */
  private static void forEachContainerAndInit(Manifests m, ContainerCheck check) {
    for (Workload w : m.workloads()) {
      if (w.isPartial()) {
        continue;
      }
      Stream.concat(w.template().initContainers().stream(), w.template().containers().stream())
          .forEach(c -> check.check(w, c));
    }
  }

  private static List<Workload> gpuDeployments(Manifests m, GpuKitConfig config) {
    GpuContainers gpu = GpuContainers.in(m, config);
    return m.deployments().stream().filter(gpu::isGpuWorkload).toList();
  }

  private static List<Workload> gpuRollingWorkloads(Manifests m, GpuKitConfig config) {
    GpuContainers gpu = GpuContainers.in(m, config);
    return m.rollingWorkloads().stream().filter(gpu::isGpuWorkload).toList();
  }

  /** Whether a pod spec says where it runs: a nodeSelector, a node affinity or a toleration. */
  private static boolean placed(PodTemplate t) {
    return !t.nodeSelector().isEmpty() || t.affinity().isPresent() || !t.tolerations().isEmpty();
  }

  private static SourceLocation knobLocation(Workload d, RolloutStrategy s) {
    return s.maxSurgeLocation().or(s::maxUnavailableLocation).or(s::location).orElse(d.location());
  }
}
