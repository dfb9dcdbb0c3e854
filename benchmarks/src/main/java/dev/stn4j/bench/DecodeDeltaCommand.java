package dev.stn4j.bench;

import dev.stn4j.image.ImageLoader;
import dev.stn4j.image.Preprocessor;
import dev.stn4j.sdk.StnException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./stn bench decode-delta}: how much the model's input changes when a photo is decoded at
 * reduced size (issue 30): on a sample of image files, the max and mean |Δ| of the 3×S×S input
 * tensors between {@code ImageLoader.read(file)} (the full decode) and {@code read(file, S)} (the
 * reduced one), for the default loader (libturbojpeg when the system has it) and for {@code
 * pureJava()}; and between the two loaders' tensors, full and reduced, since what the network sees
 * should not depend on whether a machine has the native library.
 *
 * <pre>{@code
 * ./stn bench decode-delta runs/photos/cifar-test-640x480 --sample 500
 * }</pre>
 */
@Command(
    name = "decode-delta",
    mixinStandardHelpOptions = true,
    description =
        "Max and mean |delta| of the SxS input tensors between the full decode read(file) and the"
            + " reduced read(file, S), native and pure Java, on a sample of image files.")
final class DecodeDeltaCommand implements Callable<Integer> {
  private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png");

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "image files or folders")
  List<Path> paths;

  @Option(
      names = "--sample",
      description =
          "Files compared: every k-th of the sorted files, k = ceil(total / N) (default: 500).")
  int sample = 500;

  @Option(names = "--size", description = "The model's input side S (default: 32).")
  int size = 32;

  /** Max and mean |Δ| of one comparison over the files, and where the max was. */
  static final class Delta {
    final String name;
    double max = -1;
    double sum;
    long values;
    int files;
    int identical;
    String maxAt = "-";

    Delta(String name) {
      this.name = name;
    }

    void add(String file, float[] a, float[] b) {
      double fileMax = 0;
      for (int i = 0; i < a.length; i++) {
        double d = Math.abs(a[i] - b[i]);
        sum += d;
        fileMax = Math.max(fileMax, d);
      }
      values += a.length;
      files++;
      identical += fileMax == 0 ? 1 : 0;
      if (fileMax > max) {
        max = fileMax;
        maxAt = file;
      }
    }

    double mean() {
      return values == 0 ? Double.NaN : sum / values;
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (sample < 1 || size < Preprocessor.MIN_SIZE || size > Preprocessor.MAX_SIZE) {
      err.printf(
          "bench decode-delta: --sample must be >= 1 and --size in [%d, %d]%n",
          Preprocessor.MIN_SIZE, Preprocessor.MAX_SIZE);
      return 2;
    }
    List<Path> all = files(paths);
    if (all.isEmpty()) {
      err.println("bench decode-delta: no .jpg, .jpeg or .png files in " + paths);
      return 1;
    }
    int step = (all.size() + sample - 1) / sample;
    int[] failures = {0};
    List<Delta> deltas = compare(all, step, err, failures);
    out.printf(
        Locale.ROOT,
        "decode-delta: %,d of %,d files compared (1 in every %d, sorted by path; %d failed),"
            + " input %dx%d%n",
        deltas.get(0).files,
        all.size(),
        step,
        failures[0],
        size,
        size);
    out.printf(
        "%-34s %9s %10s %10s  %s%n", "comparison", "identical", "max |Δ|", "mean |Δ|", "max at");
    for (Delta d : deltas) {
      out.printf(
          Locale.ROOT,
          "%-34s %9d %10.6f %10.7f  %s%n",
          d.name,
          d.identical,
          d.max,
          d.mean(),
          d.maxAt);
    }
    out.flush();
    return failures[0] == 0 ? 0 : 1;
  }

  /** Compares every step-th file; a file that fails is reported and counted, the rest go on. */
  private List<Delta> compare(List<Path> all, int step, PrintWriter err, int[] failures) {
    ImageLoader defaults = ImageLoader.defaults();
    ImageLoader pure = defaults.pureJava();
    Preprocessor p = Preprocessor.ofSize(size);
    Delta nativeDelta = new Delta("default: full vs reduced");
    Delta pureDelta = new Delta("pureJava: full vs reduced");
    Delta reducedDoors = new Delta("reduced: default vs pureJava");
    Delta fullDoors = new Delta("full: default vs pureJava");
    for (int i = 0; i < all.size(); i += step) {
      Path file = all.get(i);
      try {
        float[] nativeFull = p.chw(defaults.read(file));
        float[] nativeReduced = p.chw(defaults.read(file, size));
        float[] pureFull = p.chw(pure.read(file));
        float[] pureReduced = p.chw(pure.read(file, size));
        String name = file.toString();
        nativeDelta.add(name, nativeFull, nativeReduced);
        pureDelta.add(name, pureFull, pureReduced);
        reducedDoors.add(name, nativeReduced, pureReduced);
        fullDoors.add(name, nativeFull, pureFull);
      } catch (StnException e) {
        failures[0]++;
        err.println("bench decode-delta: " + e.getMessage());
      }
    }
    return List.of(nativeDelta, pureDelta, reducedDoors, fullDoors);
  }

  /** The image files under {@code paths}, sorted by path. */
  static List<Path> files(List<Path> paths) throws IOException {
    List<Path> found = new ArrayList<>();
    for (Path path : paths) {
      if (!Files.isDirectory(path)) {
        found.add(path);
        continue;
      }
      try (Stream<Path> walk = Files.walk(path)) {
        walk.filter(Files::isRegularFile).filter(DecodeDeltaCommand::isImage).forEach(found::add);
      }
    }
    found.sort(null);
    return found;
  }

  private static boolean isImage(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(name::endsWith);
  }
}
