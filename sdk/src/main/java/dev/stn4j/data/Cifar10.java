package dev.stn4j.data;

import dev.stn4j.sdk.internal.UserCacheDir;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Facts of the CIFAR-10 data set and of the model contract that depend on it: class names, image
 * geometry, the binary record layout, the files of the official binary version and where stn4j
 * keeps them, and the normalisation statistics baked into the model.
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

  /** The folder of the official binary version, inside its archive and in stn4j's cache. */
  public static final String FOLDER = "cifar-10-batches-bin";

  /** The five training batches of the binary version, in order. */
  public static final List<String> TRAIN_FILES =
      List.of(
          "data_batch_1.bin",
          "data_batch_2.bin",
          "data_batch_3.bin",
          "data_batch_4.bin",
          "data_batch_5.bin");

  /** The test batch of the binary version. */
  public static final String TEST_FILE = "test_batch.bin";

  /** The class names of the binary version, one per line. */
  public static final String META_FILE = "batches.meta.txt";

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

  /**
   * Where {@code stn train} downloads the binary version and {@code stn evaluate} looks for it: the
   * {@link #FOLDER} in stn4j's per-user cache directory (the system property {@code
   * stn4j.cache.dir}, else {@code $XDG_CACHE_HOME/stn4j}, else {@code ~/.cache/stn4j}), the same
   * directory the SDK keeps ONNX Runtime's libraries in. Empty when there is no such directory.
   */
  public static Optional<Path> defaultDataDir() {
    return UserCacheDir.root().map(root -> root.resolve(FOLDER));
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
