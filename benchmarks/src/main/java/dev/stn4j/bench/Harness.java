package dev.stn4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The plain harness behind {@code ./stn bench}: warms a unit of work up, then times each call. With
 * several callers, each Java thread calls the same work at once (only sensible for thread-safe
 * runtimes) and throughput counts all of them. Timings of several rounds can be merged, so that
 * rows compared with each other are measured interleaved, under the same machine load.
 */
final class Harness {
  private Harness() {}

  /** One timed unit of work: classify batch number {@code step}, or pre-process an image. */
  @FunctionalInterface
  interface Step {
    Object run(int step) throws Exception;
  }

  /**
   * Per-call latencies and the wall time they were measured in; merge rounds with {@link #plus}.
   */
  static final class Samples {
    private long[] latencies = new long[1 << 12];
    private int count;
    private long elapsedNs;
    private int nextStep;

    private void add(long ns) {
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = ns;
    }

    /** Adds another round's calls and wall time to this one. */
    Samples plus(Samples other) {
      for (int i = 0; i < other.count; i++) {
        add(other.latencies[i]);
      }
      elapsedNs += other.elapsedNs;
      return this;
    }

    LatencyStats stats() {
      return LatencyStats.of(latencies.clone(), count);
    }

    double callsPerSecond() {
      return count / (elapsedNs / 1e9);
    }
  }

  /** A result row for calls that each handle {@code batch} images. */
  static BenchRow row(
      String runtime,
      String provider,
      int batch,
      int threads,
      int callers,
      double loadMs,
      double loadRssMib,
      Samples samples) {
    LatencyStats stats = samples.stats();
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
        samples.callsPerSecond() * batch,
        loadMs,
        loadRssMib,
        MemoryProbe.mib(MemoryProbe.rssKib()),
        MemoryProbe.mib(MemoryProbe.peakRssKib()),
        MemoryProbe.heapUsedBytes() / (1024.0 * 1024.0));
  }

  /** Measures one runner opened {@code loadMs} milliseconds ago, in one round. */
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
        0,
        time(runner::run, budget, callers, 0));
  }

  /**
   * Warms up and times {@code step} from {@code callers} threads at once, starting at batch {@code
   * firstStep} (so that rounds continue through the sample set).
   */
  static Samples time(Harness.Step step, Budget budget, int callers, int firstStep)
      throws Exception {
    Samples[] perCaller = new Samples[callers];
    long start;
    if (callers == 1) {
      perCaller[0] = new Samples();
      start = timedLoop(step, budget, firstStep, perCaller[0], null);
    } else {
      CountDownLatch warmedUp = new CountDownLatch(callers);
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      try {
        List<Future<Long>> futures = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
          Samples mine = new Samples();
          perCaller[c] = mine;
          int from = firstStep + c * 7919; // callers work on different batches
          futures.add(pool.submit(() -> timedLoop(step, budget, from, mine, warmedUp)));
        }
        start = Long.MAX_VALUE;
        for (Future<Long> f : futures) {
          start = Math.min(start, f.get());
        }
      } finally {
        pool.shutdownNow();
      }
    }
    long elapsed = System.nanoTime() - start;
    Samples all = new Samples();
    for (Samples s : perCaller) {
      all.plus(s);
    }
    all.elapsedNs = elapsed;
    all.nextStep = perCaller[0].nextStep;
    return all;
  }

  /**
   * Warms each step up, then measures them in turn for {@code rounds} rounds and merges each one's
   * rounds: work compared side by side then shares the machine's load alike, even when that load
   * drifts (other processes on a shared machine).
   *
   * @param callers how many threads call {@code steps.get(i)} at once
   */
  static List<Samples> interleave(
      List<? extends Step> steps, List<Integer> callers, Budget budget, int rounds)
      throws Exception {
    for (Step s : steps) {
      time(s, budget.warmupOnly(), 1, 0);
    }
    Samples[] merged = new Samples[steps.size()];
    int[] next = new int[steps.size()];
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < steps.size(); k++) {
        Samples s = time(steps.get(k), budget.round(rounds, round), callers.get(k), next[k]);
        next[k] = s.nextStep;
        merged[k] = merged[k] == null ? s : merged[k].plus(s);
      }
    }
    return List.of(merged);
  }

  /**
   * Warms up, waits for the other callers to finish warming up, then records latencies.
   *
   * @return when measuring started (System.nanoTime)
   */
  private static long timedLoop(
      Step work, Budget budget, int firstStep, Samples samples, CountDownLatch warmedUp)
      throws Exception {
    int step = firstStep;
    long t0 = System.nanoTime();
    for (long n = 0; !budget.warmupDone(n, System.nanoTime() - t0); n++) {
      consume(work.run(step++));
    }
    if (warmedUp != null) {
      warmedUp.countDown();
      warmedUp.await();
    }
    long start = System.nanoTime();
    long now = start;
    while (!budget.measureDone(samples.count, now - start)) {
      long before = System.nanoTime();
      consume(work.run(step++));
      now = System.nanoTime();
      samples.add(now - before);
    }
    samples.nextStep = step;
    return start;
  }

  // Keeps the JIT from discarding results, like JMH's Blackhole in spirit; cheap for any result.
  private static void consume(Object result) {
    if (System.identityHashCode(result) == 0x5eed) {
      Thread.onSpinWait();
    }
  }
}
