package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CoreLatencyProbeTest {
  @Test
  void measuresAPositiveRoundTripInBoundedTime() throws InterruptedException {
    long start = System.nanoTime();
    double ns = CoreLatencyProbe.roundTripNs(1_000_000);
    double seconds = (System.nanoTime() - start) / 1e9;
    // Gives up after 0.3 s however slow the hand-offs (one CPU, a loaded machine).
    assertTrue(seconds < 2, "took " + seconds + " s");
    // A hand-off through memory takes at least a few nanoseconds.
    assertTrue(Double.isNaN(ns) || ns > 1, "round trip " + ns + " ns");
    assertTrue(
        CoreLatencyProbe.describe().matches("cross-core round trip (\\d+ ns|not measured .*)"));
  }
}
