package dev.stn4j.train.data;

import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;

/**
 * Copies chosen records of a {@link CifarBatch} into one reusable float buffer per mini-batch,
 * flipping and shifting images on request: the whole of the trainer's data pipeline, cheap enough
 * (a few µs per image) to run on the training thread.
 *
 * <pre>{@code
 * BatchFiller filler = new BatchFiller(train);
 * filler.fill(order, from, 64, augment, images, labels); // images: 64*3072 floats, CHW in [0,1]
 * }</pre>
 */
public final class BatchFiller {
  /**
   * Per-position augmentation of an epoch, indexed like {@code order}: each array null for none.
   *
   * @param flips mirror the image left-right
   * @param shiftX move the image right by this many pixels (left when negative)
   * @param shiftY move the image down by this many pixels (up when negative); what moves out is
   *     lost and what is uncovered is black (zero), i.e. zero-pad and crop back to 32×32
   */
  public record Augment(boolean[] flips, int[] shiftX, int[] shiftY) {
    public static final Augment NONE = new Augment(null, null, null);
  }

  private final CifarBatch records;
  private final float[] shifted = new float[Cifar10.IMAGE_VALUES];

  public BatchFiller(CifarBatch records) {
    this.records = records;
  }

  /** Number of records. */
  public int size() {
    return records.size();
  }

  /**
   * Fills {@code images} (CHW per image, [0,1]) and {@code labels} with the records {@code
   * order[from], ..., order[from+count-1]}, augmented as {@code augment} says for positions {@code
   * from+i}.
   */
  public void fill(
      int[] order, int from, int count, Augment augment, float[] images, int[] labels) {
    boolean[] flips = augment.flips();
    int w = Cifar10.WIDTH;
    for (int i = 0; i < count; i++) {
      int record = order[from + i];
      int offset = i * Cifar10.IMAGE_VALUES;
      records.copyImage(record, images, offset);
      labels[i] = records.label(record);
      if (flips != null && flips[from + i]) {
        for (int row = offset; row < offset + Cifar10.IMAGE_VALUES; row += w) {
          for (int a = row, b = row + w - 1; a < b; a++, b--) {
            float t = images[a];
            images[a] = images[b];
            images[b] = t;
          }
        }
      }
      if (augment.shiftX() != null) {
        shift(images, offset, augment.shiftX()[from + i], augment.shiftY()[from + i]);
      }
    }
  }

  private void shift(float[] images, int offset, int dx, int dy) {
    if (dx == 0 && dy == 0) {
      return;
    }
    int w = Cifar10.WIDTH;
    int h = Cifar10.HEIGHT;
    java.util.Arrays.fill(shifted, 0f);
    for (int c = 0; c < Cifar10.CHANNELS; c++) {
      int plane = c * h * w;
      for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
        int x0 = Math.max(0, dx);
        int x1 = Math.min(w, w + dx);
        System.arraycopy(
            images,
            offset + plane + (y - dy) * w + (x0 - dx),
            shifted,
            plane + y * w + x0,
            x1 - x0);
      }
    }
    System.arraycopy(shifted, 0, images, offset, Cifar10.IMAGE_VALUES);
  }
}
