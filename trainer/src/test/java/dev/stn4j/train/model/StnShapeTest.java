package dev.stn4j.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StnShapeTest {
  @Test
  void cifar10IsTheSeedsNetwork() {
    StnShape s = StnShape.CIFAR10;
    assertEquals(32, s.imageSize());
    assertEquals(10, s.classes());
    assertEquals(160, s.locFeatures());
    assertEquals(500, s.clsFeatures());
    assertEquals(3072, s.imageValues());
    assertEquals(39_884, s.parameterCount());
    assertEquals(39_884, StnParameter.totalSize(s));
  }

  /**
   * Counted layer by layer as the seed's PyTorch module defines them, independently of StnShape's
   * formulas: valid convolutions shrink by kernel−1, 2×2 max pooling floors half.
   */
  private static int seedsCount(int s, int k) {
    int loc = ((s - 7 + 1) / 2 - 5 + 1) / 2;
    int cls = ((s - 5 + 1) / 2 - 5 + 1) / 2;
    int locNet =
        (8 * 3 * 7 * 7 + 8) + (10 * 8 * 5 * 5 + 10) + (32 * 10 * loc * loc + 32) + (6 * 32 + 6);
    int clsNet = (10 * 3 * 5 * 5 + 10) + (20 * 10 * 5 * 5 + 20) + (50 * 20 * cls * cls + 50);
    return locNet + clsNet + (k * 50 + k);
  }

  @Test
  void parameterCountFollowsSizeAndClasses() {
    // S=64: loc 58→29→25→12, cls 60→30→26→13; S=28: loc 22→11→7→3, cls 24→12→8→4.
    assertEquals(10 * 12 * 12, new StnShape(64, 3).locFeatures());
    assertEquals(20 * 13 * 13, new StnShape(64, 3).clsFeatures());
    assertEquals(10 * 3 * 3, new StnShape(28, 20).locFeatures());
    assertEquals(20 * 4 * 4, new StnShape(28, 20).clsFeatures());
    for (int[] sk : new int[][] {{64, 3}, {28, 20}, {32, 1000}, {33, 2}, {18, 2}, {224, 7}}) {
      StnShape shape = new StnShape(sk[0], sk[1]);
      assertEquals(seedsCount(sk[0], sk[1]), shape.parameterCount(), shape.toString());
      assertEquals(shape.parameterCount(), StnParameter.totalSize(shape), shape.toString());
    }
  }

  @Test
  void shapesOfTheParametersThatGrow() {
    StnShape s = new StnShape(64, 3);
    assertArrayEquals(new long[] {32, 1440}, StnParameter.LOC_FC1_WEIGHT.shape(s));
    assertArrayEquals(new long[] {50, 3380}, StnParameter.CLS_FC1_WEIGHT.shape(s));
    assertArrayEquals(new long[] {3, 50}, StnParameter.CLS_FC2_WEIGHT.shape(s));
    assertArrayEquals(new long[] {3}, StnParameter.CLS_FC2_BIAS.shape(s));
    assertArrayEquals(new long[] {8, 3, 7, 7}, StnParameter.LOC_CONV1_WEIGHT.shape(s));
    assertEquals(150, StnParameter.CLS_FC2_WEIGHT.size(s));
  }

  @Test
  void eighteenIsTheSmallestImageSize() {
    // At 17 the localization branch's second pooling gets 1×1 maps and leaves nothing.
    assertEquals(18, StnShape.SMALLEST_IMAGE_SIZE);
    assertEquals(10, new StnShape(18, 2).locFeatures());
    assertEquals(20, new StnShape(18, 2).clsFeatures());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new StnShape(17, 10));
    assertEquals(
        "image size 17 is too small for the seed's layers (7x7 and 5x5 convolutions, two 2x2"
            + " poolings in each branch): the smallest that works is 18",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new StnShape(12, 10));
    assertThrows(IllegalArgumentException.class, () -> new StnShape(-1, 10));
  }

  @Test
  void largestImageSizeIsThePreprocessorsAndStillFits() {
    assertEquals(1024, StnShape.LARGEST_IMAGE_SIZE);
    assertEquals(seedsCount(1024, 2), new StnShape(1024, 2).parameterCount());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new StnShape(1025, 10));
    assertEquals("image size 1025 is larger than the largest supported, 1024", e.getMessage());
  }

  @Test
  void needsTwoClassesAndArraysThatFit() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new StnShape(32, 1));
    assertEquals("a model needs at least 2 classes, got 1", e.getMessage());
    IllegalArgumentException huge =
        assertThrows(IllegalArgumentException.class, () -> new StnShape(32, 100_000_000));
    assertEquals(
        "100000000 classes at image size 32 need 5,100,039,374 parameters, more than a Java"
            + " array holds",
        huge.getMessage());
  }
}
