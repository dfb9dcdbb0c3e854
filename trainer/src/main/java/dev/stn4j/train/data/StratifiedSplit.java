package dev.stn4j.train.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Holds out images for validation, stratified per class, seeded: the same labels, count and seed
 * always give the same split.
 *
 * <p><b>Sizes.</b> Of {@code n} images, class {@code c} with {@code n_c} images holds out its share
 * {@code N·n_c/n} rounded by the largest-remainder method: every class first gets the floor of its
 * share, then the classes with the largest fractional parts get one more each until the sizes add
 * up to N exactly (ties to the lower class index). Two bounds hold after that: when N is at least
 * the number of classes with 2 or more images, each of those holds out at least 1 (taken back from
 * the classes most over their share); and a class holds out at most {@code n_c − 1}, so every class
 * keeps a training image (its excess goes to the classes furthest under their share). Within a
 * class the images held out are a uniformly random choice ({@link SplittableRandom} from the seed,
 * classes in order).
 *
 * <p><b>Order.</b> {@link #train()} is ascending. {@link #validation()} goes round the classes: the
 * first held-out image of class 0, of class 1, ..., then the second of each, each class's images
 * ascending; so the first K validation images cover K classes (the model's embedded sample set is
 * the first of them).
 *
 * <pre>{@code
 * StratifiedSplit split = StratifiedSplit.holdOutFraction(images, 0.1, 42L);
 * TrainingImages train = images.subset(split.train());
 * TrainingImages validation = images.subset(split.validation());
 * }</pre>
 */
public final class StratifiedSplit {
  private final int[] train;
  private final int[] validation;
  private final int[] perClass;

  private StratifiedSplit(int[] train, int[] validation, int[] perClass) {
    this.train = train;
    this.validation = validation;
    this.perClass = perClass;
  }

  /** Holds out {@code count} of {@code images} (0: no validation split). */
  public static StratifiedSplit holdOut(TrainingImages images, int count, long seed) {
    return holdOut(labels(images), count, seed);
  }

  /** Holds out {@code round(fraction · size)} of {@code images}; {@code fraction} in (0,1). */
  public static StratifiedSplit holdOutFraction(TrainingImages images, double fraction, long seed) {
    return holdOut(labels(images), countFor(fraction, images.size()), seed);
  }

  /**
   * The number of images a fraction holds out: {@code Math.round(fraction · total)}.
   *
   * @throws IllegalArgumentException when {@code fraction} is not strictly between 0 and 1, or
   *     rounds to 0 images
   */
  public static int countFor(double fraction, int total) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException(
          "validation fraction must be between 0 and 1 (exclusive), got " + fraction);
    }
    long count = Math.round(fraction * total);
    if (count == 0) {
      throw new IllegalArgumentException(
          String.format(
              "validation fraction %s of %,d images holds out 0 images; use a larger one",
              fraction, total));
    }
    return (int) count;
  }

  /**
   * Holds out {@code count} images of those labelled {@code labels} (class indices from 0).
   *
   * @throws IllegalArgumentException when {@code count} is negative, not below the number of
   *     images, or would leave a class without a training image
   */
  public static StratifiedSplit holdOut(int[] labels, int count, long seed) {
    int n = labels.length;
    int classes = Arrays.stream(labels).max().orElse(-1) + 1;
    if (count < 0) {
      throw new IllegalArgumentException("validation count must be >= 0, got " + count);
    }
    if (count > 0 && count >= n) {
      throw new IllegalArgumentException(
          String.format(
              "cannot hold out %,d of %,d images for validation: it must be fewer", count, n));
    }
    int[][] members = members(labels, classes);
    int present = (int) Arrays.stream(members).filter(m -> m.length > 0).count();
    if (count > n - present) {
      throw new IllegalArgumentException(
          String.format(
              "cannot hold out %,d of %,d images for validation: each of the %,d classes keeps at"
                  + " least 1 training image, so at most %,d",
              count, n, present, n - present));
    }
    int[] sizes = sizes(members, n, count);
    SplittableRandom random = new SplittableRandom(seed);
    int[][] held = new int[classes][];
    boolean[] out = new boolean[n];
    for (int c = 0; c < classes; c++) {
      int[] m = members[c].clone();
      for (int j = 0; j < sizes[c]; j++) {
        int k = j + random.nextInt(m.length - j);
        int t = m[j];
        m[j] = m[k];
        m[k] = t;
      }
      held[c] = Arrays.copyOf(m, sizes[c]);
      Arrays.sort(held[c]);
      for (int i : held[c]) {
        out[i] = true;
      }
    }
    int[] validation = new int[count];
    int v = 0;
    for (int rank = 0; v < count; rank++) {
      for (int c = 0; c < classes; c++) {
        if (rank < held[c].length) {
          validation[v++] = held[c][rank];
        }
      }
    }
    int[] train = new int[n - count];
    for (int i = 0, t = 0; i < n; i++) {
      if (!out[i]) {
        train[t++] = i;
      }
    }
    return new StratifiedSplit(train, validation, sizes);
  }

  /** Per class, how many to hold out (see the class comment). */
  static int[] sizes(int[][] members, int n, int count) {
    int classes = members.length;
    int[] a = new int[classes];
    int[] min = new int[classes];
    int[] cap = new int[classes];
    int eligible = 0;
    for (int[] m : members) {
      eligible += m.length >= 2 ? 1 : 0;
    }
    int sum = 0;
    for (int c = 0; c < classes; c++) {
      int nc = members[c].length;
      cap[c] = Math.max(0, nc - 1);
      min[c] = count >= eligible && nc >= 2 ? 1 : 0;
      a[c] = Math.max(min[c], Math.min(cap[c], (int) ((long) count * nc / n)));
      sum += a[c];
    }
    // under(c) = share - a[c], in units of 1/n: exact integers, so ties are real ties.
    for (; sum < count; sum++) {
      int best = -1;
      for (int c = 0; c < classes; c++) {
        if (a[c] < cap[c]
            && (best < 0 || under(members, a, n, count, c) > under(members, a, n, count, best))) {
          best = c;
        }
      }
      a[best]++;
    }
    for (; sum > count; sum--) {
      int best = -1;
      for (int c = 0; c < classes; c++) {
        if (a[c] > min[c]
            && (best < 0 || under(members, a, n, count, c) < under(members, a, n, count, best))) {
          best = c;
        }
      }
      a[best]--;
    }
    return a;
  }

  private static long under(int[][] members, int[] a, int n, int count, int c) {
    return (long) count * members[c].length - (long) a[c] * n;
  }

  private static int[][] members(int[] labels, int classes) {
    int[] counts = new int[classes];
    for (int label : labels) {
      if (label < 0) {
        throw new IllegalArgumentException("negative label " + label);
      }
      counts[label]++;
    }
    int[][] members = new int[classes][];
    for (int c = 0; c < classes; c++) {
      members[c] = new int[counts[c]];
    }
    int[] at = new int[classes];
    for (int i = 0; i < labels.length; i++) {
      members[labels[i]][at[labels[i]]++] = i;
    }
    return members;
  }

  private static int[] labels(TrainingImages images) {
    int[] labels = new int[images.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = images.label(i);
    }
    return labels;
  }

  /** The training images' indices, ascending (a copy). */
  public int[] train() {
    return train.clone();
  }

  /** The validation images' indices, round the classes (a copy; see the class comment). */
  public int[] validation() {
    return validation.clone();
  }

  /** How many images each class holds out (a copy). */
  public int[] validationPerClass() {
    return perClass.clone();
  }
}
