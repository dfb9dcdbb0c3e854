package dev.stn4j.cli;

import dev.stn4j.commandline.ProviderOption;
import dev.stn4j.sdk.ModelInfo;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.DoublePredicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code stn robustness}: one or more models on the same seeded distorted copies of the test images
 * (rotated, scaled, shifted with {@link dev.stn4j.image.AffineWarp}, the warp {@code stn train}
 * distorts with), their accuracy per level, what the transformer models recovered from θ, and their
 * speed; written as JSON, CSV and PNG plots.
 *
 * <pre>{@code
 * ./stn robustness --model stn.onnx --model cnn.onnx --angles 0,30,60,90 --scales 0.8,1.2
 * }</pre>
 */
@Command(
    name = "robustness",
    mixinStandardHelpOptions = true,
    description = {
      "Run each model on the same seeded distorted copies of the test images (CIFAR-10's"
          + " test_batch.bin or a labelled image tree, as 'stn evaluate' reads them): accuracy per"
          + " distortion level, the rotation and scale each transformer model recovers from theta"
          + " against those applied, and each model's images/s. Writes results.json, results.csv"
          + " and PNG plots into --output.",
      "Rotation by A: each image turned by +A or -A degrees (sign drawn per image from --seed),"
          + " counter-clockwise as displayed when positive. Shift by D: D pixels along a direction"
          + " drawn per image from --seed. Scale by F: the content scaled by F (above 1: larger)."
          + " Outside the image is filled with the model's normalisation mean, as its sampler"
          + " fills. Recovered values are theta_distorted composed with the inverse of"
          + " theta_undistorted, read in the same convention: a perfect inverse gives recovered ="
          + " applied."
    })
