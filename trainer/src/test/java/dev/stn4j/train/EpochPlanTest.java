package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.data.CifarBatch;
import dev.stn4j.image.AffineWarp;
import dev.stn4j.train.data.BatchFiller;
import dev.stn4j.train.data.SyntheticCifar;
import dev.stn4j.train.model.Architecture;
import dev.stn4j.train.model.Normalization;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EpochPlanTest {
  private static final int N = 70;
  private static final float[] MEAN = Normalization.CIFAR10.mean();

  /**
   * The trainer's epoch randomness as it was before rotations and scales existed (Trainer's
   * runEpoch, permutation and augmentation at commit ea0db2c), kept verbatim as the reference that
   * runs without them must still match draw for draw.
   */
  private record Legacy(int[] order, BatchFiller.Augment augment, long dropoutSeed) {
    static Legacy of(TrainSettings settings, int n, int epoch) {
      SplittableRandom random = new SplittableRandom(settings.seed() * 1_000_003L + epoch);
      int[] order = permutation(n, random);
      BatchFiller.Augment augment = augmentation(settings, n, random);
      return new Legacy(order, augment, random.nextLong());
    }

    private static BatchFiller.Augment augmentation(
        TrainSettings settings, int n, SplittableRandom random) {
      boolean[] flips = null;
      if (settings.flip()) {
        flips = new boolean[n];
        for (int i = 0; i < n; i++) {
          flips[i] = random.nextBoolean();
        }
      }
      int[] shiftX = null;
      int[] shiftY = null;
      int t = settings.translate();
      if (t > 0) {
        shiftX = new int[n];
        shiftY = new int[n];
        for (int i = 0; i < n; i++) {
          shiftX[i] = random.nextInt(-t, t + 1);
          shiftY[i] = random.nextInt(-t, t + 1);
        }
      }
      return new BatchFiller.Augment(flips, shiftX, shiftY);
    }

    private static int[] permutation(int n, SplittableRandom random) {
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      for (int i = n - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      return order;
    }
  }

  private static BatchFiller filler() throws Exception {
    return new BatchFiller(
        CifarBatch.parse("synthetic", SyntheticCifar.records(N, new Random(17))));
  }

  /** Every batch of an epoch, filled one after the other into the same buffer, concatenated. */
  private static float[] epochImages(BatchFiller filler, int[] order, BatchFiller.Augment a) {
    int batch = 32;
    float[] all = new float[N * filler.imageValues()];
    float[] images = new float[batch * filler.imageValues()];
    int[] labels = new int[batch];
    for (int from = 0; from < N; from += batch) {
      int count = Math.min(batch, N - from);
      filler.fill(order, from, count, a, images, labels);
      System.arraycopy(images, 0, all, from * filler.imageValues(), count * filler.imageValues());
    }
    return all;
  }

  @Test
  void withoutRotationsOrScalesEveryDrawAndBatchIsBitIdenticalToBefore() throws Exception {
    BatchFiller filler = filler();
    List<TrainSettings> runs =
        List.of(
            TrainSettings.builder().build(), // the shipped recipe: flips and 2-pixel shifts
            TrainSettings.builder().seed(7).flip(false).build(),
            TrainSettings.builder().seed(3).translate(0).build(),
            TrainSettings.builder().translate(8).architecture(Architecture.CNN).build());
    for (TrainSettings settings : runs) {
      for (int epoch = 1; epoch <= 3; epoch++) {
        Legacy before = Legacy.of(settings, N, epoch);
        EpochPlan now = EpochPlan.of(settings, N, epoch, MEAN);
        String what = settings.toJson() + " epoch " + epoch;
        assertArrayEquals(before.order(), now.order(), what);
        assertArrayEquals(before.augment().flips(), now.augment().flips(), what);
        assertArrayEquals(before.augment().shiftX(), now.augment().shiftX(), what);
        assertArrayEquals(before.augment().shiftY(), now.augment().shiftY(), what);
        assertNull(now.augment().degrees());
        assertNull(now.augment().scales());
        assertEquals(before.dropoutSeed(), now.dropoutSeed(), what);
        assertArrayEquals(
            epochImages(filler, before.order(), before.augment()),
            epochImages(filler, now.order(), now.augment()),
            what);
      }
    }
  }

  @Test
  void rotationsAndScalesAreDrawnPerImageAndEpochAfterTheShiftsAndRepeatExactly() {
    TrainSettings settings = TrainSettings.builder().rotate(30).scale(0.8, 1.25).build();
    EpochPlan two = EpochPlan.of(settings, N, 2, MEAN);
    // A resumed run computes its epoch afresh: the same draws.
    EpochPlan again = EpochPlan.of(settings, N, 2, MEAN);
    assertArrayEquals(two.augment().degrees(), again.augment().degrees());
    assertArrayEquals(two.augment().scales(), again.augment().scales());
    assertEquals(two.dropoutSeed(), again.dropoutSeed());
    assertFalse(
        Arrays.equals(
            two.augment().degrees(), EpochPlan.of(settings, N, 3, MEAN).augment().degrees()));
    // Order, flips and shifts come first, so they are those of the same run without warps.
    Legacy plain = Legacy.of(settings, N, 2);
    assertArrayEquals(plain.order(), two.order());
    assertArrayEquals(plain.augment().flips(), two.augment().flips());
    assertArrayEquals(plain.augment().shiftX(), two.augment().shiftX());
    assertNotEquals(plain.dropoutSeed(), two.dropoutSeed());
    double[] d = two.augment().degrees();
    double[] s = two.augment().scales();
    assertEquals(N, d.length);
    assertTrue(Arrays.stream(d).allMatch(x -> x >= -30 && x <= 30), Arrays.toString(d));
    assertTrue(Arrays.stream(d).anyMatch(x -> x < -15) && Arrays.stream(d).anyMatch(x -> x > 15));
    assertTrue(Arrays.stream(s).allMatch(x -> x >= 0.8 && x <= 1.25), Arrays.toString(s));
    assertEquals(N, Arrays.stream(s).distinct().count());
    // Rotation alone draws no scales.
    assertNull(
        EpochPlan.of(TrainSettings.builder().rotate(10).build(), N, 1, MEAN).augment().scales());
  }

  @Test
  void aWarpedImageIsTheFlippedImageWarpedWithTheMeanColourAsFill() throws Exception {
    BatchFiller filler = filler();
    TrainSettings settings = TrainSettings.builder().rotate(45).scale(0.5, 0.6).build();
    EpochPlan plan = EpochPlan.of(settings, N, 1, MEAN);
    float[] warped = epochImages(filler, plan.order(), plan.augment());
    float[] plain =
        epochImages(
            filler, plan.order(), new BatchFiller.Augment(plan.augment().flips(), null, null));
    int v = filler.imageValues();
    for (int i = 0; i < N; i++) {
      AffineWarp w =
          AffineWarp.of(
              plan.augment().degrees()[i],
              plan.augment().scales()[i],
              plan.augment().shiftX()[i],
              plan.augment().shiftY()[i]);
      float[] expected = w.apply(Arrays.copyOfRange(plain, i * v, (i + 1) * v), 32, MEAN);
      assertArrayEquals(expected, Arrays.copyOfRange(warped, i * v, (i + 1) * v), "image " + i);
      // Shrunk to at most 60 %, every image's corner pixel is uncovered: the mean colour.
      assertEquals(MEAN[0], warped[i * v], "image " + i);
    }
  }
}
