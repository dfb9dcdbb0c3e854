package dev.stn4j.sdk.internal;

/**
 * The predicted class of a row of scores, by one rule everywhere (the classifier, the exporter's
 * sample answers, the benchmarks' agreement checks): the largest score, the first on a tie.
 */
public final class ArgMax {
  private ArgMax() {}

  /**
   * Index, from {@code from}, of the largest of {@code values[from..from+n)}; the first on a tie.
   */
  public static int of(float[] values, int from, int n) {
    if (n < 1 || from < 0 || from + n > values.length) {
      throw new IllegalArgumentException(
          "no row of " + n + " scores at " + from + " in " + values.length + " values");
    }
    int best = 0;
    for (int k = 1; k < n; k++) {
      if (values[from + k] > values[from + best]) {
        best = k;
      }
    }
    return best;
  }
}
