package dev.stn4j.train;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** What {@code stn train} prints about a run: a line per epoch and the final figure. */
final class TrainingReport {
  private final PrintWriter out;

  TrainingReport(PrintWriter out) {
    this.out = out;
  }

  void epoch(EpochRecord r) {
    out.printf(
        Locale.ROOT,
        "epoch %2d  loss %.4f  train %.2f%%%s%s  lr %.5f  %.1f s (train %.1f s)%n",
        r.epoch(),
        r.loss(),
        100 * r.trainAccuracy(),
        percent("val", r.validationAccuracy()),
        percent("test", r.testAccuracy()),
        r.learningRate(),
        r.seconds(),
        r.trainSeconds());
    out.flush();
  }

  /** The last epoch's test figure, or its validation figure when the test split was not run. */
  void finish(TrainingState end, String trainingData, Path checkpoint) {
    if (!end.history().isEmpty()) {
      EpochRecord last = end.history().get(end.history().size() - 1);
      out.printf(
          Locale.ROOT,
          "final %s after %d epochs (%s); checkpoint %s%n",
          last.testAccuracy() != null
              ? String.format(Locale.ROOT, "test accuracy %.2f%%", 100 * last.testAccuracy())
              : String.format(
                  Locale.ROOT,
                  "validation accuracy %.2f%% (the test split was not evaluated)",
                  100 * last.validationAccuracy()),
          last.epoch(),
          trainingData,
          checkpoint);
    }
    out.flush();
  }

  private static String percent(String name, Double share) {
    return share == null ? "" : String.format(Locale.ROOT, "  %s %.2f%%", name, 100 * share);
  }
}
