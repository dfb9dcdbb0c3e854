package dev.stn4j.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stn4j.data.CifarBatch;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchFillerTest {
  @Test
  void fillsInOrderAndMirrorsRowsOnRequest() throws Exception {
    CifarBatch batch = CifarBatch.parse("synthetic", SyntheticCifar.records(5, new Random(3)));
    BatchFiller filler = new BatchFiller(batch);
    float[] images = new float[2 * 3072];
    int[] labels = new int[2];
    int[] order = {4, 1, 3};
    boolean[] flips = {false, false, true};
    filler.fill(order, 1, 2, new BatchFiller.Augment(flips, null, null), images, labels);
    assertEquals(batch.label(1), labels[0]);
    assertEquals(batch.label(3), labels[1]);
    assertArrayEquals(batch.image(1), java.util.Arrays.copyOfRange(images, 0, 3072), 0f);
    float[] original = batch.image(3);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          assertEquals(
              original[c * 1024 + y * 32 + (31 - x)], images[3072 + c * 1024 + y * 32 + x], 0f);
        }
      }
    }
  }

  @Test
  void shiftsMovePixelsAsSpecifiedAndUncoverBlack() throws Exception {
    CifarBatch batch = CifarBatch.parse("synthetic", SyntheticCifar.records(2, new Random(5)));
    BatchFiller filler = new BatchFiller(batch);
    float[] images = new float[2 * 3072];
    int[] labels = new int[2];
    int[] shiftX = {3, -2};
    int[] shiftY = {-1, 4};
    filler.fill(
        new int[] {0, 1}, 0, 2, new BatchFiller.Augment(null, shiftX, shiftY), images, labels);
    for (int i = 0; i < 2; i++) {
      float[] original = batch.image(i);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            int fromX = x - shiftX[i];
            int fromY = y - shiftY[i];
            boolean inside = fromX >= 0 && fromX < 32 && fromY >= 0 && fromY < 32;
            float expected = inside ? original[c * 1024 + fromY * 32 + fromX] : 0f;
            assertEquals(
                expected,
                images[i * 3072 + c * 1024 + y * 32 + x],
                0f,
                "image " + i + " channel " + c + " at (" + x + "," + y + ")");
          }
        }
      }
    }
  }

  @Test
  void flipsThenShifts() throws Exception {
    CifarBatch batch = CifarBatch.parse("synthetic", SyntheticCifar.records(1, new Random(9)));
    BatchFiller filler = new BatchFiller(batch);
    float[] images = new float[3072];
    filler.fill(
        new int[] {0},
        0,
        1,
        new BatchFiller.Augment(new boolean[] {true}, new int[] {2}, new int[] {0}),
        images,
        new int[1]);
    float[] original = batch.image(0);
    // Output x shows mirrored column x - 2, i.e. original column 31 - (x - 2).
    assertEquals(original[5 * 32 + (31 - 8)], images[5 * 32 + 10], 0f);
    assertEquals(0f, images[5 * 32 + 1], 0f);
  }

  /** Images of side S whose value encodes (image, channel, y, x), labelled image % 3. */
  private static TrainingImages coded(int n, int side) {
    return new TrainingImages() {
      @Override
      public int size() {
        return n;
      }

      @Override
      public int imageSize() {
        return side;
      }

      @Override
      public int label(int i) {
        return i % 3;
      }

      @Override
      public void copyImage(int i, float[] dst, int offset) {
        for (int k = 0; k < imageValues(); k++) {
          dst[offset + k] = i * 10_000 + k + 1;
        }
      }
    };
  }

  @Test
  void flipsAndShiftsImagesOfAnySize() {
    int side = 7;
    TrainingImages images = coded(3, side);
    BatchFiller filler = new BatchFiller(images);
    assertEquals(side, filler.imageSize());
    assertEquals(3 * 49, filler.imageValues());
    int[] order = {2, 0, 1};
    boolean[] flips = {true, false, true};
    int[] shiftX = {1, -3, 7};
    int[] shiftY = {-2, 0, 0};
    float[] out = new float[3 * 147];
    int[] labels = new int[3];
    filler.fill(order, 0, 3, new BatchFiller.Augment(flips, shiftX, shiftY), out, labels);
    assertArrayEquals(new int[] {2, 0, 1}, labels);
    float[] original = new float[147];
    for (int j = 0; j < 3; j++) {
      images.copyImage(order[j], original, 0);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < side; y++) {
          for (int x = 0; x < side; x++) {
            int fromX = x - shiftX[j];
            int fromY = y - shiftY[j];
            boolean inside = fromX >= 0 && fromX < side && fromY >= 0 && fromY < side;
            int sourceX = flips[j] ? side - 1 - fromX : fromX;
            float expected = inside ? original[c * 49 + fromY * side + sourceX] : 0f;
            assertEquals(expected, out[j * 147 + c * 49 + y * side + x], 0f);
          }
        }
      }
    }
  }
}