final class RobustnessCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      paramLabel = "FILE",
      description =
          "ONNX model file; repeat to compare models, which must share image size and classes"
              + " (default: the model shipped in the SDK)")
  List<Path> models = new ArrayList<>();

  @Mixin ProviderOption provider = new ProviderOption();

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "folder holding test_batch.bin, or a labelled image tree (<class name>/<images>)"
              + " (default: where 'stn train' downloads CIFAR-10)")
  Path dataDir;

  @Option(
      names = "--angles",
      paramLabel = "DEG",
      split = ",",
      description = "rotation levels in degrees, -180..180 (default: 0,15,30,45,60,90)")
  List<Double> angles = new ArrayList<>(List.of(0.0, 15.0, 30.0, 45.0, 60.0, 90.0));

  @Option(
      names = "--scales",
      paramLabel = "F",
      split = ",",
      description = "scale levels, each > 0 (above 1: the content enlarged; default: none)")
  List<Double> scales = new ArrayList<>();

  @Option(
      names = "--shifts",
      paramLabel = "PX",
      split = ",",
      description = "shift levels in pixels, each >= 0 (default: none)")
  List<Double> shifts = new ArrayList<>();

  @Option(
      names = "--limit",
      paramLabel = "N",
      description =
          "use at most N test images: CIFAR's first N records, or N files of a tree drawn with"
              + " --seed (default: all)")
  int limit;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "seed of the per-image rotation signs and shift directions (default: 1)")
  long seed = 1;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "folder for the results (default: ./robustness-<yyyyMMdd-HHmmss>)")
  Path output;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "ONNX Runtime intra-op threads and image decoders (default: all cores)")
  int threads = Runtime.getRuntime().availableProcessors();

  @Override
  public Integer call() throws Exception {
    List<Distortion> distortions = distortions();
    if (limit < 0) {
      throw usage("--limit must be >= 0, got " + limit);
    }
    if (threads < 1) {
      throw usage("--threads must be >= 1, got " + threads);
    }
    TestData data = TestData.locate(dataDir, "robustness");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<StnClassifier> open = new ArrayList<>();
    try {
      List<RobustnessRun.Model> run = openModels(open);
      ModelInfo first = run.get(0).info();
      data.checkFits(first);
      RobustnessResults results;
      try (LabelledImages images =
          LabelledImages.open(
              data, first.classNames(), first.imageSize(), limit, seed, threads, err)) {
        if (images.size() == 0) {
          throw new IllegalArgumentException(data.path() + ": no test images");
        }
        long steps = (long) images.size() * distortions.size() * run.size();
        try (Progress progress = Progress.start("robustness", steps)) {
          results = new RobustnessRun(run, distortions, seed).run(images, data, progress, err);
        }
      }
      if (results.images() == 0) {
        err.println("stn robustness: " + data.path() + ": no image could be read");
        return 1;
      }
      Path dir = Files.createDirectories(output != null ? output : defaultOutput());
      RobustnessReport report = new RobustnessReport(results);
      report.writeJson(dir.resolve(RobustnessReport.JSON_FILE));
      report.writeCsv(dir.resolve(RobustnessReport.CSV_FILE));
      List<Path> plots = new RobustnessCharts(results).write(dir);
      report.printText(out);
      List<String> names =
          new ArrayList<>(List.of(RobustnessReport.JSON_FILE, RobustnessReport.CSV_FILE));
      plots.forEach(p -> names.add(p.getFileName().toString()));
      out.println("wrote " + dir + ": " + String.join(", ", names));
      out.flush();
      err.flush();
      return results.failed() == 0 ? 0 : 1;
    } finally {
      open.forEach(StnClassifier::close);
    }
  }

  /** The levels given, validated: a usage error names the option and the bad value. */
  List<Distortion> distortions() {
    List<Distortion> levels = new ArrayList<>();
    add(
        levels,
        "--angles",
        Distortion.Kind.ROTATION,
        angles,
        a -> a >= -180 && a <= 180,
        "-180..180");
    add(levels, "--scales", Distortion.Kind.SCALE, scales, s -> s > 0, "> 0");
    add(levels, "--shifts", Distortion.Kind.SHIFT, shifts, d -> d >= 0, ">= 0");
    if (levels.isEmpty()) {
      throw usage("no distortion level: give --angles, --scales or --shifts");
    }
    return levels;
  }

  private void add(
      List<Distortion> levels,
      String option,
      Distortion.Kind kind,
      List<Double> values,
      DoublePredicate valid,
      String range) {
    Set<Double> seen = new HashSet<>();
    for (double v : values) {
      if (!Double.isFinite(v) || !valid.test(v)) {
        throw usage(option + ": " + Distortion.format(v) + " is outside " + range);
      }
      if (!seen.add(v == 0 ? 0.0 : v)) {
        throw usage(option + ": " + Distortion.format(v) + " is given twice");
      }
      levels.add(new Distortion(kind, v));
    }
  }

  /**
   * Opens every model (kept in {@code open} for closing) and checks they share size and classes.
   */
  private List<RobustnessRun.Model> openModels(List<StnClassifier> open) throws StnException {
    List<Path> files = models.isEmpty() ? Collections.singletonList((Path) null) : models;
    List<RobustnessRun.Model> run = new ArrayList<>();
    List<String> names = names(files);
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      StnClassifier.Builder builder = ModelOptions.builder(provider.provider(), threads, 256, true);
      StnClassifier classifier =
          (file == null ? builder.defaultModel() : builder.model(file)).build();
      open.add(classifier);
      String source = file == null ? "the shipped model" : file.toString();
      RobustnessRun.Model model = new RobustnessRun.Model(names.get(i), source, classifier);
      if (!run.isEmpty()) {
        checkMatches(run.get(0), model);
      }
      run.add(model);
    }
    return run;
  }

  /**
   * Each model's name in the outputs: its file name; when two share it (every run folder holds a
   * {@code model.onnx}), the fewest trailing path elements that tell them apart, such as {@code
   * run-a/model.onnx}; numbered when even the whole paths meet.
   */
  static List<String> names(List<Path> files) {
    List<String> names = new ArrayList<>();
    Set<String> used = new HashSet<>();
    for (Path f : files) {
      String name = f == null ? "default-model" : tail(f, depth(f, files));
      String unique = name;
      for (int k = 2; !used.add(unique); k++) {
        unique = name + "#" + k;
      }
      names.add(unique);
    }
    return names;
  }

  /** The fewest trailing elements of {@code file} that no other file of {@code all} ends with. */
  private static int depth(Path file, List<Path> all) {
    int max = file.getNameCount();
    for (int d = 1; d < max; d++) {
      String mine = tail(file, d);
      boolean distinct = true;
      for (Path other : all) {
        if (other != null && other != file && tail(other, d).equals(mine)) {
          distinct = false;
          break;
        }
      }
      if (distinct) {
        return d;
      }
    }
    return max;
  }

  private static String tail(Path file, int depth) {
    int n = file.getNameCount();
    if (depth >= n) {
      return file.toString();
    }
    return file.subpath(n - depth, n).toString();
  }

  private static void checkMatches(RobustnessRun.Model first, RobustnessRun.Model other) {
    ModelInfo a = first.info();
    ModelInfo b = other.info();
    if (a.imageSize() != b.imageSize() || !a.classNames().equals(b.classNames())) {
      throw new IllegalArgumentException(
          String.format(
              "%s: %dx%d with %d classes does not match %s (%dx%d with %d classes): every --model"
                  + " must take the same image size and classes, in the same order",
              other.source(),
              b.imageSize(),
              b.imageSize(),
              b.classNames().size(),
              first.source(),
              a.imageSize(),
              a.imageSize(),
              a.classNames().size()));
    }
  }

  private static Path defaultOutput() {
    return Path.of(
        "robustness-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
