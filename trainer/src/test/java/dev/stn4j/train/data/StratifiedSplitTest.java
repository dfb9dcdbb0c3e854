package dev.stn4j.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {
  /** Labels with {@code counts[c]} images of class c, interleaved pseudo-randomly. */
  private static int[] labels(int... counts) {
    int[] labels =
        IntStream.range(0, counts.length)
            .flatMap(c -> IntStream.generate(() -> c).limit(counts[c]))
            .toArray();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = labels.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = labels[i];
      labels[i] = labels[j];
      labels[j] = t;
    }
    return labels;
  }

  @Test
  void sharesAreRoundedByLargestRemainderAndAddUpExactly() {
    int[] labels = labels(50, 30, 20);
    StratifiedSplit split = StratifiedSplit.holdOut(labels, 10, 1L);
    assertArrayEquals(new int[] {5, 3, 2}, split.validationPerClass());
    // Shares 3.5, 2.1, 1.4 of 7: floors 3, 2, 1 and the one left goes to the largest remainder.
    assertArrayEquals(
        new int[] {4, 2, 1}, StratifiedSplit.holdOut(labels, 7, 1L).validationPerClass());
    // Ties go to the lower class index: shares 1.5 and 1.5 of 3.
    assertArrayEquals(
        new int[] {2, 1}, StratifiedSplit.holdOut(labels(10, 10), 3, 1L).validationPerClass());
    for (int n = 1; n < 100 - 3; n++) {
      assertEquals(
          n, Arrays.stream(StratifiedSplit.holdOut(labels, n, 9L).validationPerClass()).sum());
    }
  }

  @Test
  void everyClassGivesOneWhenThereAreEnoughAndKeepsOne() {
    int[] labels = labels(1000, 2, 2, 2, 1);
    int[] sizes = StratifiedSplit.holdOut(labels, 10, 3L).validationPerClass();
    // Shares 9.9, 0.02 x3, 0.01: the three small classes with 2 images get 1 each, taken from the
    // big one; the class with 1 image keeps it.
    assertArrayEquals(new int[] {7, 1, 1, 1, 0}, sizes);
    int[] most = StratifiedSplit.holdOut(labels, 1002, 3L).validationPerClass();
    assertArrayEquals(new int[] {999, 1, 1, 1, 0}, most);
    // Fewer than the classes: plain largest remainder, no minimum.
    assertArrayEquals(
        new int[] {2, 0, 0, 0, 0}, StratifiedSplit.holdOut(labels, 2, 3L).validationPerClass());
  }

  @Test
  void splitIsAPartitionDeterministicPerSeedAndRoundTheClasses() {
    int[] labels = labels(40, 30, 30);
    StratifiedSplit a = StratifiedSplit.holdOut(labels, 10, 42L);
    StratifiedSplit b = StratifiedSplit.holdOut(labels, 10, 42L);
    StratifiedSplit c = StratifiedSplit.holdOut(labels, 10, 43L);
    assertArrayEquals(a.validation(), b.validation());
    assertArrayEquals(a.train(), b.train());
    assertFalse(Arrays.equals(a.validation(), c.validation()));

    int[] all =
        IntStream.concat(Arrays.stream(a.train()), Arrays.stream(a.validation()))
            .sorted()
            .toArray();
    assertArrayEquals(IntStream.range(0, 100).toArray(), all);
    int[] train = a.train();
    assertArrayEquals(Arrays.stream(train).sorted().toArray(), train);
    int[] v = a.validation();
    // Sizes 4, 3, 3: classes 0,1,2, 0,1,2, 0,1,2, 0; ascending within each class.
    int[] expectedClasses = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0};
    for (int i = 0; i < v.length; i++) {
      assertEquals(expectedClasses[i], labels[v[i]]);
      if (i >= 3) {
        assertTrue(v[i] > v[i - 3]);
      }
    }
  }

  @Test
  void zeroHoldsOutNothing() {
    StratifiedSplit split = StratifiedSplit.holdOut(labels(3, 3), 0, 1L);
    assertEquals(0, split.validation().length);
    assertArrayEquals(IntStream.range(0, 6).toArray(), split.train());
  }

  @Test
  void fractionRoundsToACount() {
    assertEquals(10, StratifiedSplit.countFor(0.1, 100));
    assertEquals(3, StratifiedSplit.countFor(0.25, 10)); // 2.5 rounds up
    TrainingImages images = new CountedImages(labels(60, 40));
    assertArrayEquals(
        new int[] {6, 4}, StratifiedSplit.holdOutFraction(images, 0.1, 5L).validationPerClass());
  }

  @Test
  void refusesImpossibleRequestsClearly() {
    int[] labels = labels(5, 5);
    assertMessage(
        () -> StratifiedSplit.holdOut(labels, -1, 1L), "validation count must be >= 0, got -1");
    assertMessage(
        () -> StratifiedSplit.holdOut(labels, 10, 1L),
        "cannot hold out 10 of 10 images for validation: it must be fewer");
    assertMessage(
        () -> StratifiedSplit.holdOut(labels, 9, 1L),
        "cannot hold out 9 of 10 images for validation: each of the 2 classes keeps at least 1"
            + " training image, so at most 8");
    assertMessage(
        () -> StratifiedSplit.countFor(1.0, 10),
        "validation fraction must be between 0 and 1 (exclusive), got 1.0");
    assertMessage(
        () -> StratifiedSplit.countFor(0, 10),
        "validation fraction must be between 0 and 1 (exclusive), got 0.0");
    assertMessage(
        () -> StratifiedSplit.countFor(0.01, 10),
        "validation fraction 0.01 of 10 images holds out 0 images; use a larger one");
  }

  private static void assertMessage(Runnable r, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertEquals(message, e.getMessage());
  }

  /** Labels only; no pixels. */
  private record CountedImages(int[] labels) implements TrainingImages {
    @Override
    public int size() {
      return labels.length;
    }

    @Override
    public int imageSize() {
      return 1;
    }

    @Override
    public int label(int i) {
      return labels[i];
    }

    @Override
    public void copyImage(int i, float[] dst, int offset) {
      throw new UnsupportedOperationException();
    }
  }
}
