package dev.stn4j.cli;

import java.util.Arrays;

/**
 * The median and quartiles of some values, by linear interpolation between order statistics (the
 * default of NumPy's {@code percentile} and R's type 7), so results compare with a Python check.
 *
 * @param median the 50th percentile
 * @param q1 the 25th percentile
 * @param q3 the 75th percentile
 * @param count how many values
 */
record Spread(double median, double q1, double q3, int count) {
  /** The spread of {@code values} (not changed), or null when there are none. */
  static Spread of(double[] values) {
    if (values.length == 0) {
      return null;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return new Spread(
        percentile(sorted, 0.5), percentile(sorted, 0.25), percentile(sorted, 0.75), values.length);
  }

  /** The interquartile range, {@code q3 − q1}. */
  double iqr() {
    return q3 - q1;
  }

  private static double percentile(double[] sorted, double p) {
    double rank = p * (sorted.length - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(sorted.length - 1, below + 1);
    return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
  }
}
