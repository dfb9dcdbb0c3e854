package dev.stn4j.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./stn bench roofline}: this machine's attainable multiply-add rate with ONNX Runtime (a
 * large generated matrix product, {@link PeakProbe}), FP32 and, where the CPU has VNNI, int8; and
 * the model's achieved rate at batch 1 and 256, counting its useful work ({@link FlopCount}), as a
 * fraction of it.
 *
 * <pre>{@code
 * ./stn bench roofline --int8-model model-int8.onnx
 * }</pre>
 */
@Command(
    name = "roofline",
    mixinStandardHelpOptions = true,
    description =
        "Attainable FP32 (and int8 with VNNI) rate of ONNX Runtime on a large MatMul, and the"
            + " model's achieved FLOP/s at batch 1 and 256 as a fraction of it.")
final class RooflineCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelInputs inputs;

  @Option(
      names = "--int8-model",
      paramLabel = "FILE",
      description = "also the int8 model (from 'stn quantize')")
  Path int8Model;

  @Option(names = "--threads", split = ",", description = "Intra-op threads (default: 1,2).")
  List<Integer> threads = List.of(1, 2);

  @Option(names = "--batches", split = ",", description = "Model batch sizes (default: 1,256).")
  List<Integer> batches = List.of(1, 256);

  @Option(names = "--size", description = "Side of the square MatMul (default: 1024).")
  int size = 1024;

  @Option(names = "--seconds", description = "Measuring time per measurement (default: 3).")
  double seconds = 3;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (int8Model != null && !Files.isRegularFile(int8Model)) {
      spec.commandLine().getErr().println("bench roofline: " + int8Model + ": not found");
      return 1;
    }
    if (size < 16) {
      spec.commandLine()
          .getErr()
          .println("bench roofline: --size must be at least 16, got " + size);
      return 2;
    }
    Map<String, Path> models = new LinkedHashMap<>();
    models.put("fp32", inputs.modelFile());
    if (int8Model != null) {
      models.put("int8", int8Model);
    }
    String vnni = PeakProbe.vnni();
    long flopPerImage = FlopCount.perImage();
    out.println("before: " + CoreLatencyProbe.describe());
    out.printf(
        Locale.ROOT,
        "useful work %,d FLOP per image; VNNI: %s; peak = best of 3 rounds of a %d³ product%n",
        flopPerImage,
        vnni.isEmpty() ? "no (int8 roof not measured)" : vnni,
        size);
    SampleImages images = inputs.sampleImages();
    Budget budget = new Budget(1, seconds, 0, 0);
    for (int t : threads) {
      double fp32 = PeakProbe.measure(PeakProbe.Kind.FP32, size, t, seconds, 3);
      double int8 =
          vnni.isEmpty() ? 0 : PeakProbe.measure(PeakProbe.Kind.INT8, size, t, seconds, 3);
      out.printf(
          Locale.ROOT,
          "threads %d: FP32 MatMul %.1f GFLOP/s%s%n",
          t,
          fp32 / 1e9,
          int8 > 0
              ? String.format(Locale.ROOT, ", int8 MatMulInteger %.1f GOP/s", int8 / 1e9)
              : "");
      for (Map.Entry<String, Path> m : models.entrySet()) {
        for (int batch : batches) {
          double achieved = imagesPerSecond(m.getValue(), batch, t, images, budget) * flopPerImage;
          out.printf(
              Locale.ROOT,
              "  %-5s batch %4d: %,10.0f images/s = %6.2f GFLOP/s = %5.1f %% of FP32 peak%s%n",
              m.getKey(),
              batch,
              achieved / flopPerImage,
              achieved / 1e9,
              100 * achieved / fp32,
              int8 > 0
                  ? String.format(Locale.ROOT, ", %5.1f %% of int8 peak", 100 * achieved / int8)
                  : "");
        }
      }
      out.flush();
    }
    out.println("after: " + CoreLatencyProbe.describe());
    return 0;
  }

  /** Raw ONNX Runtime's throughput on {@code model} at this batch and thread count. */
  private static double imagesPerSecond(
      Path model, int batch, int threads, SampleImages images, Budget budget) throws Exception {
    RunSpec rs = new RunSpec(RuntimeKind.ORT_RAW, ProviderKind.CPU, batch, threads, model);
    try (OrtRawRunner runner = new OrtRawRunner(rs, rs.sessionSettings(), images)) {
      return Harness.row(
              "ort-raw", "cpu", batch, threads, 1, 0, 0, Harness.time(runner::run, budget, 1, 0))
          .imagesPerS();
    }
  }
}
