package dev.stn4j.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stn4j.data.CifarBatch;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChannelStatsTest {
  @Test
  void matchesATwoPassComputationOverAllPixels() throws Exception {
    TrainingImages images =
        TrainingImages.of(CifarBatch.parse("synthetic", SyntheticCifar.records(20, new Random(4))));
    int[] subset = {3, 7, 8, 19, 0};
    ChannelStats stats = ChannelStats.of(images.subset(subset));
    float[] chw = new float[3072];
    for (int c = 0; c < 3; c++) {
      double sum = 0;
      for (int i : subset) {
        images.copyImage(i, chw, 0);
        for (int k = c * 1024; k < (c + 1) * 1024; k++) {
          sum += chw[k];
        }
      }
      double mean = sum / (subset.length * 1024);
      double squares = 0;
      for (int i : subset) {
        images.copyImage(i, chw, 0);
        for (int k = c * 1024; k < (c + 1) * 1024; k++) {
          squares += (chw[k] - mean) * (chw[k] - mean);
        }
      }
      double std = Math.sqrt(squares / (subset.length * 1024));
      assertEquals((float) mean, stats.mean()[c], 1e-6f);
      assertEquals((float) std, stats.std()[c], 1e-6f);
    }
  }

  @Test
  void aConstantChannelGetsTheFloorNotZero() {
    TrainingImages images =
        new TrainingImages() {
          @Override
          public int size() {
            return 2;
          }

          @Override
          public int imageSize() {
            return 2;
          }

          @Override
          public int label(int i) {
            return i;
          }

          @Override
          public void copyImage(int i, float[] dst, int offset) {
            float[] values = {0, 1, 0, 1, 0.5f, 0.5f, 0.5f, 0.5f, i, i, i, i};
            System.arraycopy(values, 0, dst, offset, values.length);
          }
        };
    ChannelStats stats = ChannelStats.of(images);
    assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, stats.mean(), 0f);
    assertArrayEquals(new float[] {0.5f, ChannelStats.MIN_STD, 0.5f}, stats.std(), 0f);
    float[] mean = stats.mean();
    mean[0] = 9; // a copy
    assertEquals(0.5f, stats.mean()[0], 0f);
    assertEquals(stats, ChannelStats.of(images));
    assertThrows(IllegalArgumentException.class, () -> ChannelStats.of(images.subset(new int[0])));
  }
}
