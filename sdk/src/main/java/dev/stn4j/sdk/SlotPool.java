package dev.stn4j.sdk;

import ai.onnxruntime.OrtEnvironment;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Idle {@link InferenceSlot}s shared by the threads of one classifier. A thread takes one per call
 * and gives it back, so the pool never holds more slots than the most calls ever in flight at once,
 * and a steady workload allocates no buffers or tensors.
 */
final class SlotPool {
  private final OrtEnvironment env;
  private final int classes;
  private final int size;
  private final ConcurrentLinkedQueue<InferenceSlot> idle = new ConcurrentLinkedQueue<>();

  SlotPool(OrtEnvironment env, int classes, int size) {
    this.env = env;
    this.classes = classes;
    this.size = size;
  }

  /** A slot holding at least {@code capacity} images; an idle one too small is replaced. */
  InferenceSlot acquire(int capacity) {
    InferenceSlot slot = idle.poll();
    if (slot != null && slot.capacity() >= capacity) {
      return slot;
    }
    if (slot != null) {
      slot.close();
    }
    // Sized to the request, so callers with small batches never pay for maxBatchSize buffers.
    return new InferenceSlot(env, capacity, classes, size);
  }

  void release(InferenceSlot slot) {
    idle.offer(slot);
  }

  /** Closes the idle slots; the owner calls it once no call is in flight. */
  void closeAll() {
    for (InferenceSlot slot; (slot = idle.poll()) != null; ) {
      slot.close();
    }
  }
}
