package dev.stn4j.data;

import java.util.List;

/**
 * Facts of the CIFAR-10 data set and of the model contract that depend on it: class names, image
 * geometry, the binary record layout and the normalisation statistics baked into the model.
 *
 * <p>Every module reads these from here, so the trainer, the exporter and the SDK cannot disagree.
 */
public final class Cifar10 {
  /** Class names in label order, as in {@code batches.meta.txt}. */
  public static final List<String> CLASS_NAMES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  public static final int NUM_CLASSES = 10;
  public static final int CHANNELS = 3;
  public static final int HEIGHT = 32;
  public static final int WIDTH = 32;

  /** Values in one image: 3 planes of 32×32, channel-major (R plane, then G, then B). */
  public static final int IMAGE_VALUES = CHANNELS * HEIGHT * WIDTH;

  /** Bytes in one record of the official binary format: 1 label byte, then the pixel planes. */
  public static final int RECORD_BYTES = 1 + IMAGE_VALUES;

  // Arrays are mutable, so they stay private behind accessors.
  private static final float[] MEAN = {0.4914f, 0.4822f, 0.4465f};

  private static final float[] STD = {0.2470f, 0.2435f, 0.2616f};

  private Cifar10() {}

  /** Per-channel mean of the training set in [0,1] RGB, R then G then B (the seed's). */
  public static float mean(int channel) {
    return MEAN[channel];
  }

  /** Per-channel standard deviation of the training set in [0,1] RGB (the seed's). */
  public static float std(int channel) {
    return STD[channel];
  }

  /** A fresh copy of the three channel means. */
  public static float[] means() {
    return MEAN.clone();
  }

  /** A fresh copy of the three channel standard deviations. */
  public static float[] stds() {
    return STD.clone();
  }
}
