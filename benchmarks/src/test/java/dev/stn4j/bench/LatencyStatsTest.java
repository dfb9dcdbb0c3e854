package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {
  @Test
  void nearestRankPercentilesOfUnsortedValues() {
    long[] values = new long[100];
    for (int i = 0; i < 100; i++) {
      values[i] = (i * 37 % 100) + 1; // 1..100, shuffled
    }
    LatencyStats s = LatencyStats.of(values, 100);
    assertEquals(50, s.p50Ns());
    assertEquals(90, s.p90Ns());
    assertEquals(99, s.p99Ns());
    assertEquals(100, s.maxNs());
    assertEquals(50.5, s.meanNs(), 1e-9);
  }

  @Test
  void onlyTheFirstNValuesCount() {
    long[] values = {5, 1, 3, 1000, 1000};
    LatencyStats s = LatencyStats.of(values, 3);
    assertEquals(3, s.count());
    assertEquals(3, s.p50Ns());
    assertEquals(5, s.p99Ns());
  }

  @Test
  void refusesNoValues() {
    assertThrows(IllegalArgumentException.class, () -> LatencyStats.of(new long[0], 0));
  }
}
