package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CoreLatencyProbeTest {
  /**
   * Few enough hand-offs to finish on any machine (on one busy CPU each waits for a time slice,
   * milliseconds), with time to spare, so the probe must return a real figure: a positive mean that
   * the measured trips cannot exceed in total.
   */
  @Test
  void measuresAPositiveRoundTripThatFitsInTheTimeItTook() throws InterruptedException {
    int trips = 200;
    long start = System.nanoTime();
    double ns = CoreLatencyProbe.roundTripNs(trips, TimeUnit.SECONDS.toNanos(60));
    long took = System.nanoTime() - start;
    assertTrue(ns > 1, "round trip " + ns + " ns"); // NaN fails too
    assertTrue(ns * trips <= took, trips + " trips of " + ns + " ns in " + took + " ns");
  }

  @Test
  void givesUpAtTheDeadlineWithNaNWhenNothingWasMeasured() throws InterruptedException {
    long start = System.nanoTime();
    double ns =
        CoreLatencyProbe.roundTripNs(Integer.MAX_VALUE / 2, TimeUnit.MILLISECONDS.toNanos(50));
    double seconds = (System.nanoTime() - start) / 1e9;
    // The warm-up alone (a billion hand-offs) outlasts 50 ms on any machine.
    assertTrue(Double.isNaN(ns), "round trip " + ns + " ns");
    assertTrue(seconds < 5, "took " + seconds + " s");
  }

  @Test
  void describesTheRoundTripForAResultsHeader() {
    String line = CoreLatencyProbe.describe();
    assertTrue(line.matches("cross-core round trip (\\d+ ns|not measured \\(.+\\))"), line);
  }
}
