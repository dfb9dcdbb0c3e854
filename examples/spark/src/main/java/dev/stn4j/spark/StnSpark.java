package dev.stn4j.spark;

import dev.stn4j.commandline.BatchSizeOption;
import dev.stn4j.commandline.ModelOption;
import dev.stn4j.commandline.StnCommandLine;
import dev.stn4j.commandline.SummaryJsonOption;
import dev.stn4j.files.ImageFile;
import dev.stn4j.files.ImageWalk;
import dev.stn4j.files.LabelledSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stn spark PATH... --output DIR}: classifies image files and folders with Spark, in this
 * process (local mode), writes one row per file as Parquet or JSON, and prints the summary of
 * {@code stn classify}.
 *
 * <pre>{@code
 * ./stn spark examples/images --output /tmp/answers --master 'local[2]' --summary-json s.json
 * ./stn spark photos/ --model my-model.onnx --output /tmp/answers
 * }</pre>
 *
 * <p>The model ({@code --model}, else the shipped CIFAR-10 one) decides the image size the files
 * are pre-processed to, the class names of the rows, the folder names that label files, and the
 * classes of the summary.
 *
 * <p>Exit status as {@code stn classify}: 0 every file classified, 1 some failed or none found (or
 * the job failed, or the model is unusable), 2 usage error. The model, the paths and where the
 * results go are checked before Spark starts, each problem in one line naming its input.
 */
@Command(
    name = "stn spark",
    mixinStandardHelpOptions = true,
    description = {
      "Classify image files and folders (walked recursively) with the STN on Apache Spark, in this"
          + " process.",
      "Writes one row per file (path, true_class, true_label, label, class_index, confidence,"
          + " probabilities, theta, error); a file that cannot be classified gets an error row and"
          + " the job goes on. Prints the summary of 'stn classify' on stderr.",
      "Exit status: 0 every file classified, 1 some failed or none found or the model is"
          + " unusable, 2 usage error."
    })
