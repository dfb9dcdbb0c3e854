package dev.stn4j.train.data;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * By hand, not a test: what the data side of one training epoch costs through each door, CIFAR-10's
 * binary batches against the same images as a decoded PNG tree: every training image filled into
 * 64-image batches in a shuffled order, flipped and shifted as {@code stn train} does. If both cost
 * a small part of an epoch's ~45 s, a difference in epoch times between the doors is not the data
 * path's.
 *
 * <pre>
 * CP=trainer/target/test-classes:trainer/target/classes:$(cat /tmp/cp.txt)   # as DecodeCacheMeasure
 * java -cp $CP dev.stn4j.train.data.EpochFillMeasure CIFAR_DIR TREE [ROUNDS=5]
 * </pre>
 *
 * The tree's cache is opened from the per-user cache (built there by {@code stn train} or here).
 */
public final class EpochFillMeasure {
  private EpochFillMeasure() {}

  public static void main(String[] args) throws Exception {
    BatchFiller binary =
        new BatchFiller(TrainingImages.of(CifarFiles.standard(Path.of(args[0])).readTrain()));
    DecodeCache cache =
        DecodeCache.open(
            ImageTree.scan(Path.of(args[1])), 32, DecodeCache.defaultRoot().orElseThrow(), null);
    BatchFiller tree = new BatchFiller(cache);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    System.out.printf(
        "%,d binary records, %,d tree images (cache %s)%n",
        binary.size(), tree.size(), cache.built() ? "built" : "reused");
    for (int round = 1; round <= rounds; round++) {
      // Alternate which door goes first, so a warming machine favours neither.
      boolean binaryFirst = round % 2 == 1;
      double a = seconds(binaryFirst ? binary : tree, round);
      double b = seconds(binaryFirst ? tree : binary, round);
      double bin = binaryFirst ? a : b;
      double tr = binaryFirst ? b : a;
      System.out.printf(
          "round %d: binary %.3f s, tree %.3f s per epoch's fill (tree - binary %+.3f s)%n",
          round, bin, tr, tr - bin);
    }
  }

  private static double seconds(BatchFiller data, long seed) {
    int n = data.size();
    SplittableRandom random = new SplittableRandom(seed);
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
    boolean[] flips = new boolean[n];
    int[] dx = new int[n];
    int[] dy = new int[n];
    for (int i = 0; i < n; i++) {
      flips[i] = random.nextBoolean();
      dx[i] = random.nextInt(-2, 3);
      dy[i] = random.nextInt(-2, 3);
    }
    BatchFiller.Augment augment = new BatchFiller.Augment(flips, dx, dy);
    float[] images = new float[64 * data.imageValues()];
    int[] labels = new int[64];
    long started = System.nanoTime();
    for (int from = 0; from < n; from += 64) {
      data.fill(order, from, Math.min(64, n - from), augment, images, labels);
    }
    return (System.nanoTime() - started) / 1e9;
  }
}
