package dev.stn4j.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./stn bench levers}: the raw ONNX Runtime baseline under each {@link Variant} (session
 * settings, graph rewrites), with the speed-up over the baseline and the largest output difference
 * from it, so a lever is only adopted when it is both faster and numerically the same.
 */
@Command(
    name = "levers",
    mixinStandardHelpOptions = true,
    description = "Try session settings and graph rewrites on the raw ONNX Runtime baseline.")
final class LeversCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelInputs inputs;

  @Option(names = "--variants", split = ",", description = "Variants (default: all).")
  List<String> variants = Variant.ALL.stream().map(Variant::name).toList();

  @Option(names = "--batches", split = ",", description = "Batch sizes (default: 1,256).")
  List<Integer> batches = List.of(1, 256);

  @Option(names = "--threads", split = ",", description = "Intra-op threads (default: 1,2).")
  List<Integer> threads = List.of(1, 2);

  @Option(names = "--warmup-seconds", description = "Warm-up per row (default: 1).")
  double warmupSeconds = 1;

  @Option(names = "--seconds", description = "Measuring time per row (default: 2).")
  double seconds = 2;

  @Option(names = "--rounds", description = "Interleaved measuring rounds (default: 5).")
  int rounds = 5;

  @Option(names = "--json", description = "Write the rows as a JSON array to this file.")
  Path json;

  /** One lever measurement. */
  record LeverRow(
      String variant,
      int batch,
      int threads,
      double p50Us,
      double p99Us,
      double imagesPerS,
      double speedup,
      double maxAbsDiff) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path modelFile = inputs.modelFile();
    SampleImages images = inputs.sampleImages();
    Budget budget = new Budget(warmupSeconds, seconds, 0, 0);
    List<Variant> chosen = new ArrayList<>();
    chosen.add(Variant.byName("baseline"));
    for (String v : variants) {
      if (!v.equals("baseline")) {
        chosen.add(Variant.byName(v));
      }
    }
    List<LeverRow> rows = new ArrayList<>();
    out.println("before: " + CoreLatencyProbe.describe());
    out.printf(
        Locale.ROOT,
        "%-18s %6s %4s %10s %10s %12s %8s %10s%n",
        "variant",
        "batch",
        "thr",
        "p50 µs",
        "p99 µs",
        "images/s",
        "speedup",
        "max |diff|");
    for (int batch : batches) {
      for (int t : threads) {
        List<RawOrtAb.Arm> arms = new ArrayList<>();
        for (Variant v : chosen) {
          RunSpec rs =
              new RunSpec(RuntimeKind.ORT_RAW, ProviderKind.CPU, batch, t, v.model(modelFile));
          arms.add(new RawOrtAb.Arm(rs, v.settings(rs.sessionSettings())));
        }
        RawOrtAb.Result ab = RawOrtAb.measure(arms, images, budget, rounds);
        double baseP50 = ab.rows().get(0).p50Us();
        for (int k = 0; k < arms.size(); k++) {
          BenchRow r = ab.rows().get(k);
          LeverRow row =
              new LeverRow(
                  chosen.get(k).name(),
                  batch,
                  t,
                  r.p50Us(),
                  r.p99Us(),
                  r.imagesPerS(),
                  baseP50 / r.p50Us(),
                  maxAbsDiff(ab.outputs().get(0), ab.outputs().get(k)));
          rows.add(row);
          out.printf(
              Locale.ROOT,
              "%-18s %6d %4d %10.1f %10.1f %,12.0f %7.2fx %10.2e%n",
              row.variant(),
              batch,
              t,
              row.p50Us(),
              row.p99Us(),
              row.imagesPerS(),
              row.speedup(),
              row.maxAbsDiff());
        }
        out.flush();
      }
    }
    out.println("after: " + CoreLatencyProbe.describe());
    if (json != null) {
      BenchCommand.writeJson(rows, json);
    }
    return 0;
  }

  private static double maxAbsDiff(float[][] a, float[][] b) {
    double max = 0;
    for (int k = 0; k < a.length; k++) {
      for (int i = 0; i < a[k].length; i++) {
        max = Math.max(max, Math.abs(a[k][i] - b[k][i]));
      }
    }
    return max;
  }
}
