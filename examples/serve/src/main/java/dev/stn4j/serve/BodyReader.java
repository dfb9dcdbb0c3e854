package dev.stn4j.serve;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request body without a thread waiting for it: it takes what has arrived and asks Jetty to
 * call it again when more does ({@link Request#demand}), so a client that stalls mid-body costs the
 * bytes it sent, not one of the server's threads. A body that has not arrived whole within the body
 * timeout is refused with 408, which closes its connection.
 *
 * <p>A body over the limit is refused with 413 before any of it is kept when {@code Content-Length}
 * says so, or as soon as it grows past the limit. Up to {@link #MAX_SWALLOW_BYTES} of it is read
 * and dropped first: a client still sending when the server answers and closes gets a reset
 * connection instead of the 413 (the JDK's HttpClient did, now and then). Beyond that the
 * connection is closed mid-body, so a huge upload costs at most that much reading, and never
 * memory.
 */
final class BodyReader implements Runnable {
  /** What becomes of a body: exactly one of the two is called, once. */
  interface Outcome {
    void body(byte[] body);

    void refused(HttpError error);
  }

  /** Most of an oversized body read and dropped before its 413. */
  static final long MAX_SWALLOW_BYTES = 4L << 20;

  // Grown as bytes arrive, never to the declared length at once: a client that declares 8 MiB and
  // stalls must not cost 8 MiB.
  private static final int FIRST_BUFFER_BYTES = 16 * 1024;

  private final Request request;
  private final long limit;
  private final long timeoutMillis;
  private final Outcome outcome;
  private final AtomicInteger pending;
  private byte[] buffer;
  private int size;
  private long dropped;
  private HttpError tooLarge;
  private boolean finished;
  private Scheduler.Task deadline;

  private BodyReader(
      Request request, long limit, Duration timeout, AtomicInteger pending, Outcome outcome) {
    this.request = request;
    this.limit = limit;
    this.timeoutMillis = timeout.toMillis();
    this.pending = pending;
    this.outcome = outcome;
  }

  /**
   * Starts reading {@code request}'s body; {@code outcome} is called on whichever thread completes
   * it (this one, one of Jetty's, or the scheduler's at the deadline). {@code pending} counts the
   * bodies still arriving.
   */
  static void read(
      Request request, long limit, Duration timeout, AtomicInteger pending, Outcome outcome) {
    BodyReader reader = new BodyReader(request, limit, timeout, pending, outcome);
    long declared = request.getLength();
    if (declared > limit) {
      reader.tooLarge = tooLarge(declared, limit);
    } else {
      reader.buffer =
          new byte
              [(int) (declared < 0 ? FIRST_BUFFER_BYTES : Math.min(declared, FIRST_BUFFER_BYTES))];
    }
    pending.incrementAndGet();
    Scheduler.Task task;
    try {
      task =
          request
              .getComponents()
              .getScheduler()
              .schedule(reader::expire, reader.timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      pending.decrementAndGet(); // a stopping server's scheduler: nothing was read
      throw e;
    }
    synchronized (reader) {
      reader.deadline = task;
    }
    reader.run();
  }

  @Override
  public void run() {
    Runnable next;
    synchronized (this) {
      next = step();
    }
    next.run();
  }

  /** Takes what has arrived; returns what to do next, which is done outside the lock. */
  private Runnable step() {
    while (!finished) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        return () -> request.demand(this);
      }
      try {
        if (Content.Chunk.isFailure(chunk)) {
          return finish(failed(chunk.getFailure()));
        }
        take(chunk.getByteBuffer());
        if (tooLarge != null && (dropped >= MAX_SWALLOW_BYTES || chunk.isLast())) {
          return finish(tooLarge);
        }
        if (chunk.isLast()) {
          byte[] body = size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
          return finish(() -> outcome.body(body));
        }
      } finally {
        chunk.release();
      }
    }
    return () -> {};
  }

  private void take(ByteBuffer bytes) {
    int n = bytes.remaining();
    if (tooLarge != null) {
      dropped += n;
      return;
    }
    if ((long) size + n > limit) {
      tooLarge = tooLarge(-1, limit);
      buffer = null; // nothing of it is kept
      dropped = n;
      return;
    }
    if (size + n > buffer.length) {
      int grown = (int) Math.min(limit, Math.max((long) size + n, 2L * buffer.length));
      buffer = Arrays.copyOf(buffer, grown);
    }
    bytes.get(buffer, size, n);
    size += n;
  }

  private void expire() {
    Runnable next;
    synchronized (this) {
      if (finished) {
        return;
      }
      next = finish(tooLarge != null ? tooLarge : tooSlow());
    }
    next.run();
  }

  private Runnable finish(HttpError error) {
    return finish(() -> outcome.refused(error));
  }

  private Runnable finish(Runnable deliver) {
    finished = true;
    pending.decrementAndGet();
    if (deadline != null) {
      deadline.cancel();
    }
    return deliver;
  }

  private HttpError failed(Throwable failure) {
    if (failure instanceof TimeoutException) {
      // Jetty's idle timeout: the client sent nothing for that long.
      return tooSlow();
    }
    return new HttpError(
        400, "bad_request", "cannot read the request body: " + failure.getMessage());
  }

  private HttpError tooSlow() {
    return new HttpError(
        408,
        "too_slow",
        "the request body did not arrive within "
            + timeoutMillis
            + " ms (--body-timeout-ms); closing the connection");
  }

  private static HttpError tooLarge(long declared, long limit) {
    return new HttpError(
        413,
        "too_large",
        (declared > 0 ? "the body is " + declared + " bytes" : "the body is larger than that")
            + "; the limit is "
            + limit
            + " bytes (--max-body-bytes)");
  }
}
