package dev.stn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.files.LabelledSummary;
import dev.stn4j.sdk.ModelInfo;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.StnClassifier;
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
 * {@code stn evaluate}: the model's test accuracy recomputed with ONNX Runtime from {@code
 * test_batch.bin}, or from a labelled image tree whose sub-folders are the model's classes ({@link
 * TreeEvaluation}). It never downloads: the data is where {@code stn train} left it, or in {@code
 * --data-dir}.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Recompute the model's accuracy on the CIFAR-10 test batch (test_batch.bin), or on a"
          + " labelled image tree (one sub-folder per class of the model, named after it), with"
          + " ONNX Runtime, overall, per class and as confusions, and compare it with the accuracy"
          + " the model records.",
      "Does not download: the data is read from --data-dir, by default the cache that"
          + " 'stn train' downloads into."
    })
final class EvaluateCommand implements Callable<Integer> {
  private static final int CHUNK = 1000;

  @Spec CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "folder holding test_batch.bin, or a labelled image tree (<class name>/<images>)"
              + " (default: where 'stn train' downloads CIFAR-10, the cifar-10-batches-bin folder"
              + " in stn4j's cache: -Dstn4j.cache.dir, else $XDG_CACHE_HOME/stn4j, else"
              + " ~/.cache/stn4j)")
  Path dataDir;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "ONNX Runtime intra-op threads (default: all cores, ${DEFAULT-VALUE})")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--json", description = "print the result as one JSON object")
  boolean json;

  @Override
  public Integer call() throws Exception {
    TestData data = TestData.locate(dataDir, "evaluate");
    if (data.tree()) {
      return evaluateTree(data.path());
    }
    Path file = data.path();
    CifarBatch test = CifarBatch.read(file);
    try (StnClassifier classifier = model.open(threads, 256, true)) {
      ModelInfo info = classifier.modelInfo();
      data.checkFits(info);
      int classes = info.classNames().size();
      long[] total = new long[classes];
      long[] correct = new long[classes];
      long start = System.nanoTime();
      for (int from = 0; from < test.size(); from += CHUNK) {
        int to = Math.min(test.size(), from + CHUNK);
        List<float[]> images = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          images.add(test.image(i));
        }
        List<Prediction> predictions = classifier.predictAll(images);
        for (int i = from; i < to; i++) {
          int label = test.label(i);
          total[label]++;
          if (predictions.get(i - from).classIndex() == label) {
            correct[label]++;
          }
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long right = 0;
      for (long c : correct) {
        right += c;
      }
      double accuracy = (double) right / test.size();
      print(file, info, total, correct, right, accuracy, seconds, classifier);
      return 0;
    }
  }

  private int evaluateTree(Path tree) throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    try (StnClassifier classifier = model.open(threads, 256, true)) {
      TreeEvaluation evaluation = new TreeEvaluation(classifier, tree, threads, err);
      long start = System.nanoTime();
      LabelledSummary summary = evaluation.run();
      double seconds = (System.nanoTime() - start) / 1e9;
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(evaluation.json(summary, seconds));
      } else {
        evaluation.printText(out, summary, seconds);
      }
      out.flush();
      err.flush();
      if (summary.labelled() == 0) {
        err.println("stn evaluate: " + tree + ": no image classified");
        return 1;
      }
      return summary.failed() == 0 ? 0 : 1;
    }
  }

  private void print(
      Path file,
      ModelInfo info,
      long[] total,
      long[] correct,
      long right,
      double accuracy,
      double seconds,
      StnClassifier classifier)
      throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<String> names = info.classNames();
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      root.put("data", file.toString());
      root.put("images", (int) sum(total));
      root.put("correct", right);
      root.put("accuracy", accuracy);
      if (info.testAccuracy().isPresent()) {
        root.put("recorded_accuracy", info.testAccuracy().getAsDouble());
      } else {
        root.putNull("recorded_accuracy");
      }
      ObjectNode perClass = root.putObject("per_class");
      for (int c = 0; c < names.size(); c++) {
        ObjectNode entry = perClass.putObject(names.get(c));
        entry.put("images", total[c]);
        entry.put("correct", correct[c]);
        entry.put("accuracy", total[c] == 0 ? 0 : (double) correct[c] / total[c]);
      }
      root.put("provider", classifier.providerSelection().active());
      root.put("seconds", seconds);
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } else {
      out.printf(
          Locale.ROOT,
          "test accuracy %.2f %% (%,d of %,d) on %s, ONNX Runtime %s, %.1f s%n",
          100 * accuracy,
          right,
          sum(total),
          file,
          classifier.providerSelection().active(),
          seconds);
      out.println(TreeEvaluation.recordedAccuracy(info));
      for (int c = 0; c < names.size(); c++) {
        out.printf(
            Locale.ROOT,
            "  %-12s %6.2f %% (%d/%d)%n",
            names.get(c),
            total[c] == 0 ? 0 : 100.0 * correct[c] / total[c],
            correct[c],
            total[c]);
      }
    }
    out.flush();
  }

  private static long sum(long[] values) {
    long s = 0;
    for (long v : values) {
      s += v;
    }
    return s;
  }
}
