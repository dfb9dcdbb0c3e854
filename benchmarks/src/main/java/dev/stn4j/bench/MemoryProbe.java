package dev.stn4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process memory as Linux reports it in {@code /proc/self/status} (resident set now and its
 * high-water mark), plus the Java heap in use. Native memory (ONNX Runtime, PyTorch) shows only in
 * the resident set, which is why both are reported.
 */
final class MemoryProbe {
  private static final Path STATUS = Path.of("/proc/self/status");

  private MemoryProbe() {}

  /** Resident set size in KiB, or -1 where {@code /proc} is not available. */
  static long rssKib() {
    return statusKib("VmRSS:");
  }

  /** Peak resident set size of the process so far in KiB, or -1 where not available. */
  static long peakRssKib() {
    return statusKib("VmHWM:");
  }

  /** Heap in use now, in bytes (no GC is forced). */
  static long heapUsedBytes() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static long statusKib(String key) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(key)) {
          String[] parts = line.substring(key.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  static double mib(long kib) {
    return kib < 0 ? -1 : kib / 1024.0;
  }
}
