package dev.stn4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./stn bench}: latency percentiles and throughput per runtime × provider × batch × threads
 * on the sample images, a terminal table and JSON rows; {@code --jmh} hands over to the JMH suite;
 * {@code --leak-check N} watches resident memory over N SDK predictions.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      ProfileCommand.class,
      LeversCommand.class,
      DecodeDeltaCommand.class,
      ServeLoadCommand.class,
      Int8AbCommand.class,
      RooflineCommand.class
    },
    description =
        "Latency (p50/p90/p99) and throughput of the STN per runtime, provider, batch and threads,"
            + " on the model's sample images at its size (pre-processing excluded). With --jmh, the JMH suite instead"
            + " (e.g. --jmh -p runtime=sdk,ort-raw -p batch=1).")
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--jmh", description = "Run the JMH suite; all later arguments go to JMH.")
  boolean jmh;

  @Unmatched List<String> jmhArgs = new ArrayList<>();

  @Mixin ModelInputs inputs;

  @Option(
      names = "--runtimes",
      split = ",",
      description = "Runtimes: sdk, ort-raw, djl-pytorch, djl-ort (default: all).")
  List<String> runtimes = List.of("sdk", "ort-raw", "djl-pytorch", "djl-ort");

  @Option(
      names = "--providers",
      split = ",",
      description = "Providers: cpu, cuda, tensorrt; unavailable ones are skipped with the reason.")
  List<String> providers = List.of("cpu", "cuda", "tensorrt");

  @Option(names = "--batches", split = ",", description = "Batch sizes (default: 1,8,64,256).")
  List<Integer> batches = List.of(1, 8, 64, 256);

  @Option(names = "--threads", split = ",", description = "Intra-op threads (default: 1,2).")
  List<Integer> threads = List.of(1, 2);

  @Option(
      names = "--callers",
      split = ",",
      description =
          "Java threads sharing one SDK classifier (default: 1); values > 1 apply to the sdk"
              + " runtime only, the thread-safe one.")
  List<Integer> callers = List.of(1);

  @Option(names = "--warmup-seconds", description = "Warm-up per row (default: 2).")
  double warmupSeconds = 2;

  @Option(names = "--seconds", description = "Measuring time per row (default: 3).")
  double seconds = 3;

  @Option(names = "--warmup-iterations", description = "Warm-up calls instead of seconds.")
  long warmupIterations;

  @Option(names = "--iterations", description = "Measured calls instead of seconds.")
  long iterations;

  @Option(
      names = "--preprocessing",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Also time the SDK's pre-processing: toChw of a decoded 32x32 and 640x480 image,"
              + " ImageLoader.read of a 640x480 JPEG (default: on; --no-preprocessing).")
  boolean preprocessing;

  @Option(
      names = "--sdk-max-batch",
      description =
          "The SDK classifier's maxBatchSize (default: the batch): with a smaller value"
              + " predictAll splits each batch into runs of this size. Labelled sdk/maxN.")
  int sdkMaxBatch;

  @Option(
      names = "--rounds",
      description =
          "Measure the runtimes of one configuration in this many interleaved rounds, so they"
              + " share the machine's load alike (default: 3).")
  int rounds = 3;

  @Option(names = "--json", description = "Write the rows as a JSON array to this file.")
  Path json;

  @Option(
      names = "--leak-check",
      paramLabel = "N",
      description =
          "Instead of the table: N SDK predictions after warm-up (first provider, batch and"
              + " threads) in a JVM with a pre-touched 1 GiB heap and native memory tracking,"
              + " printing native memory (resident minus Java heap) and its growth in bytes per"
              + " prediction.")
  long leakCheck;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (jmh) {
      return JmhLauncher.run(jmhArgs, out);
    }
    if (!jmhArgs.isEmpty()) {
      spec.commandLine().getErr().println("bench: unknown arguments " + jmhArgs);
      return 2;
    }
    if (runtimes.stream().map(RuntimeKind::parse).anyMatch(r -> r == RuntimeKind.DJL_ORT)) {
      try {
        DjlOrtRunner.startEngine();
      } catch (UnavailableException e) {
        out.println("djl-ort rows will be skipped: " + e.getMessage()); // and said so per row
      }
    }
    Path modelFile = inputs.modelFile();
    SampleImages images = inputs.sampleImages();
    Budget budget = new Budget(warmupSeconds, seconds, warmupIterations, iterations);
    if (leakCheck > 0) {
      RunSpec spec =
          new RunSpec(
              RuntimeKind.SDK,
              ProviderKind.parse(providers.get(0)),
              batches.get(0),
              threads.get(0),
              modelFile);
      if (!LeakCheck.isMeasuringJvm()) {
        // The heap must be resident from the start for RSS growth to be native growth.
        return LeakCheck.inMeasuringJvm(
            this.spec.commandLine().getParseResult().originalArgs(), out);
      }
      return LeakCheck.run(spec, images, budget, leakCheck, json, out);
    }
    out.printf(
        Locale.ROOT,
        "model %s, %s, %d CPUs, warm-up %s, measuring %s per row%n",
        modelFile,
        images.description(),
        Runtime.getRuntime().availableProcessors(),
        warmupIterations > 0 ? warmupIterations + " calls" : warmupSeconds + " s",
        iterations > 0 ? iterations + " calls" : seconds + " s");
    out.println("before: " + CoreLatencyProbe.describe());
    List<BenchRow> rows = runAll(modelFile, images, budget, out);
    out.println("after: " + CoreLatencyProbe.describe());
    if (preprocessing) {
      rows.addAll(PreprocessRows.measure(images, budget, out));
    }
    out.println();
    ResultTable.header(out);
    for (BenchRow r : rows) {
      ResultTable.row(out, r, rows);
    }
    if (json != null) {
      writeJson(rows, json);
      out.println("wrote " + rows.size() + " rows to " + json);
    }
    return rows.isEmpty() ? 1 : 0;
  }

  private List<BenchRow> runAll(Path modelFile, SampleImages images, Budget budget, PrintWriter out)
      throws Exception {
    List<BenchRow> rows = new ArrayList<>();
    Set<String> skipped = new HashSet<>();
    List<RuntimeKind> kinds = runtimes.stream().map(RuntimeKind::parse).toList();
    for (ProviderKind provider : providers.stream().map(ProviderKind::parse).toList()) {
      for (int batch : batches) {
        for (int t : threads) {
          List<Runner> open = new ArrayList<>();
          List<double[]> load = new ArrayList<>(); // [ms, RSS MiB added]
          try {
            for (RuntimeKind runtime : kinds) {
              RunSpec rs = new RunSpec(runtime, provider, batch, t, modelFile);
              long rssBefore = MemoryProbe.rssKib();
              long start = System.nanoTime();
              try {
                int maxBatch = sdkMaxBatch > 0 ? Math.min(sdkMaxBatch, batch) : batch;
                open.add(Runners.open(rs, images, maxBatch));
                load.add(
                    new double[] {
                      (System.nanoTime() - start) / 1e6,
                      MemoryProbe.mib(MemoryProbe.rssKib() - rssBefore)
                    });
              } catch (UnavailableException e) {
                if (skipped.add(runtime + "/" + provider)) {
                  out.println("skipped " + runtime + " on " + provider + ": " + e.getMessage());
                  out.flush();
                }
              }
            }
            rows.addAll(interleaved(open, load, budget, out));
          } finally {
            for (Runner r : open) {
              r.close();
            }
          }
        }
      }
    }
    return rows;
  }

  /**
   * Warms every runner up, then measures them in turn for {@link #rounds} rounds, so that the
   * runtimes compared in one configuration share the machine's load alike.
   */
  private List<BenchRow> interleaved(
      List<Runner> runners, List<double[]> load, Budget budget, PrintWriter out) throws Exception {
    List<int[]> plan = new ArrayList<>(); // [runner index, callers]
    for (int i = 0; i < runners.size(); i++) {
      for (int c : callers) {
        if (c == 1 || runners.get(i).spec().runtime() == RuntimeKind.SDK) {
          plan.add(new int[] {i, c});
        }
      }
    }
    List<Harness.Step> steps = new ArrayList<>();
    List<Integer> callerCounts = new ArrayList<>();
    for (int[] p : plan) {
      steps.add(runners.get(p[0])::run);
      callerCounts.add(p[1]);
    }
    List<Harness.Samples> samples = Harness.interleave(steps, callerCounts, budget, rounds);
    List<BenchRow> rows = new ArrayList<>();
    for (int k = 0; k < plan.size(); k++) {
      RunSpec rs = runners.get(plan.get(k)[0]).spec();
      String label = rs.runtime().id();
      if (rs.runtime() == RuntimeKind.SDK && sdkMaxBatch > 0 && sdkMaxBatch < rs.batch()) {
        label += "/max" + sdkMaxBatch;
      }
      BenchRow row =
          Harness.row(
              label,
              rs.provider().id(),
              rs.batch(),
              rs.threads(),
              plan.get(k)[1],
              load.get(plan.get(k)[0])[0],
              load.get(plan.get(k)[0])[1],
              samples.get(k));
      rows.add(row);
      out.printf(
          Locale.ROOT,
          "%-40s callers %d: p50 %9.1f µs  %,10.0f images/s%n",
          rs,
          row.callers(),
          row.p50Us(),
          row.imagesPerS());
    }
    out.flush();
    return rows;
  }

  static void writeJson(Object value, Path file) throws java.io.IOException {
    new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(file.toFile(), value);
  }
}
