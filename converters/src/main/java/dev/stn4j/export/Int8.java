package dev.stn4j.export;

/**
 * The arithmetic of signed int8 quantization as ONNX's {@code QuantizeLinear} defines it ({@code
 * saturate(round_half_even(x / scale) + zeroPoint)}), for the QDQ model {@code stn quantize}
 * writes: weights symmetric per output channel, activations asymmetric per tensor, biases int32.
 * Plain Java, so the numbers can be tested without ONNX Runtime.
 *
 * <pre>{@code
 * Int8.ChannelWeights q = Int8.perChannel(weight, outputChannels, Int8.WeightRange.REDUCED);
 * }</pre>
 */
final class Int8 {
  private Int8() {}

  /**
   * The values int8 weights may take: symmetric around 0 (never −128) so that the zero point is 0,
   * as ONNX Runtime's own quantizer writes symmetric int8 weights.
   */
  enum WeightRange {
    /**
     * [−63, 63], 7 bits (ONNX Runtime's {@code reduce_range}): portable across x86 CPUs. Without
     * VNNI, ONNX Runtime's x86 integer kernels (AVX2, AVX-512BW) multiply uint8 activations by int8
     * weights with {@code vpmaddubsw}, which adds two products into a saturating int16: 2 · 255 ·
     * 127 = 64,770 overflows 32,767, while 2 · 255 · 63 = 32,130 does not.
     */
    REDUCED(63),
    /**
     * [−127, 127]: one more bit of weight precision, exact only where the integer kernels
     * accumulate in 32 bits (x86 with AVX-512 VNNI or AVX-VNNI, ARM64).
     */
    FULL(127);

    private final int max;

    WeightRange(int max) {
      this.max = max;
    }

    /** The largest magnitude a quantized weight takes. */
    int max() {
      return max;
    }
  }

  /**
   * Per-output-channel weights: {@code values[c·perChannel + k] ≈ scales[c] · q[c·perChannel + k]}.
   */
  record ChannelWeights(byte[] values, float[] scales) {}

  /** Scale and zero point of one activation tensor (per-tensor, asymmetric). */
  record Activation(float scale, byte zeroPoint) {
    /**
     * The parameters that map {@code [min, max]} onto [−128, 127]. The range is widened to contain
     * 0, so that 0 (ReLU's floor, the sampler's zero padding) is represented exactly: a range that
     * starts at 0 gets zero point −128, which lets ONNX Runtime drop a ReLU in front of the
     * quantization.
     *
     * @throws IllegalArgumentException for a non-finite bound or {@code min > max}
     */
    static Activation of(float min, float max) {
      if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
        throw new IllegalArgumentException("bad activation range [" + min + ", " + max + "]");
      }
      float lo = Math.min(min, 0f);
      float hi = Math.max(max, 0f);
      if (hi == lo) {
        // A tensor that is 0 on every calibration image: any scale represents it.
        return new Activation(1f, (byte) -128);
      }
      float scale = (hi - lo) / 255f;
      long zero = Math.round(-128 - lo / scale);
      return new Activation(scale, (byte) Math.max(-128, Math.min(127, zero)));
    }

    /** {@code QuantizeLinear} of one value. */
    byte quantize(float x) {
      return (byte) saturate(Math.rint(x / scale) + zeroPoint, -128, 127);
    }

    float dequantize(byte q) {
      return (q - zeroPoint) * scale;
    }
  }

  /**
   * Symmetric int8 weights with one scale per output channel (the first dimension): {@code scale =
   * max|w| / range.max()} over the channel, so each channel uses the whole range.
   *
   * @param channels the first dimension of the weight; {@code values.length} must be a multiple
   */
  static ChannelWeights perChannel(float[] values, int channels, WeightRange range) {
    if (channels < 1 || values.length % channels != 0) {
      throw new IllegalArgumentException(
          values.length + " weights do not split into " + channels + " channels");
    }
    int per = values.length / channels;
    byte[] q = new byte[values.length];
    float[] scales = new float[channels];
    for (int c = 0; c < channels; c++) {
      float max = 0;
      for (int k = 0; k < per; k++) {
        max = Math.max(max, Math.abs(values[c * per + k]));
      }
      // An all-zero channel (e.g. a pruned filter) still needs a positive scale.
      scales[c] = max > 0 ? max / range.max() : 1f;
      for (int k = 0; k < per; k++) {
        q[c * per + k] =
            (byte) saturate(Math.rint(values[c * per + k] / scales[c]), -range.max(), range.max());
      }
    }
    return new ChannelWeights(q, scales);
  }

  /**
   * A bias as int32 with scale {@code inputScale · weightScales[c]} per output channel, zero point
   * 0: the form ONNX Runtime's integer convolution and Gemm add to their int32 accumulators.
   */
  static int[] bias(float[] bias, float inputScale, float[] weightScales) {
    if (bias.length != weightScales.length) {
      throw new IllegalArgumentException(
          bias.length + " biases for " + weightScales.length + " weight channels");
    }
    float[] scales = biasScales(inputScale, weightScales);
    int[] q = new int[bias.length];
    for (int c = 0; c < bias.length; c++) {
      q[c] =
          (int)
              saturate(
                  Math.rint((double) bias[c] / scales[c]), Integer.MIN_VALUE, Integer.MAX_VALUE);
    }
    return q;
  }

  /** The scales of {@link #bias}: {@code inputScale · weightScales[c]}, in float32. */
  static float[] biasScales(float inputScale, float[] weightScales) {
    float[] s = new float[weightScales.length];
    for (int c = 0; c < s.length; c++) {
      s[c] = inputScale * weightScales[c];
    }
    return s;
  }

  private static double saturate(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
