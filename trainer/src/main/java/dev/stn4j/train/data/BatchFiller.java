package dev.stn4j.train.data;

import dev.stn4j.data.CifarBatch;
import dev.stn4j.image.AffineWarp;
import java.util.Arrays;

/**
 * Copies chosen images of a {@link TrainingImages} (any size S) into one reusable float buffer per
 * mini-batch, flipping and shifting images on request: the whole of the trainer's data pipeline,
 * cheap enough (a few µs per 32×32 image) to run on the training thread.
 *
 * <pre>{@code
 * BatchFiller filler = new BatchFiller(TrainingImages.of(train));
 * filler.fill(order, from, 64, augment, images, labels); // images: 64*3*S*S floats, CHW in [0,1]
 * }</pre>
 *
 * <p>Not thread-safe: it keeps one image of scratch space.
 */
public final class BatchFiller {
  /**
   * Per-position augmentation of an epoch, indexed like {@code order}: each array null for none.
   *
   * @param flips mirror the image left-right
   * @param shiftX move the image right by this many pixels (left when negative)
   * @param shiftY move the image down by this many pixels (up when negative); what moves out is
   *     lost and what is uncovered is black (zero), i.e. zero-pad and crop back to S×S, unless the
   *     image is also warped
   * @param degrees turn the image by this many degrees, counter-clockwise as displayed; null for
   *     none
   * @param scales scale its content by this; null for none
   * @param fill with {@code degrees} or {@code scales}: the colour (R, G, B) of what the warp
   *     uncovers, the model's mean colour; the flip comes first, then rotation, scale and shift are
   *     one {@link AffineWarp} (whose uncovered areas, the shift's too, are this colour)
   */
  public record Augment(
      boolean[] flips,
      int[] shiftX,
      int[] shiftY,
      double[] degrees,
      double[] scales,
      float[] fill) {
    public static final Augment NONE = new Augment(null, null, null);

    /** Flips and integer shifts only, as every run without rotations or scales has. */
    public Augment(boolean[] flips, int[] shiftX, int[] shiftY) {
      this(flips, shiftX, shiftY, null, null, null);
    }

    public Augment {
      if ((degrees != null || scales != null) && (fill == null || fill.length != 3)) {
        throw new IllegalArgumentException("a warp needs a fill colour of 3 values");
      }
    }

    boolean warps() {
      return degrees != null || scales != null;
    }

    /** The warp of position {@code i}: its rotation, scale and shift. */
    AffineWarp warp(int i) {
      return AffineWarp.of(
          degrees == null ? 0 : degrees[i],
          scales == null ? 1 : scales[i],
          shiftX == null ? 0 : shiftX[i],
          shiftY == null ? 0 : shiftY[i]);
    }
  }

  private final TrainingImages records;
  private final int side;
  private final int values;
  private final float[] shifted;

  /** A filler over any images. */
  public BatchFiller(TrainingImages records) {
    this.records = records;
    this.side = records.imageSize();
    this.values = records.imageValues();
    this.shifted = new float[values];
  }

  /** A filler over CIFAR-10's records: {@code new BatchFiller(TrainingImages.of(records))}. */
  public BatchFiller(CifarBatch records) {
    this(TrainingImages.of(records));
  }

  /** Number of records. */
  public int size() {
    return records.size();
  }

  /** The side S of the images. */
  public int imageSize() {
    return side;
  }

  /** Floats per image in {@code images}: 3·S·S. */
  public int imageValues() {
    return values;
  }

  /**
   * Fills {@code images} (CHW per image, [0,1]) and {@code labels} with the records {@code
   * order[from], ..., order[from+count-1]}, augmented as {@code augment} says for positions {@code
   * from+i}.
   */
  public void fill(
      int[] order, int from, int count, Augment augment, float[] images, int[] labels) {
    boolean[] flips = augment.flips();
    int w = side;
    for (int i = 0; i < count; i++) {
      int record = order[from + i];
      int offset = i * values;
      records.copyImage(record, images, offset);
      labels[i] = records.label(record);
      if (flips != null && flips[from + i]) {
        for (int row = offset; row < offset + values; row += w) {
          for (int a = row, b = row + w - 1; a < b; a++, b--) {
            float t = images[a];
            images[a] = images[b];
            images[b] = t;
          }
        }
      }
      if (augment.warps()) {
        augment.warp(from + i).apply(images, offset, side, augment.fill(), images, offset);
      } else if (augment.shiftX() != null) {
        shift(images, offset, augment.shiftX()[from + i], augment.shiftY()[from + i]);
      }
    }
  }

  private void shift(float[] images, int offset, int dx, int dy) {
    if (dx == 0 && dy == 0) {
      return;
    }
    int w = side;
    int h = side;
    Arrays.fill(shifted, 0f);
    int x0 = Math.max(0, dx);
    int x1 = Math.min(w, w + dx);
    // A shift of S or more leaves nothing of the image: all black.
    for (int c = 0; c < 3 && x1 > x0; c++) {
      int plane = c * h * w;
      for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
        System.arraycopy(
            images,
            offset + plane + (y - dy) * w + (x0 - dx),
            shifted,
            plane + y * w + x0,
            x1 - x0);
      }
    }
    System.arraycopy(shifted, 0, images, offset, values);
  }
}
