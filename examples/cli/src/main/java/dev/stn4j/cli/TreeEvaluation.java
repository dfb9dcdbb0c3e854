package dev.stn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stn4j.files.ImageFile;
import dev.stn4j.files.ImageWalk;
import dev.stn4j.files.LabelledSummary;
import dev.stn4j.image.ImageLoader;
import dev.stn4j.sdk.ModelInfo;
import dev.stn4j.sdk.StnClassifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code stn evaluate --data-dir TREE} for a labelled image tree: every sub-folder named after a
 * class of the model, its images (nested folders included) of that class. Each image goes through
 * the model's own pre-processing; the result is {@code stn classify}'s labelled summary (accuracy,
 * per class, confusion) beside the accuracy the model records.
 */
final class TreeEvaluation {
  private final StnClassifier classifier;
  private final Path tree;
  private final int threads;
  private final PrintWriter err;

  TreeEvaluation(StnClassifier classifier, Path tree, int threads, PrintWriter err) {
    this.classifier = classifier;
    this.tree = tree;
    this.threads = threads;
    this.err = err;
  }

  /** True when {@code dir} holds at least one visible sub-folder: a tree, not CIFAR's batches. */
  static boolean looksLikeTree(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.anyMatch(
          p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("."));
    }
  }

  /** Classifies the tree; the summary and the failed files' count. */
  LabelledSummary run() throws IOException {
    List<String> classes = classifier.modelInfo().classNames();
    List<ImageFile> inputs =
        ImageWalk.of(classes, w -> err.println("stn evaluate: " + w)).findTree(tree);
    LabelledSummary summary = LabelledSummary.of(classes);
    try (Progress progress = Progress.start("evaluate", inputs.size());
        BatchPipeline pipeline =
            new BatchPipeline(classifier, ImageLoader.defaults(), threads, 256)) {
      pipeline.run(
          inputs,
          outcome -> {
            if (outcome.ok()) {
              summary.addClassified(outcome.input().trueClass(), outcome.prediction().classIndex());
            } else {
              summary.addFailed();
              err.println("stn evaluate: " + outcome.input().path() + ": " + outcome.error());
            }
            progress.step();
          });
    }
    return summary;
  }

  /** The result as text: the headline, what the model records, then the summary. */
  void printText(PrintWriter out, LabelledSummary summary, double seconds) {
    ModelInfo info = classifier.modelInfo();
    out.printf(
        Locale.ROOT,
        "accuracy %.2f %% (%,d of %,d) on %s, ONNX Runtime %s, %.1f s%n",
        100 * summary.accuracy(),
        summary.correct(),
        summary.labelled(),
        tree,
        classifier.providerSelection().active(),
        seconds);
    out.println(recordedAccuracy(info));
    out.print(summary.toText());
  }

  /** The summary's JSON with the data, the recorded accuracy, the provider and the time. */
  String json(LabelledSummary summary, double seconds) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("data", tree.toString());
    root.setAll((ObjectNode) mapper.readTree(summary.toJson()));
    root.put("correct", summary.correct());
    ModelInfo info = classifier.modelInfo();
    if (info.testAccuracy().isPresent()) {
      root.put("recorded_accuracy", info.testAccuracy().getAsDouble());
    } else {
      root.putNull("recorded_accuracy");
    }
    root.put("provider", classifier.providerSelection().active());
    root.put("seconds", seconds);
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  /** The line that sets the figure just measured beside the one the model records. */
  static String recordedAccuracy(ModelInfo info) {
    return info.testAccuracy().isPresent()
        ? String.format(
            Locale.ROOT, "recorded in the model: %.2f %%", 100 * info.testAccuracy().getAsDouble())
        : "recorded in the model: none (untrained model?)";
  }
}
