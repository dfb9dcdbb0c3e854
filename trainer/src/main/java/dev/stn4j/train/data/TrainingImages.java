package dev.stn4j.train.data;

import dev.stn4j.data.CifarBatch;

/**
 * Labelled square images as the trainer reads them: image {@code i} is 3×S×S floats in [0,1],
 * channel-major (R, G, B planes, rows top to bottom), the model's input layout. The one view the
 * training loop, the splits and the statistics need, whatever the images came from: CIFAR-10's
 * binary batches ({@link #of(CifarBatch)}) or a decoded image folder ({@link DecodeCache}).
 *
 * <pre>{@code
 * TrainingImages images = TrainingImages.of(CifarBatch.read(file));
 * float[] chw = new float[images.imageValues()];
 * images.copyImage(0, chw, 0);
 * TrainingImages firstTen = images.subset(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
 * }</pre>
 *
 * <p>Implementations are read-only; {@link #copyImage} may be called from several threads.
 */
public interface TrainingImages {
  /** Number of images. */
  int size();

  /** The side S of every image. */
  int imageSize();

  /** The class index of image {@code i}. */
  int label(int i);

  /** Writes image {@code i}'s 3·S·S floats into {@code dst} from {@code offset}. */
  void copyImage(int i, float[] dst, int offset);

  /** Floats per image: 3·S·S. */
  default int imageValues() {
    return 3 * imageSize() * imageSize();
  }

  /** Images {@code [from, from+n)}, concatenated: a batch of the model's input. */
  default float[] chw(int from, int n) {
    float[] chw = new float[n * imageValues()];
    for (int k = 0; k < n; k++) {
      copyImage(from + k, chw, k * imageValues());
    }
    return chw;
  }

  /**
   * The images at {@code indices}, in that order (e.g. a split's training part): image {@code j} of
   * the view is image {@code indices[j]} of this one. The array is copied.
   *
   * @throws IndexOutOfBoundsException naming the first index outside 0..size()-1
   */
  default TrainingImages subset(int[] indices) {
    return new SubsetImages(this, indices);
  }

  /** CIFAR-10's records, S = 32, the values {@link CifarBatch#copyImage} gives (bit for bit). */
  static TrainingImages of(CifarBatch batch) {
    return new CifarImages(batch);
  }
}
