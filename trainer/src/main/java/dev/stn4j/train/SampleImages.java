package dev.stn4j.train;

import dev.stn4j.train.data.TrainingImages;
import java.util.Arrays;

/**
 * Images stored with a checkpoint for the exported model's embedded sample set: {@code count()}
 * records of {@code 3*S*S} bytes, channel-major (R plane, G plane, B plane, rows top to bottom);
 * the model's input for a byte is {@code byte/255f}. Immutable: arrays are copied in and out.
 *
 * <pre>{@code
 * SampleImages samples = new SampleImages(64, labels, pixels); // labels.length records
 * float[] input = samples.image(0);                            // 3*64*64 values in [0,1]
 * }</pre>
 *
 * @param imageSize side S of the square images
 * @param labels the true class of every image, {@code >= 0}
 * @param pixels {@code labels.length * 3*S*S} bytes, record after record
 */
public record SampleImages(int imageSize, int[] labels, byte[] pixels) implements TrainingImages {
  /** Most images a sample set holds, whatever their size. */
  private static final int MAX_IMAGES = 100;

  /** About how many pixel bytes a sample set holds at most. */
  private static final int MAX_BYTES = 1_048_576;

  /**
   * @throws IllegalArgumentException unless there are 1 to {@link #limit(int)} images, every label
   *     is non-negative and there are exactly {@code 3*S*S} bytes per image
   */
  public SampleImages {
    int max = limit(imageSize);
    if (labels == null || labels.length < 1 || labels.length > max) {
      throw new IllegalArgumentException(
          String.format(
              "sample images: %s images of %dx%d, expected 1 to %d",
              labels == null ? "no" : Integer.toString(labels.length), imageSize, imageSize, max));
    }
    labels = labels.clone();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException(
            "sample images: label " + labels[i] + " of image " + i + " is negative");
      }
    }
    long expected = (long) labels.length * imageValues(imageSize);
    if (pixels == null || pixels.length != expected) {
      throw new IllegalArgumentException(
          String.format(
              "sample images: %s pixel bytes, expected %d for %d images of 3x%dx%d",
              pixels == null ? "no" : Integer.toString(pixels.length),
              expected,
              labels.length,
              imageSize,
              imageSize));
    }
    pixels = pixels.clone();
  }

  /**
   * Most images a sample set of S×S images holds: {@code min(100, max(1, 1_048_576/(3*S*S)))}, at
   * most 100 images and about 1 MiB of pixels.
   *
   * @throws IllegalArgumentException if {@code imageSize < 1}
   */
  public static int limit(int imageSize) {
    if (imageSize < 1) {
      throw new IllegalArgumentException(
          "sample images: image size must be positive, got " + imageSize);
    }
    return (int) Math.min(MAX_IMAGES, Math.max(1, MAX_BYTES / imageValues(imageSize)));
  }

  private static long imageValues(int imageSize) {
    return 3L * imageSize * imageSize;
  }

  /** Number of images. */
  public int count() {
    return labels.length;
  }

  /** A copy of the labels. */
  @Override
  public int[] labels() {
    return labels.clone();
  }

  /** A copy of all pixel bytes. */
  @Override
  public byte[] pixels() {
    return pixels.clone();
  }

  /**
   * Image {@code i} as the model's input: {@code 3*S*S} values {@code byte/255f}, channel-major.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= i < count()}
   */
  public float[] image(int i) {
    float[] image = new float[(int) imageValues(imageSize)];
    copyImage(i, image, 0);
    return image;
  }

  /** Number of images, as {@link TrainingImages} counts them: {@link #count()}. */
  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public int label(int i) {
    return labels[i];
  }

  /** Writes image {@code i} ({@code byte/255f} per value) into {@code dst} from {@code offset}. */
  @Override
  public void copyImage(int i, float[] dst, int offset) {
    if (i < 0 || i >= labels.length) {
      throw new IndexOutOfBoundsException("sample image " + i + " of " + labels.length);
    }
    int values = (int) imageValues(imageSize);
    for (int k = 0, at = i * values; k < values; k++, at++) {
      dst[offset + k] = (pixels[at] & 0xFF) / 255f;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SampleImages s
        && imageSize == s.imageSize
        && Arrays.equals(labels, s.labels)
        && Arrays.equals(pixels, s.pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * imageSize + Arrays.hashCode(labels)) + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "SampleImages[" + labels.length + " images of " + imageSize + "x" + imageSize + "]";
  }
}
