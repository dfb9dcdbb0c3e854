package dev.stn4j.train;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A run's output folder: {@code checkpoint.bin}, {@code log.jsonl} (one JSON object per epoch) and
 * {@code curves.png}. Every file is replaced atomically, so an interrupted run leaves a usable
 * checkpoint that agrees with the log.
 */
final class RunOutput {
  static final String CHECKPOINT = "checkpoint.bin";
  static final String LOG = "log.jsonl";
  static final String CURVES = "curves.png";

  private final Path dir;

  RunOutput(Path dir) {
    this.dir = dir;
  }

  Path checkpoint() {
    return dir.resolve(CHECKPOINT);
  }

  Path log() {
    return dir.resolve(LOG);
  }

  Path curves() {
    return dir.resolve(CURVES);
  }

  /** Writes the checkpoint first, then the log and the curves that describe it. */
  void write(Checkpoint checkpoint) throws IOException {
    Files.createDirectories(dir);
    checkpoint.write(checkpoint());
    // The log is rewritten from the checkpoint's history, so after a crash and --resume it
    // never holds an epoch the checkpoint does not.
    StringBuilder lines = new StringBuilder();
    for (EpochRecord r : checkpoint.history()) {
      lines.append(Checkpoint.toJson(r)).append('\n');
    }
    replace(log(), out -> out.write(lines.toString().getBytes(StandardCharsets.UTF_8)));
    List<EpochRecord> history = checkpoint.history();
    replace(
        curves(),
        out ->
            BitmapEncoder.saveBitmap(charts(history), 1, 2, out, BitmapEncoder.BitmapFormat.PNG));
  }

  private static List<Chart<?, ?>> charts(List<EpochRecord> history) {
    double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
    XYChart loss =
        new XYChartBuilder()
            .width(600)
            .height(400)
            .title("Training loss")
            .xAxisTitle("epoch")
            .yAxisTitle("cross-entropy")
            .build();
    loss.addSeries("train loss", epochs, history.stream().mapToDouble(EpochRecord::loss).toArray());
    XYChart accuracy =
        new XYChartBuilder()
            .width(600)
            .height(400)
            .title("Accuracy")
            .xAxisTitle("epoch")
            .yAxisTitle("accuracy (%)")
            .build();
    accuracy.addSeries(
        "train", epochs, history.stream().mapToDouble(r -> 100 * r.trainAccuracy()).toArray());
    if (history.stream().allMatch(r -> r.validationAccuracy() != null)) {
      accuracy.addSeries(
          "validation",
          epochs,
          history.stream().mapToDouble(r -> 100 * r.validationAccuracy()).toArray());
    }
    if (history.stream().allMatch(r -> r.testAccuracy() != null)) {
      accuracy.addSeries(
          "test", epochs, history.stream().mapToDouble(r -> 100 * r.testAccuracy()).toArray());
    }
    return List.of(loss, accuracy);
  }

  /**
   * A fresh name beside {@code file} for writing before the atomic rename. Not {@code
   * Files.createTempFile}, whose owner-only permissions the finished file would keep.
   */
  static Path temporarySibling(Path file) {
    return file.resolveSibling(
        "."
            + file.getFileName()
            + "."
            + ProcessHandle.current().pid()
            + "."
            + System.nanoTime()
            + ".tmp");
  }

  private interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private void replace(Path file, Writer writer) throws IOException {
    Path temp = temporarySibling(file);
    try {
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
        writer.write(out);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
