package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.RepositoryRoot;
import dev.stn4j.train.data.SyntheticCifar;
import dev.stn4j.train.model.Architecture;
import dev.stn4j.train.model.StnParameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code stn train} end to end on tiny synthetic data (a few seconds). */
class TrainCommandTest {
  @TempDir Path tmp;

  private static final OneDnnIsa HERE = TrainRuns.HERE;

  private static TrainRuns.Result run(List<String> args) {
    return TrainRuns.run(args);
  }

  private static TrainRuns.Result run(List<String> args, Consumer<TrainCommand> setUp) {
    return TrainRuns.run(args, setUp);
  }

  private List<String> args(Path data, Path output, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--data-dir",
                data.toString(),
                "--records-per-file",
                "96",
                "--output",
                output.toString(),
                "--epochs",
                "2",
                "--batch-size",
                "32",
                "--threads",
                "1",
                "--no-progress"));
    args.addAll(List.of(more));
    if (!args.contains("--onednn-isa")) {
      args.addAll(List.of("--onednn-isa", HERE.option()));
    }
    if (!args.contains("--ema")) {
      // The default EMA (0.999) would barely move from the initial weights in these 6 steps; a
      // fast one still evaluates and resumes the average, and shows learning.
      args.addAll(List.of("--ema", "0.5"));
    }
    return args;
  }

  @Test
  void versionIsTheBuildsOwn() {
    String expected = "stn4j " + RepositoryRoot.pomVersion();
    for (List<String> args : List.of(List.of("-V"), List.of("train", "--version"))) {
      TrainRuns.Result r = run(args);
      assertEquals(0, r.code(), r.err());
      assertEquals(expected, r.out().strip(), args.toString());
    }
  }

  @Test
  void summaryPrintsTheSeedsTableWithoutTraining() {
    TrainRuns.Result r = run(List.of("train", "--summary"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Total params: 39,884"), r.out());
    assertTrue(r.out().matches("(?s).*Conv2d-1\\s+\\[-1, 8, 26, 26\\]\\s+1,184.*"), r.out());
    assertTrue(r.out().matches("(?s).*Linear-14\\s+\\[-1, 50\\]\\s+25,050.*"), r.out());

    TrainRuns.Result cnn = run(List.of("train", "--summary", "--no-transformer"));
    assertEquals(0, cnn.code(), cnn.err());
    assertTrue(cnn.out().contains("Total params: 31,340"), cnn.out());
    assertTrue(cnn.out().matches("(?s).*Conv2d-1\\s+\\[-1, 10, 28, 28\\]\\s+760.*"), cnn.out());
    assertTrue(!cnn.out().contains("AffineGridSample"), cnn.out());
    assertTrue(cnn.out().contains("plain CNN (no spatial transformer)"), cnn.out());
  }

  @Test
  void trainsThenResumesExactlyWhereItStopped() throws Exception {
    Path data = SyntheticCifar.write(tmp.resolve("data"), 96, 11);
    Path straight = tmp.resolve("straight");
    TrainRuns.Result full = run(args(data, straight));
    assertEquals(0, full.code(), full.err());
    assertTrue(full.out().contains("final test accuracy"), full.out());
    assertTrue(
        full.out()
            .startsWith(
                "oneDNN: "
                    + HERE.describe()
                    + " (asked for with --onednn-isa "
                    + HERE.option()
                    + ")\n"),
        full.out());
    Checkpoint a = Checkpoint.read(straight.resolve(RunOutput.CHECKPOINT));
    assertEquals(2, a.epochsCompleted());
    assertEquals(2, Files.readAllLines(straight.resolve(RunOutput.LOG)).size());
    assertTrue(Files.size(straight.resolve(RunOutput.CURVES)) > 1000);
    assertEquals("CIFAR-10", a.trainingData());
    // The synthetic classes are easy: the net learns them.
    List<EpochRecord> h = a.history();
    assertTrue(h.get(1).loss() < h.get(0).loss(), a.historyJson());
    assertTrue(h.get(1).testAccuracy() > 0.3, a.historyJson());

    Path split = tmp.resolve("split");
    TrainRuns.Result first = run(args(data, split, "--stop-after-epoch", "1"));
    assertEquals(0, first.code(), first.err());
    assertEquals(1, Checkpoint.read(split.resolve(RunOutput.CHECKPOINT)).epochsCompleted());
    TrainRuns.Result rest = run(args(data, split, "--resume"));
    assertEquals(0, rest.code(), rest.err());
    Checkpoint b = Checkpoint.read(split.resolve(RunOutput.CHECKPOINT));
    assertEquals(2, b.epochsCompleted());
    assertEquals(a.weights().sha256(), b.weights().sha256());
    for (int i = 0; i < 2; i++) {
      assertEquals(h.get(i).loss(), b.history().get(i).loss());
      assertEquals(h.get(i).testAccuracy(), b.history().get(i).testAccuracy());
    }
    assertEquals(2, Files.readAllLines(split.resolve(RunOutput.LOG)).size());

    TrainRuns.Result again = run(args(data, split));
    assertEquals(1, again.code());
    assertTrue(again.err().contains("exists: use --resume"), again.err());
    TrainRuns.Result other = run(args(data, split, "--resume", "--lr", "0.02"));
    assertEquals(1, other.code());
    assertTrue(other.err().contains("--resume with other settings"), other.err());
  }

  @ParameterizedTest(name = "recipe levers {0}")
  @ValueSource(
      strings = {
        "",
        "--rotate 30 --scale 0.8,1.2",
        "--no-transformer",
        "--no-transformer --rotate 15"
      })
  void resumesExactlyWithEveryRecipeLeverOn(String more) throws Exception {
    Path data = SyntheticCifar.write(tmp.resolve("data"), 96, 11);
    List<String> all =
        new ArrayList<>(
            List.of(
                "--validation",
                "64",
                "--label-smoothing",
                "0.1",
                "--translate",
                "2",
                "--ema",
                "0.9"));
    if (!more.isEmpty()) {
      all.addAll(List.of(more.split(" ")));
    }
    String[] levers = all.toArray(String[]::new);
    Path straight = tmp.resolve("straight");
    TrainRuns.Result full = run(args(data, straight, levers));
    assertEquals(0, full.code(), full.err());
    assertTrue(
        full.out().contains("validation: the last 64 training images, 416 left"), full.out());
    assertTrue(full.out().contains("  val "), full.out());
    assertTrue(!full.out().contains("  test "), "a recipe run never sees the test split");
    assertTrue(full.out().contains("final validation accuracy"), full.out());
    Checkpoint a = Checkpoint.read(straight.resolve(RunOutput.CHECKPOINT));
    assertTrue(a.settingsJson().contains("\"ema_decay\":0.9"), a.settingsJson());
    assertTrue(a.history().get(1).validationAccuracy() != null, a.historyJson());
    assertEquals(null, a.history().get(1).testAccuracy(), a.historyJson());
    assertTrue(a.finalTestAccuracy().isEmpty());
    assertTrue(a.trainingWeights() != null, "the trained weights are kept beside their average");
    assertTrue(!a.weights().sha256().equals(a.trainingWeights().sha256()));
    boolean cnn = more.contains("--no-transformer");
    assertEquals(cnn ? Architecture.CNN : Architecture.STN, a.architecture());
    assertEquals(cnn, a.settingsJson().contains("\"architecture\":\"cnn\""), a.settingsJson());
    assertEquals(more.contains("--rotate"), a.settingsJson().contains("\"rotate\":"));
    assertEquals(more.contains("--scale"), a.settingsJson().contains("\"scale\":[0.8,1.2]"));

    Path split = tmp.resolve("split");
    List<String> first = args(data, split, levers);
    first.addAll(List.of("--stop-after-epoch", "1"));
    assertEquals(0, run(first).code());
    List<String> rest = args(data, split, levers);
    rest.add("--resume");
    TrainRuns.Result resumed = run(rest);
    assertEquals(0, resumed.code(), resumed.err());
    Checkpoint b = Checkpoint.read(split.resolve(RunOutput.CHECKPOINT));
    assertEquals(a.weights().sha256(), b.weights().sha256());
    assertEquals(a.trainingWeights().sha256(), b.trainingWeights().sha256());
    assertEquals(
        a.historyJson().replaceAll("\"(train_)?seconds\":[0-9.E-]+", ""),
        b.historyJson().replaceAll("\"(train_)?seconds\":[0-9.E-]+", ""));
  }

  @Test
  void errorsNameTheProblem() throws Exception {
    Path data = SyntheticCifar.write(tmp.resolve("data"), 96, 11);
    Files.delete(data.resolve("data_batch_2.bin"));
    TrainRuns.Result missing = run(args(data, tmp.resolve("out")));
    assertEquals(1, missing.code());
    assertTrue(
        missing.err().contains(data.resolve("data_batch_2.bin") + ": file not found"),
        missing.err());

    TrainRuns.Result momentum = run(args(data, tmp.resolve("out"), "--momentum", "1.5"));
    assertEquals(1, momentum.code());
    assertTrue(momentum.err().contains("momentum must be in [0,1), got 1.5"), momentum.err());

    String[][] distortions = {
      {"--rotate", "200", "rotate must be 0..180 degrees, got 200.0"},
      {"--scale", "1.2,0.8", "scale must be MIN,MAX with 0.1 <= MIN <= MAX <= 4.0, got 1.2,0.8"},
      {"--scale", "0.8", "--scale 0.8: expected MIN,MAX, two numbers such as 0.8,1.2"},
    };
    for (String[] d : distortions) {
      TrainRuns.Result bad = run(args(data, tmp.resolve("out"), d[0], d[1]));
      assertEquals(1, bad.code(), d[1]);
      assertTrue(bad.err().contains(d[2]), bad.err());
      assertTrue(bad.err().strip().lines().count() == 1, "one line: " + bad.err());
    }

    TrainRuns.Result noCheckpoint = run(args(data, tmp.resolve("none"), "--resume"));
    assertEquals(1, noCheckpoint.code());
    assertTrue(noCheckpoint.err().contains("checkpoint not found"), noCheckpoint.err());
  }

  @Test
  void trainsInAChildJvmWhenThisOneHasAnotherCap() throws Exception {
    Path data = SyntheticCifar.write(tmp.resolve("data"), 96, 11);
    OneDnnIsa other = HERE.equals(OneDnnIsa.SAFE) ? OneDnnIsa.UNCAPPED : OneDnnIsa.SAFE;
    Path output = tmp.resolve("child");
    TrainRuns.Result r =
        run(args(data, output, "--stop-after-epoch", "1", "--onednn-isa", other.option()));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("oneDNN: " + other.describe() + " (asked for with"), r.out());
    assertTrue(
        r.out().contains("; training in a child JVM with oneDNN " + other.describe() + "\n"),
        r.out());
    // The child's own lines, which it prints only after training.
    assertTrue(r.out().contains("final test accuracy"), r.out());
    assertEquals(1, Checkpoint.read(output.resolve(RunOutput.CHECKPOINT)).epochsCompleted());
  }

  @Test
  void aNonFiniteGradientResumesFromTheLastCheckpointWithTheCap() throws Exception {
    Path data = SyntheticCifar.write(tmp.resolve("data"), 96, 11);
    Path output = tmp.resolve("guarded");
    TrainRuns.Result r =
        run(
            args(data, output),
            command ->
                command.afterBackward =
                    (epoch, step, model) -> {
                      if (epoch == 2) {
                        model.parameter(StnParameter.values()[0]).getGradient().muli(Float.NaN);
                      }
                    });
    if (HERE.equals(OneDnnIsa.SAFE)) {
      // Already under the safe cap: a real divergence, reported as such.
      assertEquals(1, r.code(), r.out());
      assertTrue(r.err().contains("training diverged in epoch 2 at step "), r.err());
      return;
    }
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.err().contains("stn train: a non-finite loss or gradient in epoch 2 at step "), r.err());
    assertTrue(
        r.err()
            .contains(
                " (a non-finite gradient) with oneDNN "
                    + HERE.describe()
                    + "; resuming from the last checkpoint ("
                    + output.resolve(RunOutput.CHECKPOINT)
                    + ") with oneDNN capped at SSE41"),
        r.err());
    // Epoch 1 here, epoch 2 in the capped child.
    assertTrue(r.out().contains("epoch  1 "), r.out());
    assertTrue(r.out().contains("epoch  2 "), r.out());
    Checkpoint c = Checkpoint.read(output.resolve(RunOutput.CHECKPOINT));
    assertEquals(2, c.epochsCompleted());
    assertTrue(Float.isFinite(c.weights().get(StnParameter.values()[0])[0]));
  }

  @Test
  void anUnknownIsaIsAUsageError() {
    TrainRuns.Result r = run(List.of("train", "--onednn-isa", "AVX3", "--summary"));
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown oneDNN ISA 'AVX3'"), r.err());
  }

  @Test
  void theRootFollowsTheSharedConvention() {
    TrainRuns.Result none = run(List.of());
    assertEquals(2, none.code());
    assertTrue(none.err().startsWith("stn: missing command: one of train"), none.err());
    TrainRuns.Result bad = run(List.of("train", "--epoch", "3"));
    assertEquals(2, bad.code());
    assertTrue(bad.err().startsWith("stn train: Unknown options: '--epoch', '3'"), bad.err());
    assertTrue(bad.err().contains("--epochs"), bad.err());
    TrainRuns.Result version = run(List.of("train", "--version"));
    assertEquals(0, version.code(), version.err());
    assertTrue(version.out().startsWith("stn4j "), version.out());
  }
}
