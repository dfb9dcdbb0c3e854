package dev.stn4j.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.data.CifarBatch;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainingImagesTest {
  @Test
  void cifarViewGivesTheBatchsValuesBitForBit() throws Exception {
    CifarBatch batch = CifarBatch.parse("synthetic", SyntheticCifar.records(4, new Random(1)));
    TrainingImages images = TrainingImages.of(batch);
    assertEquals(4, images.size());
    assertEquals(32, images.imageSize());
    assertEquals(3072, images.imageValues());
    for (int i = 0; i < 4; i++) {
      float[] got = new float[3072 + 5];
      images.copyImage(i, got, 5);
      float[] expected = batch.image(i);
      for (int k = 0; k < 3072; k++) {
        assertEquals(Float.floatToRawIntBits(expected[k]), Float.floatToRawIntBits(got[5 + k]));
      }
      assertEquals(batch.label(i), images.label(i));
    }
  }

  @Test
  void subsetMapsIndicesInOrderAndRefusesOutOfRange() throws Exception {
    CifarBatch batch = CifarBatch.parse("synthetic", SyntheticCifar.records(5, new Random(2)));
    TrainingImages images = TrainingImages.of(batch);
    int[] picked = {4, 0, 2};
    TrainingImages subset = images.subset(picked);
    picked[0] = 1; // the view copied the array
    assertEquals(3, subset.size());
    float[] chw = new float[3072];
    subset.copyImage(0, chw, 0);
    assertArrayEquals(batch.image(4), chw, 0f);
    assertEquals(batch.label(2), subset.label(2));
    assertEquals(batch.label(0), subset.subset(new int[] {1}).label(0));
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> images.subset(new int[] {0, 5}));
    assertTrue(e.getMessage().contains("5"), e.getMessage());
  }
}
