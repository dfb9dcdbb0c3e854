package dev.stn4j.cli;

import dev.stn4j.commandline.BatchSizeOption;
import dev.stn4j.commandline.SummaryJsonOption;
import dev.stn4j.files.ImageFile;
import dev.stn4j.files.ImageWalk;
import dev.stn4j.files.LabelledSummary;
import dev.stn4j.image.ImageLoader;
import dev.stn4j.sdk.StnClassifier;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stn classify PATH...}: classify image files and folders, one record per file. */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    description = {
      "Classify image files and folders (walked recursively) with the STN.",
      "Writes one record per file in input order; a file that cannot be classified gets an error"
          + " record and the run goes on. In a labelled tree (<class name>/<file>) a summary with"
          + " accuracy and the confusion matrix goes to stderr.",
      "Exit status: 0 every file classified, 1 some failed or none found, 2 usage error."
    })
final class ClassifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelOptions model;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "image files or folders")
  List<Path> paths;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "jsonl",
      description = "jsonl or csv (default: ${DEFAULT-VALUE})")
  RecordWriter.Format format;

  @Option(names = "--output", paramLabel = "FILE", description = "write records here, not stdout")
  Path output;

  @Mixin SummaryJsonOption summaryJson = new SummaryJsonOption();

  @Option(
      names = "--warped-dir",
      paramLabel = "DIR",
      description = "write each warped image there as PNG")
  Path warpedDir;

  @Option(
      names = "--grid",
      paramLabel = "FILE.png",
      description = "write the first 64 inputs beside their warped versions as one PNG")
  Path grid;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "decoding threads and ONNX Runtime intra-op threads (default: all cores, ${DEFAULT-VALUE})")
  int threads = Runtime.getRuntime().availableProcessors();

  @Mixin BatchSizeOption batchSizeOption = new BatchSizeOption();

  private int batchSize; // checked at the start of call()

  @Override
  public Integer call() throws Exception {
    if (threads < 1) {
      throw new ParameterException(spec.commandLine(), "--threads must be >= 1, got " + threads);
    }
    batchSize = batchSizeOption.get();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    try (StnClassifier classifier = model.open(threads, batchSize, false)) {
      List<String> classes = classifier.modelInfo().classNames();
      List<ImageFile> inputs =
          ImageWalk.of(classes, w -> err.println("stn classify: " + w)).find(paths);
      LabelledSummary summary = LabelledSummary.of(classes);
      if (inputs.isEmpty()) {
        err.println(
            "stn classify: no image files found (looked for "
                + String.join(", ", new TreeSet<>(ImageWalk.EXTENSIONS))
                + ")");
      } else {
        classifyAll(classifier, classes, inputs, summary);
      }
      if (summaryJson.file().isPresent()) {
        Files.writeString(summaryJson.file().get(), summary.toJson(), StandardCharsets.UTF_8);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      err.print(summary.toText());
      err.printf(
          Locale.ROOT,
          "%.2f s (%s, %s)%n",
          seconds,
          classifier.providerSelection().active(),
          inputs.isEmpty()
              ? "no files"
              : String.format(Locale.ROOT, "%.0f files/s", inputs.size() / seconds));
      err.flush();
      return summary.images() > 0 && summary.failed() == 0 ? 0 : 1;
    }
  }

  private void classifyAll(
      StnClassifier classifier,
      List<String> classes,
      List<ImageFile> inputs,
      LabelledSummary summary)
      throws IOException {
    WarpedDirectory warped = warpedDir == null ? null : new WarpedDirectory(warpedDir);
    GridFigure figure = grid == null ? null : new GridFigure();
    try (Writer out = openOutput();
        Progress progress = Progress.start("classify", inputs.size());
        BatchPipeline pipeline =
            new BatchPipeline(classifier, ImageLoader.defaults(), threads, batchSize)) {
      RecordWriter records = format.open(out, classes);
      pipeline.run(
          inputs,
          outcome -> {
            records.write(outcome);
            if (outcome.ok()) {
              summary.addClassified(outcome.input().trueClass(), outcome.prediction().classIndex());
            } else {
              summary.addFailed();
            }
            if (outcome.ok() && warped != null) {
              warped.write(outcome);
            }
            if (figure != null) {
              figure.add(outcome);
            }
            progress.step();
            if (summary.images() % batchSize == 0) {
              records.flush();
            }
          });
      records.flush();
    }
    if (figure != null && !figure.write(grid)) {
      spec.commandLine().getErr().println("stn classify: no image classified, no grid written");
    }
  }

  /** The records' destination; stdout is flushed, never closed. */
  private Writer openOutput() throws IOException {
    if (output != null) {
      return Files.newBufferedWriter(output, StandardCharsets.UTF_8);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    return new BufferedWriter(stdout, 1 << 16) {
      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }
}
