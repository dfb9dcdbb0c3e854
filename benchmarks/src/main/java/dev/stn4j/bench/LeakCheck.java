package dev.stn4j.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * {@code ./stn bench --leak-check N}: after warm-up, runs N SDK predictions on one classifier and
 * samples memory 20 times, in a JVM whose 1 GiB heap is resident from the start ({@code -Xms} =
 * {@code -Xmx}, {@code AlwaysPreTouch}), so that resident memory minus the heap is native memory.
 * Native memory is split by the JVM's native memory tracking into the JVM's own (metaspace, code
 * cache, threads, GC) and the rest (ONNX Runtime, stn4j's kernel, glibc). Reports each one's growth
 * in bytes per prediction, over the whole run and over its second half (a leak keeps growing; a
 * cache levels off).
 */
final class LeakCheck {
  private static final int SAMPLES = 20;
  private static final String MEASURING = "stn4j.leakcheck.measuring";
  private static final Pattern NMT_TOTAL =
      Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
  private static final Pattern NMT_HEAP =
      Pattern.compile("Java Heap \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

  private LeakCheck() {}

  /**
   * One memory sample after {@code predictions} images, in MiB: resident, Java heap committed and
   * live after a full GC, the JVM's own native memory (NMT committed minus the heap) and the rest.
   */
  record Sample(
      long predictions,
      double seconds,
      double rssMib,
      double heapCommittedMib,
      double liveHeapMib,
      double jvmNativeMib,
      double otherNativeMib) {
    double nativeMib() {
      return rssMib - heapCommittedMib;
    }
  }

  /** Growth in bytes per prediction between two samples. */
  record Growth(double nativeBytes, double jvmNativeBytes, double otherNativeBytes) {
    static Growth between(Sample a, Sample b) {
      double n = b.predictions() - a.predictions();
      double mib = 1024.0 * 1024.0;
      return new Growth(
          (b.nativeMib() - a.nativeMib()) * mib / n,
          (b.jvmNativeMib() - a.jvmNativeMib()) * mib / n,
          (b.otherNativeMib() - a.otherNativeMib()) * mib / n);
    }
  }

  /** The whole check, as written to JSON. */
  record Report(
      String runtime,
      String provider,
      int batch,
      int threads,
      long predictions,
      Growth wholeRun,
      Growth secondHalf,
      List<Sample> samples) {}

  static boolean isMeasuringJvm() {
    return Boolean.getBoolean(MEASURING);
  }

  /** Runs the same command line in a JVM set up for the measurement; returns its exit code. */
  static int inMeasuringJvm(List<String> args, PrintWriter out) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xms1g",
            "-Xmx1g",
            "-XX:+AlwaysPreTouch",
            "-XX:NativeMemoryTracking=summary",
            "-D" + MEASURING + "=true",
            "-cp",
            System.getProperty("java.class.path"),
            BenchMain.class.getName(),
            "bench"));
    command.addAll(args.subList(args.indexOf("bench") + 1, args.size()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        out.println(line);
        out.flush();
      }
    }
    return process.waitFor();
  }

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
      long t0 = System.nanoTime();
      long warm = 0;
      while (!budget.warmupDone(warm, System.nanoTime() - t0)) {
        runner.run(step++);
        warm++;
      }
      out.printf(
          Locale.ROOT,
          "warm-up: %,d calls; Java heap %.0f MiB, pre-touched%n",
          warm,
          Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0));
      long every = Math.max(1, calls / SAMPLES);
      List<Sample> samples = new ArrayList<>();
      long start = System.nanoTime();
      out.printf(Locale.ROOT, "%s: %,d images after warm-up%n", spec, calls * spec.batch());
      out.printf(
          Locale.ROOT,
          "%14s %9s %9s %9s %10s %11s %12s %12s%n",
          "predictions",
          "seconds",
          "RSS MiB",
          "heap MiB",
          "live heap",
          "native MiB",
          "JVM native",
          "other native");
      samples.add(sample(0, start));
      print(out, samples.get(0));
      for (long c = 1; c <= calls; c++) {
        runner.run(step++);
        if (c % every == 0 || c == calls) {
          Sample s = sample(c * spec.batch(), start);
          samples.add(s);
          print(out, s);
        }
      }
      Report report = report(spec, calls * spec.batch(), samples, out);
      if (json != null) {
        BenchCommand.writeJson(report, json);
      }
      return 0;
    }
  }

  /** The growth over the whole run and over its second half, printed and returned. */
  private static Report report(
      RunSpec spec, long predictions, List<Sample> samples, PrintWriter out) {
    Sample first = samples.get(0);
    Sample middle = samples.get(samples.size() / 2);
    Sample last = samples.get(samples.size() - 1);
    Report report =
        new Report(
            spec.runtime().id(),
            spec.provider().id(),
            spec.batch(),
            spec.threads(),
            predictions,
            Growth.between(first, last),
            Growth.between(middle, last),
            samples);
    print(out, "whole run", report.wholeRun());
    print(out, "second half", report.secondHalf());
    out.printf(
        Locale.ROOT,
        "live Java heap after full GC: %.1f -> %.1f MiB%n",
        first.liveHeapMib(),
        last.liveHeapMib());
    return report;
  }

  private static void print(PrintWriter out, String span, Growth g) {
    out.printf(
        Locale.ROOT,
        "native growth, %s: %+.2f bytes/prediction (JVM's own %+.2f, ONNX Runtime and the rest"
            + " %+.2f)%n",
        span,
        g.nativeBytes(),
        g.jvmNativeBytes(),
        g.otherNativeBytes());
  }

  /** Reads memory now, then the live heap after a full GC. */
  private static Sample sample(long predictions, long start) throws Exception {
    double seconds = (System.nanoTime() - start) / 1e9;
    double rss = MemoryProbe.mib(MemoryProbe.rssKib());
    double heap = Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0);
    String nmt = nativeMemorySummary();
    double jvmTotal = kibToMib(group(NMT_TOTAL, nmt, 2));
    double nmtHeap = kibToMib(group(NMT_HEAP, nmt, 2));
    System.gc();
    double live = MemoryProbe.heapUsedBytes() / (1024.0 * 1024.0);
    double jvmNative = jvmTotal - nmtHeap;
    return new Sample(predictions, seconds, rss, heap, live, jvmNative, rss - heap - jvmNative);
  }

  private static String nativeMemorySummary() throws Exception {
    return (String)
        ManagementFactory.getPlatformMBeanServer()
            .invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "vmNativeMemory",
                new Object[] {new String[] {"summary"}},
                new String[] {String[].class.getName()});
  }

  private static long group(Pattern pattern, String text, int group) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no " + pattern + " in native memory tracking:\n" + text);
    }
    return Long.parseLong(m.group(group));
  }

  private static double kibToMib(long kib) {
    return kib / 1024.0;
  }

  private static void print(PrintWriter out, Sample s) {
    out.printf(
        Locale.ROOT,
        "%,14d %9.1f %9.1f %9.1f %10.1f %11.1f %12.1f %12.1f%n",
        s.predictions(),
        s.seconds(),
        s.rssMib(),
        s.heapCommittedMib(),
        s.liveHeapMib(),
        s.nativeMib(),
        s.jvmNativeMib(),
        s.otherNativeMib());
    out.flush();
  }
}