public final class StnSpark implements Callable<Integer> {
  /** Output formats: Spark data source names. */
  enum Format {
    parquet,
    json
  }

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "image files or folders")
  List<Path> paths;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "where Spark writes the rows (a folder of part files)")
  Path output;

  @Option(names = "--overwrite", description = "replace --output if it exists (default: refuse)")
  boolean overwrite;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "parquet",
      description = "parquet or json (default: ${DEFAULT-VALUE})")
  Format format;

  @Option(
      names = "--master",
      paramLabel = "MASTER",
      defaultValue = "local[*]",
      description = "Spark master, local[N] (default: ${DEFAULT-VALUE}, one task per core)")
  String master;

  @Mixin SummaryJsonOption summaryJson = new SummaryJsonOption();

  @Mixin ModelOption model = new ModelOption();

  // Not the shared ProviderOption: on Spark a GPU is what the cluster assigns to a task, so the
  // CPU is the default, and the text travels to the executors as a transformer parameter.

  @Option(
      names = "--provider",
      paramLabel = "PROVIDER",
      defaultValue = "cpu",
      description = "cpu, auto, cuda[:DEVICE] or tensorrt[:DEVICE] (default: ${DEFAULT-VALUE})")
  String provider;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "ONNX Runtime intra-op threads per executor JVM (default: ${DEFAULT-VALUE}; Spark"
              + " already runs one task per core)")
  int threads;

  @Mixin BatchSizeOption batchSizeOption = new BatchSizeOption();

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "0",
      description = "partitions (default: whole batches, two partitions per core)")
  int partitions;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    StnCommandLine.exit(commandLine(), args);
  }

  /** The configured command line; tests run it with their own writers. */
  static CommandLine commandLine() {
    return StnCommandLine.configure(new CommandLine(new StnSpark()));
  }

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    if (threads < 1) {
      throw new ParameterException(cl, "--threads must be >= 1, got " + threads);
    }
    int batchSize = batchSizeOption.get();
    if (partitions < 0) {
      throw new ParameterException(cl, "--partitions must be >= 0, got " + partitions);
    }
    if (!master.startsWith("local")) {
      throw new ParameterException(
          cl,
          "--master must be local[N] (this command runs Spark in-process); for a cluster,"
              + " spark-submit the job jar (see examples/spark/README.md)");
    }
    checkWhereResultsGo(cl);
    StnClassifierTransformer transformer = new StnClassifierTransformer();
    try {
      transformer
          .setModelPath(model.model().map(Path::toString).orElse(""))
          .setProvider(provider)
          .setIntraOpThreads(threads)
          .setBatchSize(batchSize);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, e.getMessage());
    }

    PrintWriter err = cl.getErr();
    quietLogging();
    long start = System.nanoTime();
    List<ImageFile> files = ImageJob.list(transformer, paths, w -> err.println("stn spark: " + w));
    double listSeconds = (System.nanoTime() - start) / 1e9;
    if (files.stream().allMatch(f -> f.problem() != null)) {
      nothingToClassify(files, transformer.classNames(), err);
      return 1;
    }
    long sparkStart = System.nanoTime();
    try (SparkSession spark = localSession(master)) {
      double startSeconds = (System.nanoTime() - sparkStart) / 1e9;
      ImageJob.Result result =
          ImageJob.run(spark, files, output, format.name(), overwrite, partitions, transformer);
      LabelledSummary summary = result.summary();
      writeSummary(summary, err);
      err.printf(
          Locale.ROOT,
          "%.2f s: listing and model %.2f s, Spark start %.2f s, job %.2f s (%s, %d partitions,"
              + " %.0f files/s in the job)%n",
          (System.nanoTime() - start) / 1e9,
          listSeconds,
          startSeconds,
          result.jobSeconds(),
          spark.sparkContext().master(),
          result.partitions(),
          summary.images() / result.jobSeconds());
      err.flush();
      return summary.failed() == 0 ? 0 : 1;
    }
  }

  /**
   * Says why no Spark job is worth starting: no image file found, or only paths that do not exist
   * or cannot be read (a typo, say), each named with its problem rather than written as error rows.
   */
  private void nothingToClassify(List<ImageFile> files, List<String> classes, PrintWriter err)
      throws IOException {
    files.forEach(f -> err.println("stn spark: " + f.path() + ": " + f.problem()));
    err.println(
        files.isEmpty()
            ? "stn spark: no image files found (looked for "
                + String.join(", ", new TreeSet<>(ImageWalk.EXTENSIONS))
                + "); Spark not started"
            : "stn spark: no readable image file; Spark not started");
    LabelledSummary summary = LabelledSummary.of(classes);
    summary.addFailed(files.size());
    writeSummary(summary, err);
  }

  /**
   * Refuses an output that exists (without --overwrite) or that cannot be written where it is:
   * found now rather than by Spark when it writes, after the whole job.
   */
  private void checkWhereResultsGo(CommandLine cl) {
    if (Files.exists(output) && !overwrite) {
      throw new ParameterException(cl, "--output " + output + " exists; add --overwrite");
    }
    requireFolder(cl, "--output", output, nearestExisting(output.toAbsolutePath().getParent()));
    if (summaryJson.file().isPresent()) {
      Path json = summaryJson.file().get();
      if (Files.isDirectory(json)) {
        throw new ParameterException(cl, "--summary-json " + json + " is a folder");
      }
      requireFolder(cl, "--summary-json", json, json.toAbsolutePath().getParent());
    }
  }

  /** The closest of {@code path} and its ancestors that exists, or null if none does. */
  private static Path nearestExisting(Path path) {
    Path p = path;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p;
  }

  /**
   * Refuses {@code value} of {@code option} when {@code folder}, where it goes, is not a folder.
   */
  private static void requireFolder(CommandLine cl, String option, Path value, Path folder) {
    if (folder == null) {
      return; // a root: the write itself says what is wrong
    }
    if (!Files.isDirectory(folder)) {
      throw new ParameterException(
          cl,
          option
              + " "
              + value
              + ": "
              + folder
              + (Files.exists(folder) ? " is not a folder" : " does not exist"));
    }
  }

  private void writeSummary(LabelledSummary summary, PrintWriter err) throws IOException {
    if (summaryJson.file().isPresent()) {
      Files.writeString(summaryJson.file().get(), summary.toJson(), StandardCharsets.UTF_8);
    }
    err.print(summary.toText());
    err.flush();
  }

  /** A local session that stays on the loopback interface and keeps the terminal for results. */
  static SparkSession localSession(String master) {
    return SparkSession.builder()
        .master(master)
        .appName("stn spark")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
  }

  /** Spark logs at INFO by default; this command's output is its summary. */
  private static void quietLogging() {
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "dev/stn4j/spark/log4j2-quiet.properties");
    }
  }
}
