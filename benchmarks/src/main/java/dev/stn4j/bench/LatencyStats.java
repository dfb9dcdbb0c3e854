package dev.stn4j.bench;

import java.util.Arrays;

/** Percentiles of per-call latencies, in nanoseconds, by the nearest-rank method. */
record LatencyStats(long count, double meanNs, long p50Ns, long p90Ns, long p99Ns, long maxNs) {

  /** Summarises the first {@code n} entries of {@code latenciesNs} (sorted in place). */
  static LatencyStats of(long[] latenciesNs, int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("no latencies recorded");
    }
    Arrays.sort(latenciesNs, 0, n);
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += latenciesNs[i];
    }
    return new LatencyStats(
        n,
        sum / n,
        rank(latenciesNs, n, 0.50),
        rank(latenciesNs, n, 0.90),
        rank(latenciesNs, n, 0.99),
        latenciesNs[n - 1]);
  }

  private static long rank(long[] sorted, int n, double q) {
    int index = (int) Math.ceil(q * n) - 1;
    return sorted[Math.max(0, Math.min(n - 1, index))];
  }
}
