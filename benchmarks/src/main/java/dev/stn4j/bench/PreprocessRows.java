package dev.stn4j.bench;

import dev.stn4j.image.ImageLoader;
import dev.stn4j.image.Preprocessor;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pre-processing rows of {@code ./stn bench} (runtime {@code pre:...}, provider {@code java},
 * batch 1): the same work as {@link PreprocessBenchmark}, in the plain harness.
 */
final class PreprocessRows {
  private PreprocessRows() {}

  static List<BenchRow> measure(SampleImages images, Budget budget, PrintWriter out)
      throws Exception {
    PreprocessInputs in = PreprocessInputs.create(images, 0);
    ImageLoader loader = ImageLoader.defaults();
    int s = images.imageSize();
    // The model's size: Preprocessor.ofSize(32) is the CIFAR-10 pre-processing toChw runs.
    Preprocessor preprocessor = Preprocessor.ofSize(s);
    float[] chw = new float[preprocessor.imageValues()];
    List<BenchRow> rows = new ArrayList<>();
    rows.add(
        row(
            "pre:toChw-" + s + "x" + s,
            budget,
            step -> {
              preprocessor.chw(in.small, chw, 0);
              return chw;
            },
            out));
    rows.add(
        row(
            "pre:toChw-640x480",
            budget,
            step -> {
              preprocessor.chw(in.large, chw, 0);
              return chw;
            },
            out));
    rows.add(row("pre:read-jpeg-640x480", budget, step -> loader.read(in.jpeg), out));
    return rows;
  }

  private static BenchRow row(String name, Budget budget, Harness.Step step, PrintWriter out)
      throws Exception {
    BenchRow r = Harness.row(name, "java", 1, 1, 1, 0, 0, Harness.time(step, budget, 1, 0));
    out.printf(
        Locale.ROOT,
        "%-40s           p50 %9.1f µs  %,10.0f images/s%n",
        name,
        r.p50Us(),
        r.imagesPerS());
    out.flush();
    return r;
  }
}
