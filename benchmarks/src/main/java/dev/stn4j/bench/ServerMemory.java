package dev.stn4j.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reading of a {@code stn serve} process's memory during a load run: its resident set (from
 * {@code /proc}) and what the JVM says it has committed (from the server's {@code /metrics}).
 * Resident memory alone cannot tell a native leak from a heap growing to {@code -Xmx}; the
 * difference {@link #outsideJvmKiB()} can: ONNX Runtime's arenas, malloc, thread stacks.
 *
 * @param seconds time since the measured window began
 * @param rssKiB the process's resident set
 * @param heapCommittedKiB heap the JVM has committed (resident once touched)
 * @param heapUsedKiB heap in use, garbage included
 * @param nonHeapCommittedKiB metaspace, code cache and other JVM-managed non-heap pools
 */
record ServerMemory(
    double seconds,
    long rssKiB,
    long heapCommittedKiB,
    long heapUsedKiB,
    long nonHeapCommittedKiB) {

  private static final Pattern SAMPLE =
      Pattern.compile(
          "^(jvm_memory_(?:committed|used)_bytes)\\{area=\"(heap|nonheap)\"\\} (\\S+)$",
          Pattern.MULTILINE);

  /**
   * Reads the JVM memory gauges out of a Prometheus text-format scrape.
   *
   * @throws IllegalArgumentException when the scrape lacks one of them (an older server)
   */
  static ServerMemory of(double seconds, long rssKiB, String metricsText) {
    long heapCommitted = -1;
    long heapUsed = -1;
    long nonHeapCommitted = -1;
    Matcher m = SAMPLE.matcher(metricsText);
    while (m.find()) {
      long kib = (long) (Double.parseDouble(m.group(3)) / 1024);
      boolean heap = m.group(2).equals("heap");
      if (m.group(1).endsWith("committed_bytes")) {
        if (heap) {
          heapCommitted = kib;
        } else {
          nonHeapCommitted = kib;
        }
      } else if (heap) {
        heapUsed = kib;
      }
    }
    if (heapCommitted < 0 || heapUsed < 0 || nonHeapCommitted < 0) {
      throw new IllegalArgumentException(
          "the server's /metrics has no jvm_memory_committed_bytes/jvm_memory_used_bytes for"
              + " heap and nonheap");
    }
    return new ServerMemory(seconds, rssKiB, heapCommitted, heapUsed, nonHeapCommitted);
  }

  /** Resident memory the JVM does not account for: native libraries' allocations, stacks. */
  long outsideJvmKiB() {
    return rssKiB - heapCommittedKiB - nonHeapCommittedKiB;
  }
}
