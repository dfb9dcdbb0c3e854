package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ServerMemoryTest {
  /** Lines as prometheus-metrics-instrumentation-jvm writes them, among others. */
  private static final String SCRAPE =
      String.join(
          "\n",
          "# HELP jvm_memory_committed_bytes Committed (bytes) of a given JVM memory area.",
          "# TYPE jvm_memory_committed_bytes gauge",
          "jvm_memory_committed_bytes{area=\"heap\"} 2.68435456E8",
          "jvm_memory_committed_bytes{area=\"nonheap\"} 4.194304E7",
          "jvm_memory_pool_used_bytes{pool=\"G1 Eden Space\"} 1.2E7",
          "jvm_memory_used_bytes{area=\"heap\"} 1.048576E8",
          "jvm_memory_used_bytes{area=\"nonheap\"} 3.9E7",
          "stn_queue_images 0.0",
          "");

  @Test
  void readsTheHeapAndNonHeapGaugesAndSubtractsThemFromResidentMemory() {
    ServerMemory m = ServerMemory.of(10, 400_000, SCRAPE);
    assertEquals(262_144, m.heapCommittedKiB());
    assertEquals(102_400, m.heapUsedKiB());
    assertEquals(40_960, m.nonHeapCommittedKiB());
    assertEquals(400_000 - 262_144 - 40_960, m.outsideJvmKiB());
  }

  @Test
  void aScrapeWithoutTheJvmGaugesIsRefusedWithTheReason() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ServerMemory.of(0, 1, "stn_queue_images 0.0\n"));
    assertEquals(
        "the server's /metrics has no jvm_memory_committed_bytes/jvm_memory_used_bytes for heap"
            + " and nonheap",
        e.getMessage());
  }
}
