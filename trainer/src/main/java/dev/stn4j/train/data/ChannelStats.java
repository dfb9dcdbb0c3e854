package dev.stn4j.train.data;

import java.util.Arrays;

/**
 * Per-channel mean and standard deviation of images in [0,1], for the model's input normalisation:
 * population statistics over every pixel of every image given, accumulated in double (per image,
 * then merged with Chan et al.'s pairwise update, so millions of pixels lose no precision).
 *
 * <pre>{@code
 * ChannelStats stats = ChannelStats.of(images.subset(split.train()));
 * float[] mean = stats.mean();   // R, G, B
 * float[] std = stats.std();     // never below MIN_STD
 * }</pre>
 *
 * @param mean per channel (R, G, B)
 * @param std per channel, at least {@link #MIN_STD}
 */
public record ChannelStats(float[] mean, float[] std) {
  /**
   * The smallest standard deviation reported. A channel that never changes (every image's blue
   * plane 0, say) has a standard deviation of 0, and the model divides by it: with the floor, the
   * constant channel normalises to exactly 0 ({@code (x - mean) = 0}), and a nearly constant one is
   * scaled up at most 1000×, instead of by infinity or NaN. 1e-3 is a quarter of one 8-bit step
   * (1/255), below the spread of any channel that varies visibly.
   */
  public static final float MIN_STD = 1e-3f;

  public ChannelStats {
    mean = mean.clone();
    std = std.clone();
  }

  /** The statistics of all {@code images}. */
  public static ChannelStats of(TrainingImages images) {
    int n = images.size();
    if (n == 0) {
      throw new IllegalArgumentException("no images to compute channel statistics on");
    }
    int plane = images.imageSize() * images.imageSize();
    float[] chw = new float[images.imageValues()];
    double[] count = new double[3];
    double[] mean = new double[3];
    double[] m2 = new double[3];
    for (int i = 0; i < n; i++) {
      images.copyImage(i, chw, 0);
      for (int c = 0; c < 3; c++) {
        double sum = 0;
        for (int k = c * plane; k < (c + 1) * plane; k++) {
          sum += chw[k];
        }
        double imageMean = sum / plane;
        double imageM2 = 0;
        for (int k = c * plane; k < (c + 1) * plane; k++) {
          double d = chw[k] - imageMean;
          imageM2 += d * d;
        }
        double total = count[c] + plane;
        double delta = imageMean - mean[c];
        mean[c] += delta * plane / total;
        m2[c] += imageM2 + delta * delta * count[c] * plane / total;
        count[c] = total;
      }
    }
    float[] meanOut = new float[3];
    float[] stdOut = new float[3];
    for (int c = 0; c < 3; c++) {
      meanOut[c] = (float) mean[c];
      stdOut[c] = Math.max(MIN_STD, (float) Math.sqrt(m2[c] / count[c]));
    }
    return new ChannelStats(meanOut, stdOut);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelStats other
        && Arrays.equals(mean, other.mean)
        && Arrays.equals(std, other.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "ChannelStats[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }

  /** Per channel (R, G, B), a copy. */
  @Override
  public float[] mean() {
    return mean.clone();
  }

  /** Per channel (R, G, B), at least {@link #MIN_STD}, a copy. */
  @Override
  public float[] std() {
    return std.clone();
  }
}
