package dev.stn4j.train.data;

import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;

/**
 * Copies chosen records of a {@link CifarBatch} into one reusable float buffer per mini-batch,
 * flipping images horizontally on request: the whole of the trainer's data pipeline, cheap enough
 * (a few µs per image) to run on the training thread.
 *
 * <pre>{@code
 * BatchFiller filler = new BatchFiller(train);
 * filler.fill(order, from, 64, flips, images, labels); // images: 64*3072 floats, CHW in [0,1]
 * }</pre>
 */
public final class BatchFiller {
  private final CifarBatch records;

  public BatchFiller(CifarBatch records) {
    this.records = records;
  }

  /** Number of records. */
  public int size() {
    return records.size();
  }

  /**
   * Fills {@code images} (CHW per image, [0,1]) and {@code labels} with the records {@code
   * order[from], ..., order[from+count-1]}.
   *
   * @param flips null for none, else whether to mirror record {@code order[from+i]}, indexed by
   *     {@code from+i}
   */
  public void fill(
      int[] order, int from, int count, boolean[] flips, float[] images, int[] labels) {
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
    }
  }
}
