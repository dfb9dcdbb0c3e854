package dev.stn4j.bench;

import java.util.Locale;

/**
 * Round-trip time of a cache line between two threads (two busy-waiting threads hand a counter back
 * and forth). Printed beside the results because two-thread latencies at small batches depend on
 * it: on a shared VM it changes several-fold with whether the host runs both vCPUs on cores that
 * share a cache, and batch-1 latency with two intra-op threads moves with it.
 */
final class CoreLatencyProbe {
  private static final long STOP = Long.MIN_VALUE;
  private static final long MAX_NANOS = 300_000_000L;

  private volatile long ping;
  private volatile long pong;

  private CoreLatencyProbe() {}

  /**
   * Mean round trip in nanoseconds over up to {@code trips} hand-offs after as many to warm up,
   * stopping early after 0.3 s (on one CPU each hand-off waits for a time slice); NaN when no
   * measured hand-off finished by then.
   */
  static double roundTripNs(int trips) throws InterruptedException {
    return roundTripNs(trips, MAX_NANOS);
  }

  /** As {@link #roundTripNs(int)}, giving up after {@code maxNanos}. */
  static double roundTripNs(int trips, long maxNanos) throws InterruptedException {
    CoreLatencyProbe p = new CoreLatencyProbe();
    Thread echo = new Thread(p::echo, "core-latency-echo");
    echo.setDaemon(true);
    echo.start();
    long deadline = System.nanoTime() + maxNanos;
    long start = System.nanoTime();
    long measured = 0;
    try {
      for (long i = 1; i <= 2L * trips; i++) {
        if (i == trips + 1) {
          start = System.nanoTime();
        }
        p.ping = i;
        while (p.pong != i) {
          if (System.nanoTime() > deadline) {
            return measured == 0 ? Double.NaN : (System.nanoTime() - start) / (double) measured;
          }
          Thread.onSpinWait();
        }
        if (i > trips) {
          measured++;
        }
      }
      return (System.nanoTime() - start) / (double) measured;
    } finally {
      p.ping = STOP;
      echo.join();
    }
  }

  private void echo() {
    long last = 0;
    while (true) {
      long v = ping;
      if (v == STOP) {
        return;
      }
      if (v != last) {
        pong = v;
        last = v;
      } else {
        Thread.onSpinWait();
      }
    }
  }

  /** One line for a results header, e.g. {@code cross-core round trip 48 ns}. */
  static String describe() {
    if (Runtime.getRuntime().availableProcessors() < 2) {
      return "cross-core round trip not measured (one CPU)";
    }
    try {
      double ns = roundTripNs(200_000);
      return Double.isNaN(ns)
          ? "cross-core round trip not measured (no hand-off within 0.3 s)"
          : String.format(Locale.ROOT, "cross-core round trip %.0f ns", ns);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "cross-core round trip not measured (interrupted)";
    }
  }
}
