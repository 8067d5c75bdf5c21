package io.gpukit.core.k8s.rollout;

/**
 * The GPUs a rollout can use, besides those the Deployment's current pods hold.
 *
 * <p>Layout: the current pods are packed first-fit onto nodes of {@code gpusPerNode} GPUs; the
 * {@code gpusFree} free GPUs fill the rest of those nodes first, then further nodes of {@code
 * gpusPerNode} (the last one partly). GPUs of those nodes that are neither held by the pods nor
 * free belong to other workloads.
 *
 * <p>"GPU" here is one unit of the rollout's {@link RolloutSpec#resource()}: for pods that hold MIG
 * slices ({@code nvidia.com/mig-1g.10gb}) the pool counts free slices of that profile and slices
 * per node (an A100 80GB in 7 slices of {@code 1g.10gb}: 56 on an 8-GPU node); for DRA devices,
 * devices of the claim's class.
 *
 * @param gpusFree GPUs free in the pool, besides those the current pods hold
 * @param gpusPerNode GPUs on one node; a pod's GPUs must all come from one node
 * @since 0.1.0
 */
public record GpuPool(int gpusFree, int gpusPerNode) {

  /** GPUs on one node when nothing says otherwise: an 8-GPU server. */
  public static final int DEFAULT_GPUS_PER_NODE = 8;

  /** Validates the sizes. */
  public GpuPool {
    if (gpusFree < 0) {
      throw new IllegalArgumentException("gpusFree must be 0 or more but was " + gpusFree);
    }
    if (gpusPerNode < 1) {
      throw new IllegalArgumentException("gpusPerNode must be 1 or more but was " + gpusPerNode);
    }
  }

  /** A pool with {@code gpusFree} free GPUs on 8-GPU nodes. */
  public static GpuPool withFree(int gpusFree) {
    return new GpuPool(gpusFree, DEFAULT_GPUS_PER_NODE);
  }
}
