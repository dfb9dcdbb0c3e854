package dev.stn4j.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./stn bench --leak-check N}: after warm-up, runs N SDK predictions on one classifier and
 * samples resident memory 20 times; reports the growth from the first sample to the last and to the
 * largest (the target: under 5 %).
 */
final class LeakCheck {
  private static final int SAMPLES = 20;

  private LeakCheck() {}

  /** One memory sample after {@code predictions} images. */
  record Sample(
      long predictions, double seconds, double rssMib, double heapUsedMib, double liveHeapMib) {}

  /** The whole check, as written to JSON. */
  record Report(
      String runtime,
      String provider,
      int batch,
      int threads,
      long predictions,
      double baselineRssMib,
      double finalRssMib,
      double maxRssMib,
      double growthPercent,
      double maxGrowthPercent,
      List<Sample> samples) {}

  static int run(
      RunSpec spec,
      SampleImages images,
      Budget budget,
      long predictions,
      Path json,
      PrintWriter out)
      throws Exception {
    try (Runner runner = Runners.open(spec, images)) {
      int step = 0;
      long calls = Math.max(1, predictions / spec.batch());
      // Until the Java heap has been used through once, resident memory grows as the young
      // generation is first touched; that is not a leak, so the warm-up lasts at least a tenth
      // of the run (or run with -Xms = -Xmx and -XX:+AlwaysPreTouch).
      long minWarmup = budget.warmupIterations() > 0 ? 0 : calls / 10;
      long t0 = System.nanoTime();
      long warm = 0;
      while (warm < minWarmup || !budget.warmupDone(warm, System.nanoTime() - t0)) {
        runner.run(step++);
        warm++;
      }
      out.printf(
          Locale.ROOT,
          "warm-up: %,d calls; Java heap committed %.0f MiB, max %.0f MiB%n",
          warm,
          Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0),
          Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0));
      long every = Math.max(1, calls / SAMPLES);
      List<Sample> samples = new ArrayList<>();
      long start = System.nanoTime();
      samples.add(sample(0, start));
      out.printf(Locale.ROOT, "%s: %,d images after warm-up%n", spec, calls * spec.batch());
      out.printf(
          Locale.ROOT,
          "%14s %9s %9s %10s %14s%n",
          "predictions",
          "seconds",
          "RSS MiB",
          "heap MiB",
          "live heap MiB");
      print(out, samples.get(0));
      for (long c = 1; c <= calls; c++) {
        runner.run(step++);
        if (c % every == 0 || c == calls) {
          Sample s = sample(c * spec.batch(), start);
          samples.add(s);
          print(out, s);
        }
      }
      double base = samples.get(0).rssMib();
      double last = samples.get(samples.size() - 1).rssMib();
      double max = samples.stream().mapToDouble(Sample::rssMib).max().orElse(base);
      Report report =
          new Report(
              spec.runtime().id(),
              spec.provider().id(),
              spec.batch(),
              spec.threads(),
              calls * spec.batch(),
              base,
              last,
              max,
              100 * (last - base) / base,
              100 * (max - base) / base,
              samples);
      out.printf(
          Locale.ROOT,
          "RSS %.1f -> %.1f MiB: growth %+.2f %% (max %+.2f %%); target < 5 %%: %s%n",
          base,
          last,
          report.growthPercent(),
          report.maxGrowthPercent(),
          report.maxGrowthPercent() < 5 ? "met" : "NOT met");
      out.printf(
          Locale.ROOT,
          "live Java heap after full GC: %.1f -> %.1f MiB%n",
          samples.get(0).liveHeapMib(),
          samples.get(samples.size() - 1).liveHeapMib());
      if (json != null) {
        BenchCommand.writeJson(report, json);
      }
      return 0;
    }
  }

  /** Reads memory now, then again after a full GC: the live heap shows a Java-side leak. */
  private static Sample sample(long predictions, long start) {
    double seconds = (System.nanoTime() - start) / 1e9;
    double rss = MemoryProbe.mib(MemoryProbe.rssKib());
    double used = MemoryProbe.heapUsedBytes() / (1024.0 * 1024.0);
    System.gc();
    double live = MemoryProbe.heapUsedBytes() / (1024.0 * 1024.0);
    return new Sample(predictions, seconds, rss, used, live);
  }

  private static void print(PrintWriter out, Sample s) {
    out.printf(
        Locale.ROOT,
        "%,14d %9.1f %9.1f %10.1f %14.1f%n",
        s.predictions(),
        s.seconds(),
        s.rssMib(),
        s.heapUsedMib(),
        s.liveHeapMib());
    out.flush();
  }
}
