package dev.stn4j.train;

import dev.stn4j.train.data.BatchFiller;
import java.util.SplittableRandom;

/**
 * One epoch's randomness: the order of the training images, their flips, shifts, rotations and
 * scales, and the seed of the dropout masks, all from one stream seeded by (run seed, epoch) alone,
 * so a resumed run draws exactly what an uninterrupted one drew.
 *
 * <p>The draws come in a fixed order: permutation, flips, shifts, rotations, scales, dropout seed.
 * A run without rotations and scales draws exactly what runs made before they existed drew (and a
 * run without shifts what runs before shifts drew), so their checkpoints resume and repeat.
 *
 * <pre>{@code
 * EpochPlan plan = EpochPlan.of(settings, train.size(), epoch, normalization.mean());
 * train.fill(plan.order(), from, count, plan.augment(), images, labels);
 * }</pre>
 *
 * @param order the training images' indexes in the order the epoch visits them
 * @param augment per position of {@code order}: what is done to the image
 * @param dropoutSeed the seed of the epoch's dropout masks
 */
record EpochPlan(int[] order, BatchFiller.Augment augment, long dropoutSeed) {

  /**
   * The plan of epoch {@code epoch} (from 1) over {@code n} training images.
   *
   * @param fill the colour a warp uncovers: the model's normalisation mean, which the sampler's
   *     zero padding of the normalised image also shows
   */
  static EpochPlan of(TrainSettings settings, int n, int epoch, float[] fill) {
    SplittableRandom random = new SplittableRandom(settings.seed() * 1_000_003L + epoch);
    int[] order = permutation(n, random);
    BatchFiller.Augment augment = augmentation(settings, n, random, fill);
    return new EpochPlan(order, augment, random.nextLong());
  }

  private static BatchFiller.Augment augmentation(
      TrainSettings settings, int n, SplittableRandom random, float[] fill) {
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
    if (!settings.warps()) {
      return new BatchFiller.Augment(flips, shiftX, shiftY);
    }
    double[] degrees = null;
    if (settings.rotate() > 0) {
      degrees = new double[n];
      for (int i = 0; i < n; i++) {
        degrees[i] = settings.rotate() * (2 * random.nextDouble() - 1);
      }
    }
    double[] scales = null;
    if (settings.scaleMin() != 1 || settings.scaleMax() != 1) {
      scales = new double[n];
      double range = settings.scaleMax() - settings.scaleMin();
      for (int i = 0; i < n; i++) {
        scales[i] = settings.scaleMin() + range * random.nextDouble();
      }
    }
    return new BatchFiller.Augment(flips, shiftX, shiftY, degrees, scales, fill.clone());
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
