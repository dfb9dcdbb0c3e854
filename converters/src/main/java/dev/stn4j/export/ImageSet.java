package dev.stn4j.export;

import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.train.SampleImages;

/**
 * Labelled square RGB images as a model's input, {@code byte / 255} per value: CIFAR-10 records
 * (the sample-set file, calibration and test batches) or a model's embedded sample images. What the
 * DJL and ONNX Runtime runners of this package read, so both see exactly the same values.
 *
 * <pre>{@code
 * ImageSet images = ImageSet.of(CifarBatch.read(file));
 * float[] chw = new float[images.imageValues()];
 * images.copyImage(0, chw, 0);
 * }</pre>
 */
interface ImageSet {
  /** Number of images. */
  int size();

  /** Side S of every image. */
  int imageSize();

  /** Class index of image {@code i}. */
  int label(int i);

  /** Writes image {@code i} as {@code 3·S·S} floats (channel-major) into {@code dst}. */
  void copyImage(int i, float[] dst, int offset);

  /** Values per image, {@code 3·S·S}. */
  default int imageValues() {
    return 3 * imageSize() * imageSize();
  }

  /** Images {@code [from, from+n)}, concatenated. */
  default float[] chw(int from, int n) {
    float[] chw = new float[n * imageValues()];
    for (int i = 0; i < n; i++) {
      copyImage(from + i, chw, i * imageValues());
    }
    return chw;
  }

  /** CIFAR-10's 32×32 records. */
  static ImageSet of(CifarBatch batch) {
    return new ImageSet() {
      @Override
      public int size() {
        return batch.size();
      }

      @Override
      public int imageSize() {
        return Cifar10.HEIGHT;
      }

      @Override
      public int label(int i) {
        return batch.label(i);
      }

      @Override
      public void copyImage(int i, float[] dst, int offset) {
        batch.copyImage(i, dst, offset);
      }
    };
  }

  /** A model's embedded sample images. */
  static ImageSet of(SampleImages samples) {
    int[] labels = samples.labels();
    return new ImageSet() {
      @Override
      public int size() {
        return samples.count();
      }

      @Override
      public int imageSize() {
        return samples.imageSize();
      }

      @Override
      public int label(int i) {
        return labels[i];
      }

      @Override
      public void copyImage(int i, float[] dst, int offset) {
        float[] image = samples.image(i);
        System.arraycopy(image, 0, dst, offset, image.length);
      }
    };
  }
}
