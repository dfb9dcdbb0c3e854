package dev.stn4j.serve;

import dev.stn4j.sdk.PredictionResult;
import dev.stn4j.sdk.StnClassifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching, as Triton's: requests wait in a bounded queue and run together through {@link
 * StnClassifier#predictEach} once {@code maxBatch} images are waiting or the oldest has waited
 * {@code maxDelay}. Each request gets back only its own results, so an input that fails costs that
 * request alone, never the others in its batch.
 *
 * <p>The queue is bounded in images (a request of 64 images takes 64 places), so the memory it
 * holds is at most {@code maxQueueImages × 3·S·S × 4 bytes} (12 KiB an image at 32×32). Several
 * workers each form and run a batch, so one batch is being filled while another runs.
 */
final class DynamicBatcher implements AutoCloseable {
  /** One request's images and where its results go. */
  static final class Job {
    final List<float[]> images;
    final long enqueuedNanos;
    final CompletableFuture<List<PredictionResult>> result = new CompletableFuture<>();

    Job(List<float[]> images, long enqueuedNanos) {
      this.images = images;
      this.enqueuedNanos = enqueuedNanos;
    }
  }

  /** Why a request was not queued. */
  static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean shuttingDown;

    Rejected(String message, boolean shuttingDown) {
      super(message, null, false, false);
      this.shuttingDown = shuttingDown;
    }
  }

  private final StnClassifier classifier;
  private final int maxBatch;
  private final long maxDelayNanos;
  private final int maxQueueImages;
  private final ServeMetrics metrics;
  private final List<Thread> workers = new ArrayList<>();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private int queuedImages;
  private boolean closed;
  private boolean held;

  DynamicBatcher(
      StnClassifier classifier,
      int maxBatch,
      long maxDelayMicros,
      int maxQueueImages,
      int workerCount,
      ServeMetrics metrics) {
    this.classifier = classifier;
    this.maxBatch = maxBatch;
    this.maxDelayNanos = TimeUnit.MICROSECONDS.toNanos(maxDelayMicros);
    this.maxQueueImages = maxQueueImages;
    this.metrics = metrics;
    for (int i = 0; i < workerCount; i++) {
      Thread t = new Thread(this::work, "stn-batcher-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
  }

  /** Most images one request may hold: a bigger one could never enter the queue. */
  int maxQueueImages() {
    return maxQueueImages;
  }

  /** Images waiting now. */
  int queuedImages() {
    lock.lock();
    try {
      return queuedImages;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues one request's images.
   *
   * @throws Rejected when the queue has no room for them, or the batcher is closing
   */
  Job submit(List<float[]> images) throws Rejected {
    Job job = new Job(images, System.nanoTime());
    lock.lock();
    try {
      if (closed) {
        throw new Rejected("the server is shutting down", true);
      }
      if (queuedImages + images.size() > maxQueueImages) {
        // Requests that timed out wait for a worker to drop them; they must not make the queue
        // look full to the next client.
        dropAnswered();
      }
      if (queuedImages + images.size() > maxQueueImages) {
        throw new Rejected(
            "queue full: "
                + queuedImages
                + " images waiting, room for "
                + maxQueueImages
                + "; retry later",
            false);
      }
      queue.addLast(job);
      queuedImages += images.size();
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
    return job;
  }

  private void work() {
    while (true) {
      List<Job> batch;
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        return;
      }
      if (batch == null) {
        return;
      }
      run(batch);
    }
  }

  /**
   * Waits for a first request, then gathers more until {@code maxBatch} images or until the first
   * one has waited {@code maxDelay} since it arrived (under load it already has, so nobody waits
   * longer than they must). Null once closed and drained.
   */
  private List<Job> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      Job first;
      while (held || (first = takeLive()) == null) {
        if (closed && !held && queue.isEmpty()) {
          return null;
        }
        notEmpty.await();
      }
      List<Job> batch = new ArrayList<>();
      batch.add(first);
      int images = first.images.size();
      long deadline = first.enqueuedNanos + maxDelayNanos;
      while (images < maxBatch) {
        Job next = queue.peekFirst();
        if (next == null) {
          long left = deadline - System.nanoTime();
          if (left <= 0 || closed) {
            break;
          }
          notEmpty.awaitNanos(left);
          continue;
        }
        if (next.result.isDone()) { // timed out while waiting: drop it
          queue.pollFirst();
          queuedImages -= next.images.size();
          continue;
        }
        if (images + next.images.size() > maxBatch) {
          break;
        }
        queue.pollFirst();
        queuedImages -= next.images.size();
        batch.add(next);
        images += next.images.size();
      }
      if (!queue.isEmpty()) {
        notEmpty.signal(); // another worker can start on the rest now
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Removes the queued requests already answered (timed out); the caller holds the lock. */
  private void dropAnswered() {
    for (Iterator<Job> it = queue.iterator(); it.hasNext(); ) {
      Job job = it.next();
      if (job.result.isDone()) {
        it.remove();
        queuedImages -= job.images.size();
      }
    }
  }

  /** The oldest request still waiting for an answer, removed from the queue; null if none. */
  private Job takeLive() {
    Job job;
    while ((job = queue.pollFirst()) != null) {
      queuedImages -= job.images.size();
      if (!job.result.isDone()) {
        return job;
      }
    }
    return null;
  }

  private void run(List<Job> batch) {
    long start = System.nanoTime();
    List<float[]> inputs = new ArrayList<>();
    for (Job job : batch) {
      metrics.queued(start - job.enqueuedNanos);
      inputs.addAll(job.images);
    }
    metrics.batch(inputs.size());
    List<PredictionResult> results;
    try {
      results = classifier.predictEach(inputs);
    } catch (RuntimeException e) {
      for (Job job : batch) {
        job.result.completeExceptionally(e);
      }
      return;
    }
    int from = 0;
    for (Job job : batch) {
      int to = from + job.images.size();
      job.result.complete(List.copyOf(results.subList(from, to)));
      from = to;
    }
  }

  /**
   * Holds (true) or releases (false) the workers before they take the next request: lets a test
   * fill the queue or make a request wait past its timeout without racing the workers.
   */
  void hold(boolean hold) {
    lock.lock();
    try {
      held = hold;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Refuses new requests, lets the workers finish every queued one, then waits for them. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
    for (Thread t : workers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
