package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Int8Test {
  @Test
  void weightsUseTheWholeSymmetricRangeOfEachChannel() {
    float[] w = {0.5f, -1.0f, 0.25f, 0.002f, 0.004f, -0.001f};
    Int8.ChannelWeights q = Int8.perChannel(w, 2);
    assertArrayEquals(new float[] {1.0f / 127, 0.004f / 127}, q.scales(), 1e-9f);
    // The largest magnitude of each channel maps to ±127; rounding is to nearest.
    assertEquals(-127, q.values()[1]);
    assertEquals(127, q.values()[4]);
    assertEquals(Math.round(0.5f * 127), q.values()[0]);
    for (int i = 0; i < w.length; i++) {
      float dequantized = q.values()[i] * q.scales()[i / 3];
      assertTrue(Math.abs(dequantized - w[i]) <= q.scales()[i / 3] / 2 + 1e-9, "value " + i);
    }
  }

  @Test
  void anAllZeroChannelGetsAPositiveScale() {
    Int8.ChannelWeights q = Int8.perChannel(new float[] {0, 0, 1, -1}, 2);
    assertEquals(1f, q.scales()[0]);
    assertArrayEquals(new byte[] {0, 0, 127, -127}, q.values());
  }

  @Test
  void weightsThatDoNotSplitIntoChannelsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Int8.perChannel(new float[5], 2));
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
