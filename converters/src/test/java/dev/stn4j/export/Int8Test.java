package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Int8Test {
  private static final float[] TWO_CHANNELS = {0.6f, -1.0f, 0.25f, 0.003f, 0.004f, -0.001f};

  @Test
  void reducedRangeWeightsUseSevenBitsOfEachChannel() {
    Int8.ChannelWeights q = Int8.perChannel(TWO_CHANNELS, 2, Int8.WeightRange.REDUCED);
    assertArrayEquals(new float[] {1.0f / 63, 0.004f / 63}, q.scales(), 1e-9f);
    // The largest magnitude of each channel maps to ±63; rounding is to nearest.
    assertArrayEquals(new byte[] {38, -63, 16, 47, 63, -16}, q.values());
    assertRoundTrips(TWO_CHANNELS, q, 3);
  }

  @Test
  void fullRangeWeightsUseTheWholeSymmetricRangeOfEachChannel() {
    Int8.ChannelWeights q = Int8.perChannel(TWO_CHANNELS, 2, Int8.WeightRange.FULL);
    assertArrayEquals(new float[] {1.0f / 127, 0.004f / 127}, q.scales(), 1e-9f);
    assertArrayEquals(new byte[] {76, -127, 32, 95, 127, -32}, q.values());
    assertRoundTrips(TWO_CHANNELS, q, 3);
  }

  @Test
  void reducedRangeProductsCannotSaturateAnInt16PairSum() {
    // ONNX Runtime's AVX2 kernels add two uint8 x int8 products into a saturating int16.
    assertTrue(2 * 255 * Int8.WeightRange.REDUCED.max() <= Short.MAX_VALUE);
    assertTrue(2 * 255 * Int8.WeightRange.FULL.max() > Short.MAX_VALUE);
  }

  @Test
  void anAllZeroChannelGetsAPositiveScale() {
    Int8.ChannelWeights q = Int8.perChannel(new float[] {0, 0, 1, -1}, 2, Int8.WeightRange.FULL);
    assertEquals(1f, q.scales()[0]);
    assertArrayEquals(new byte[] {0, 0, 127, -127}, q.values());
  }

  @Test
  void weightsThatDoNotSplitIntoChannelsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Int8.perChannel(new float[5], 2, Int8.WeightRange.REDUCED));
  }

  private static void assertRoundTrips(float[] w, Int8.ChannelWeights q, int perChannel) {
    for (int i = 0; i < w.length; i++) {
      float scale = q.scales()[i / perChannel];
      assertTrue(Math.abs(q.values()[i] * scale - w[i]) <= scale / 2 + 1e-9, "value " + i);
    }
  }

  @Test
  void aRangeFromZeroHasZeroPointMinus128SoReluCanBeDropped() {
    Int8.Activation a = Int8.Activation.of(0f, 2.55f);
    assertEquals(-128, a.zeroPoint());
    assertEquals(0.01f, a.scale(), 1e-7f);
    assertEquals(-128, a.quantize(-3f)); // ReLU's work, done by saturation
    assertEquals(127, a.quantize(2.55f));
    assertEquals(0f, a.dequantize(a.quantize(0f)));
  }

  @Test
  void aSignedRangeIsAsymmetricAndRepresentsZeroExactly() {
    Int8.Activation a = Int8.Activation.of(-0.5f, 0.55f);
    assertEquals((0.55f + 0.5f) / 255f, a.scale(), 1e-8f);
    assertEquals(0f, a.dequantize(a.quantize(0f)));
    assertTrue(Math.abs(a.dequantize(a.quantize(-0.5f)) + 0.5f) <= a.scale() / 2 + 1e-7);
    assertTrue(Math.abs(a.dequantize(a.quantize(0.55f)) - 0.55f) <= a.scale() / 2 + 1e-7);
    // A range that does not contain 0 is widened to it.
    assertEquals(-128, Int8.Activation.of(1f, 2f).zeroPoint());
    assertThrows(IllegalArgumentException.class, () -> Int8.Activation.of(2f, 1f));
    assertThrows(IllegalArgumentException.class, () -> Int8.Activation.of(Float.NaN, 1f));
  }

  @Test
  void biasIsInt32AtTheProductOfInputAndWeightScales() {
    float[] weightScales = {0.01f, 0.02f};
    int[] q = Int8.bias(new float[] {0.5f, -0.3f}, 0.1f, weightScales);
    assertArrayEquals(new int[] {500, -150}, q);
    assertArrayEquals(new float[] {0.001f, 0.002f}, Int8.biasScales(0.1f, weightScales), 1e-9f);
  }
}
