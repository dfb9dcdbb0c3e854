package dev.stn4j.bench;

import dev.stn4j.sdk.internal.ArgMax;
import dev.stn4j.sdk.internal.SessionSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./stn bench int8}: the float32 model against its int8 copy ({@code stn quantize}) on the
 * raw ONNX Runtime baseline, measured in interleaved rounds so both share the machine's load alike;
 * the ratio to fp32 and the answers' agreement on the last batch are printed per row.
 *
 * <pre>{@code
 * ./stn bench int8 --int8-model model-int8.onnx --batches 1,64,256 --threads 1,2
 * }</pre>
 */
@Command(
    name = "int8",
    mixinStandardHelpOptions = true,
    description =
        "fp32 vs int8 (stn quantize) on the raw ONNX Runtime baseline, interleaved rounds; the"
            + " int8 model also with ONNX Runtime's own GridSample (no custom-op library).")
final class Int8AbCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelInputs inputs;

  @Option(
      names = "--int8-model",
      required = true,
      split = ",",
      paramLabel = "FILE",
      description = "int8 models (from 'stn quantize --model <the fp32 model>'), comma-separated")
  List<Path> int8Models;

  @Option(names = "--batches", split = ",", description = "Batch sizes (default: 1,64,256).")
  List<Integer> batches = List.of(1, 64, 256);

  @Option(names = "--threads", split = ",", description = "Intra-op threads (default: 1,2).")
  List<Integer> threads = List.of(1, 2);

  @Option(names = "--warmup-seconds", description = "Warm-up per arm (default: 1).")
  double warmupSeconds = 1;

  @Option(names = "--seconds", description = "Measuring time per arm (default: 3).")
  double seconds = 3;

  @Option(names = "--rounds", description = "Interleaved measuring rounds (default: 5).")
  int rounds = 5;

  @Option(names = "--json", description = "Write the rows as a JSON array to this file.")
  Path json;

  /** One model and session setting compared. */
  private record Arm(String name, Path model, UnaryOperator<SessionSettings.Builder> settings) {}

  /**
   * fp32, then each int8 model with the SDK's settings and with ONNX Runtime's own GridSample: the
   * SDK registers its GridSample kernel as a custom-op library, and with one registered ONNX
   * Runtime 1.28 keeps QLinearConv in NCHW instead of moving the int8 part to NHWC (seen in the
   * optimised graph).
   */
  private List<Arm> arms(Path fp32) {
    List<Arm> arms = new ArrayList<>();
    arms.add(new Arm("fp32", fp32, s -> s));
    for (int i = 0; i < int8Models.size(); i++) {
      String name = int8Models.size() == 1 ? "int8" : "int8#" + (i + 1);
      arms.add(new Arm(name, int8Models.get(i), s -> s));
      arms.add(new Arm(name + "/ort-gridsample", int8Models.get(i), s -> s.nativeKernels(false)));
    }
    return arms;
  }

  /** One measured arm. */
  record Int8Row(
      String arm,
      int batch,
      int threads,
      double p50Us,
      double p99Us,
      double imagesPerS,
      double speedupVsFp32,
      double classAgreement,
      double maxThetaDiff) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    for (Path m : int8Models) {
      if (!Files.isRegularFile(m)) {
        spec.commandLine().getErr().println("bench int8: " + m + ": int8 model not found");
        return 1;
      }
    }
    Path fp32 = inputs.modelFile();
    List<Arm> arms = arms(fp32);
    SampleImages images = inputs.sampleImages();
    Budget budget = new Budget(warmupSeconds, seconds, 0, 0);
    List<Int8Row> rows = new ArrayList<>();
    out.println("before: " + CoreLatencyProbe.describe());
    out.printf("fp32 %s%n", fp32);
    for (int i = 0; i < int8Models.size(); i++) {
      out.printf("int8%s %s%n", int8Models.size() == 1 ? "" : "#" + (i + 1), int8Models.get(i));
    }
    out.printf(
        Locale.ROOT,
        "%-20s %6s %4s %10s %10s %12s %9s %9s %10s%n",
        "arm",
        "batch",
        "thr",
        "p50 µs",
        "p99 µs",
        "images/s",
        "vs fp32",
        "agree",
        "max|dθ|");
    for (int batch : batches) {
      for (int t : threads) {
        List<RawOrtAb.Arm> abArms = new ArrayList<>();
        for (Arm arm : arms) {
          RunSpec rs = new RunSpec(RuntimeKind.ORT_RAW, ProviderKind.CPU, batch, t, arm.model());
          abArms.add(
              new RawOrtAb.Arm(rs, arm.settings().apply(rs.sessionSettings().toBuilder()).build()));
        }
        RawOrtAb.Result ab = RawOrtAb.measure(abArms, images, budget, rounds);
        double baseRate = ab.rows().get(0).imagesPerS();
        for (int k = 0; k < arms.size(); k++) {
          BenchRow r = ab.rows().get(k);
          Int8Row row =
              new Int8Row(
                  arms.get(k).name(),
                  batch,
                  t,
                  r.p50Us(),
                  r.p99Us(),
                  r.imagesPerS(),
                  r.imagesPerS() / baseRate,
                  agreement(ab.outputs().get(0)[0], ab.outputs().get(k)[0]),
                  maxAbsDiff(ab.outputs().get(0)[1], ab.outputs().get(k)[1]));
          rows.add(row);
          out.printf(
              Locale.ROOT,
              "%-20s %6d %4d %10.1f %10.1f %,12.0f %8.2fx %8.1f%% %10.2e%n",
              row.arm(),
              batch,
              t,
              row.p50Us(),
              row.p99Us(),
              row.imagesPerS(),
              row.speedupVsFp32(),
              100 * row.classAgreement(),
              row.maxThetaDiff());
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

  /** Fraction of images (rows of 10 probabilities) whose arg-max class is the same. */
  static double agreement(float[] a, float[] b) {
    int n = a.length / 10;
    int same = 0;
    for (int i = 0; i < n; i++) {
      if (ArgMax.of(a, i * 10, 10) == ArgMax.of(b, i * 10, 10)) {
        same++;
      }
    }
    return (double) same / n;
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
