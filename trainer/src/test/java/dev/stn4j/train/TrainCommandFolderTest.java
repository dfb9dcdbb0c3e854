package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.LabelledTrees;
import dev.stn4j.sdk.TestModels;
import dev.stn4j.train.data.SyntheticCifar;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stn train} on labelled image folders, end to end on tiny generated trees. */
class TrainCommandFolderTest {
  @TempDir Path tmp;

  private List<String> args(Path data, Path output, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--data-dir",
                data.toString(),
                "--output",
                output.toString(),
                "--cache-dir",
                tmp.resolve("cache").toString(),
                "--epochs",
                "2",
                "--batch-size",
                "8",
                "--threads",
                "1",
                "--ema",
                "0.5",
                "--no-progress",
                "--onednn-isa",
                TrainRuns.HERE.option()));
    args.addAll(List.of(more));
    return args;
  }

  @Test
  void aThreeClassTreeAt64TrainsIntoACheckpointOfItsShapeClassesStatisticsAndSamples()
      throws Exception {
    Path train = LabelledTrees.write(tmp.resolve("train"), 3, 8, 64, 1);
    Path test = LabelledTrees.write(tmp.resolve("test"), 3, 3, 80, 2);
    Path out = tmp.resolve("run");
    TrainRuns.Result r =
        TrainRuns.run(args(train, out, "--test-dir", test.toString(), "--image-size", "64"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("24 images in 3 classes"), r.out());
    assertTrue(r.out().contains("(built, "), r.out());
    assertTrue(r.out().contains("final test accuracy"), r.out());

    Checkpoint c = Checkpoint.read(out.resolve(RunOutput.CHECKPOINT));
    assertEquals(new StnShape(64, 3), c.shape());
    assertEquals(TestModels.classNames(3), c.classNames());
    assertNotEquals(Normalization.CIFAR10, c.normalization());
    // No validation split: the sample images are the test folder's, 9 of them, one class after
    // another although the folder is in class order.
    SampleImages samples = c.samples().orElseThrow();
    assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2}, samples.labels());
    assertEquals(64, samples.imageSize());
    assertTrue(c.settingsJson().contains("\"translate\":4"), c.settingsJson());
    assertTrue(c.settingsJson().contains("\"image_size\":64"), c.settingsJson());
    assertTrue(c.finalTestAccuracy().isPresent());

    // The same tree again reuses its decoded cache, and --resume continues the run.
    Path resumed = tmp.resolve("resumed");
    TrainRuns.Result first =
        TrainRuns.run(
            args(
                train,
                resumed,
                "--test-dir",
                test.toString(),
                "--image-size",
                "64",
                "--stop-after-epoch",
                "1"));
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("(reused, "), first.out());
    TrainRuns.Result rest =
        TrainRuns.run(
            args(train, resumed, "--test-dir", test.toString(), "--image-size", "64", "--resume"));
    assertEquals(0, rest.code(), rest.err());
    Checkpoint again = Checkpoint.read(resumed.resolve(RunOutput.CHECKPOINT));
    assertEquals(c.weights().sha256(), again.weights().sha256());
    assertArrayEquals(samples.pixels(), again.samples().orElseThrow().pixels());
  }

  @Test
  void withoutATestFolderATenthIsHeldOutPerClassAndTheSamplesComeFromIt() throws Exception {
    Path train = LabelledTrees.write(tmp.resolve("train"), 4, 10, 28, 3);
    Path out = tmp.resolve("run");
    TrainRuns.Result r = TrainRuns.run(args(train, out, "--image-size", "28"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("validation: 4 images held out (stratified per class"), r.out());
    Checkpoint c = Checkpoint.read(out.resolve(RunOutput.CHECKPOINT));
    assertEquals(new StnShape(28, 4), c.shape());
    int[] labels = c.samples().orElseThrow().labels();
    assertArrayEquals(new int[] {0, 1, 2, 3}, labels);
    assertTrue(c.finalTestAccuracy().isEmpty(), "a validation run never evaluates a test split");
  }

  @Test
  void badFoldersAndSizesStopBeforeTrainingWithOneLineNamingThem() throws Exception {
    Path one = LabelledTrees.write(tmp.resolve("one"), 1, 3, 32, 1);
    TrainRuns.Result r = TrainRuns.run(args(one, tmp.resolve("a")));
    assertEquals(1, r.code());
    assertTrue(
        r.err().contains(one + ": 1 class folder (class000); training needs at least 2"), r.err());

    Path empty = LabelledTrees.write(tmp.resolve("empty"), 2, 3, 32, 1);
    Files.createDirectories(empty.resolve("class002"));
    r = TrainRuns.run(args(empty, tmp.resolve("b")));
    assertEquals(1, r.code());
    assertTrue(r.err().contains(empty.resolve("class002") + ": no image files"), r.err());

    Path two = LabelledTrees.write(tmp.resolve("two"), 2, 3, 32, 1);
    r = TrainRuns.run(args(two, tmp.resolve("c"), "--image-size", "17"));
    assertEquals(1, r.code());
    assertTrue(r.err().contains("the smallest that works is 18"), r.err());

    r = TrainRuns.run(args(two, tmp.resolve("d"), "--validation", "0"));
    assertEquals(1, r.code());
    assertTrue(r.err().contains("needs a test folder (--test-dir) or a validation split"), r.err());

    Path cifar = SyntheticCifar.write(tmp.resolve("cifar"), 96, 11);
    r = TrainRuns.run(args(cifar, tmp.resolve("e"), "--image-size", "64"));
    assertEquals(1, r.code());
    assertTrue(r.err().contains("CIFAR-10's binary batches are 32x32"), r.err());
  }

  @Test
  void summaryTakesAnyImageSizeAndClassCount() {
    TrainRuns.Result r =
        TrainRuns.run(List.of("train", "--summary", "--image-size", "64", "--classes", "3"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Total params: 224,487"), r.out());
  }

  @Test
  void clearCacheSaysWhatItFreed() throws Exception {
    Path train = LabelledTrees.write(tmp.resolve("train"), 2, 4, 32, 1);
    assertEquals(0, TrainRuns.run(args(train, tmp.resolve("run"), "--validation", "2")).code());
    TrainRuns.Result r =
        TrainRuns.run(
            List.of("train", "--clear-cache", "--cache-dir", tmp.resolve("cache").toString()));
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().matches("(?s)removed [1-9][0-9,]* bytes of decoded image folders.*"), r.out());
    try (var left = Files.list(tmp.resolve("cache"))) {
      assertEquals(0, left.count());
    }
  }
}
