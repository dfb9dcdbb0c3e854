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
    filler.fill(order, 1, 2, flips, images, labels);
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
}
