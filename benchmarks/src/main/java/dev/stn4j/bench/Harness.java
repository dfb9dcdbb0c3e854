package dev.stn4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The plain harness behind {@code ./stn bench}: warms a runner up, then times each call and
 * summarises latency percentiles and throughput. With several callers, each Java thread calls the
 * same runner (only sensible for thread-safe runtimes) and throughput counts all of them.
 */
final class Harness {
  private Harness() {}

  /** One timed unit of work: classify batch number {@code step}, or pre-process an image. */
  @FunctionalInterface
  interface Step {
    Object run(int step) throws Exception;
  }

  /** Latencies and wall time of a measured loop. */
  record Timing(LatencyStats stats, long elapsedNs) {
    double callsPerSecond() {
      return stats.count() / (elapsedNs / 1e9);
    }
  }

  /** Measures one runner opened {@code loadMs} milliseconds ago. */
  static BenchRow measure(Runner runner, double loadMs, Budget budget, int callers)
      throws Exception {
    RunSpec spec = runner.spec();
    return row(
        spec.runtime().id(),
        spec.provider().id(),
        spec.batch(),
        spec.threads(),
        callers,
        loadMs,
        time(runner::run, budget, callers));
  }

  /** A result row for a timing of calls that each handle {@code batch} images. */
  static BenchRow row(
      String runtime,
      String provider,
      int batch,
      int threads,
      int callers,
      double loadMs,
      Timing t) {
    LatencyStats stats = t.stats();
    return new BenchRow(
        runtime,
        provider,
        batch,
        threads,
        callers,
        stats.count(),
        stats.p50Ns() / 1e3,
        stats.p90Ns() / 1e3,
        stats.p99Ns() / 1e3,
        stats.meanNs() / 1e3,
        t.callsPerSecond() * batch,
        loadMs,
        MemoryProbe.mib(MemoryProbe.rssKib()),
        MemoryProbe.mib(MemoryProbe.peakRssKib()),
        MemoryProbe.heapUsedBytes() / (1024.0 * 1024.0));
  }

  /** Warms up and times {@code step} from {@code callers} threads at once. */
  static Timing time(Step step, Budget budget, int callers) throws Exception {
    long[][] perCaller = new long[callers][];
    int[] counts = new int[callers];
    long elapsedNs;
    if (callers == 1) {
      long start = timedLoop(step, budget, 0, perCaller, counts, null);
      elapsedNs = System.nanoTime() - start;
    } else {
      CountDownLatch warmedUp = new CountDownLatch(callers);
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      try {
        List<Future<Long>> futures = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
          int caller = c;
          futures.add(
              pool.submit(() -> timedLoop(step, budget, caller, perCaller, counts, warmedUp)));
        }
        long start = Long.MAX_VALUE;
        for (Future<Long> f : futures) {
          start = Math.min(start, f.get());
        }
        elapsedNs = System.nanoTime() - start;
      } finally {
        pool.shutdownNow();
      }
    }
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < callers; c++) {
      System.arraycopy(perCaller[c], 0, all, at, counts[c]);
      at += counts[c];
    }
    return new Timing(LatencyStats.of(all, total), elapsedNs);
  }

  /**
   * Warms up, waits for the other callers to finish warming up, then records latencies.
   *
   * @return when measuring started (System.nanoTime)
   */
  private static long timedLoop(
      Step runner,
      Budget budget,
      int caller,
      long[][] perCaller,
      int[] counts,
      CountDownLatch warmedUp)
      throws Exception {
    int step = caller * 7919; // callers start on different batches
    long t0 = System.nanoTime();
    for (long n = 0; !budget.warmupDone(n, System.nanoTime() - t0); n++) {
      consume(runner.run(step++));
    }
    if (warmedUp != null) {
      warmedUp.countDown();
      warmedUp.await();
    }
    long[] latencies = new long[1 << 12];
    int n = 0;
    long start = System.nanoTime();
    long now = start;
    while (!budget.measureDone(n, now - start)) {
      long before = System.nanoTime();
      consume(runner.run(step++));
      now = System.nanoTime();
      if (n == latencies.length) {
        latencies = Arrays.copyOf(latencies, n * 2);
      }
      latencies[n++] = now - before;
    }
    perCaller[caller] = latencies;
    counts[caller] = n;
    return start;
  }

  // Keeps the JIT from discarding results, like JMH's Blackhole in spirit; cheap for any result.
  private static void consume(Object result) {
    if (System.identityHashCode(result) == 0x5eed) {
      Thread.onSpinWait();
    }
  }
}
