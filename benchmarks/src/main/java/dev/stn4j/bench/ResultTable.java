package dev.stn4j.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The terminal table of {@code ./stn bench}; SDK rows also show their p50 and throughput against
 * the raw ONNX Runtime row of the same provider, batch and threads.
 */
final class ResultTable {
  private static final String FORMAT =
      "%-22s %-8s %5s %4s %4s %10s %10s %10s %12s %8s %8s %9s %8s %9s%n";

  private ResultTable() {}

  static void header(PrintWriter out) {
    out.printf(
        Locale.ROOT,
        FORMAT,
        "runtime",
        "provider",
        "batch",
        "thr",
        "call",
        "p50 µs",
        "p90 µs",
        "p99 µs",
        "images/s",
        "p50/raw",
        "load ms",
        "load MiB",
        "RSS MiB",
        "peak MiB");
  }

  static void row(PrintWriter out, BenchRow r, List<BenchRow> all) {
    String ratio = "";
    if (r.runtime().startsWith(RuntimeKind.SDK.id()) || r.runtime().startsWith("djl")) {
      for (BenchRow raw : all) {
        if (raw.runtime().equals(RuntimeKind.ORT_RAW.id())
            && raw.provider().equals(r.provider())
            && raw.batch() == r.batch()
            && raw.threads() == r.threads()
            && raw.callers() == 1) {
          ratio = String.format(Locale.ROOT, "%.2fx", r.p50Us() / raw.p50Us());
        }
      }
    }
    out.printf(
        Locale.ROOT,
        FORMAT,
        r.runtime(),
        r.provider(),
        r.batch(),
        r.threads(),
        r.callers(),
        String.format(Locale.ROOT, "%.1f", r.p50Us()),
        String.format(Locale.ROOT, "%.1f", r.p90Us()),
        String.format(Locale.ROOT, "%.1f", r.p99Us()),
        String.format(Locale.ROOT, "%,.0f", r.imagesPerS()),
        ratio,
        String.format(Locale.ROOT, "%.0f", r.loadMs()),
        String.format(Locale.ROOT, "%.0f", r.loadRssMib()),
        String.format(Locale.ROOT, "%.0f", r.rssMib()),
        String.format(Locale.ROOT, "%.0f", r.peakRssMib()));
    out.flush();
  }
}
