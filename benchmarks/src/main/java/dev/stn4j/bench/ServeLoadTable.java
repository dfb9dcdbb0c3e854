package dev.stn4j.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The text {@code bench serve} prints as it goes: a line per row, its held connections, and its
 * memory samples, flushed after each row so a long run can be followed.
 */
final class ServeLoadTable {
  private final PrintWriter out;

  ServeLoadTable(PrintWriter out) {
    this.out = out;
  }

  void header() {
    out.printf(
        "%-9s %-8s %5s %10s %9s %9s %7s %6s %6s %11s %11s %s%n",
        "mode",
        "batching",
        "conc",
        "req/s",
        "p50 ms",
        "p99 ms",
        "errors",
        "wrong",
        "503",
        "client CPU",
        "server CPU",
        "server RSS MB");
  }

  void row(ServeLoadRow row) {
    LoadResult r = row.load();
    out.printf(
        "%-9s %-8s %5d %10.0f %9.3f %9.3f %7d %6d %6d %10.2fs %10.2fs %6d->%-6d%n",
        r.mode().wireName(),
        row.server().batching(),
        r.concurrency(),
        r.requestsPerSecond(),
        r.p50Ms(),
        r.p99Ms(),
        r.errors(),
        r.wrongAnswers(),
        r.status503(),
        r.clientCpuSeconds(),
        r.serverCpuSeconds(),
        r.serverRssKiBStart() / 1024,
        r.serverRssKiBEnd() / 1024);
    held(row.held());
    memory(r.serverMemory());
    out.flush();
  }

  private void held(List<HeldConnections.Stats> held) {
    for (HeldConnections.Stats s : held) {
      out.printf(
          "  held: %d %s (opened in %.1f s); closed by the server %d (408 first: %d), the longest"
              + " after %.1f s; reopen failures %d%n",
          s.count(),
          s.kind().name().toLowerCase(Locale.ROOT),
          s.openSeconds(),
          s.closedByServer(),
          s.answered408(),
          s.maxLifeSeconds(),
          s.reopenFailures());
    }
  }

  /** One line per sample: where resident memory went, heap or native. */
  private void memory(List<ServerMemory> samples) {
    if (samples.size() < 3) {
      return;
    }
    out.println("  memory (MB):   s      RSS  heap committed  heap used  non-heap  outside JVM");
    for (ServerMemory m : samples) {
      out.printf(
          "             %6.1f %8d %15d %10d %9d %12d%n",
          m.seconds(),
          m.rssKiB() / 1024,
          m.heapCommittedKiB() / 1024,
          m.heapUsedKiB() / 1024,
          m.nonHeapCommittedKiB() / 1024,
          m.outsideJvmKiB() / 1024);
    }
  }

  void reference(double imagesPerSecond) {
    out.printf(
        "reference: in-process predictEach, lists of 64 images, 2 callers x 1 intra-op thread:"
            + " %.0f images/s%n",
        imagesPerSecond);
  }
}
