package io.gpukit.junit;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The container with CUDA hidden, started and watched on a thread of its own while the service
 * container is started and probed. Closing it cancels the watch, waits for the start to end and
 * removes the container, whatever happened.
 */
final class CudaHiddenCheck implements AutoCloseable {

  private final GpuContainer container;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final FutureTask<HealthWait.Outcome> task;
  private Thread thread;

  CudaHiddenCheck(GpuContainer container, Duration bound) {
    this.container = container;
    this.task = new FutureTask<>(() -> {
      long started = System.nanoTime();
      container.start();
      return HealthWait.await(container.getDockerClient(), container.getContainerId(), bound, started,
          cancelled::get);
    });
  }

  void start(String forClass) {
    thread = new Thread(task, "gpukit-cuda-hidden-" + forClass);
    thread.setDaemon(true);
    thread.start();
  }

  GpuContainer container() {
    return container;
  }

  /** Waits for the container's health to be decided or its bound to run out; its start's failure is thrown. */
  HealthWait.Outcome outcome() {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the CUDA-hidden container's health", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("the CUDA-hidden container failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    cancelled.set(true);
    boolean interrupted = false;
    while (thread != null && thread.isAlive()) {
      try {
        // A start under way ends by itself (Testcontainers bounds it); its container is then removed here.
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    try {
      container.stop();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
