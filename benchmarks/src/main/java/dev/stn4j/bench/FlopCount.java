package dev.stn4j.bench;

import dev.stn4j.data.Cifar10;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;

/**
 * The useful arithmetic of one image through the STN, from the architecture (the trained channel
 * counts, not the zero channels the default export pads to 16): a multiply-add counts as 2 FLOP.
 *
 * <ul>
 *   <li>convolutions (stride 1, no padding): {@code 2 · Cout · Cin · k² · Hout · Wout}, plus one
 *       bias add per output value;
 *   <li>fully connected layers: {@code 2 · in · out + out};
 *   <li>the affine grid: {@code [H·W,3] · [3,2]}, {@code 2 · H·W · 3 · 2};
 *   <li>the mean subtracted from the input and added back for {@code warped}: {@code 2 · 3·H·W}.
 * </ul>
 *
 * ReLU, max pooling, the sampler's interpolation and the softmax are comparisons and data movement
 * more than arithmetic, and are not counted. Total: 4,186,164 FLOP (4.19 MFLOP).
 */
final class FlopCount {
  private FlopCount() {}

  /** FLOP per image, as above. */
  static long perImage() {
    int h = Cifar10.HEIGHT;
    int w = Cifar10.WIDTH;
    long flop = 0;
    // Localization: conv 7×7 → pool → conv 5×5 → pool → fc → fc.
    int side = h - 7 + 1;
    flop += conv(StnParameter.LOC_CONV1_WEIGHT, side);
    side = side / 2 - 5 + 1;
    flop += conv(StnParameter.LOC_CONV2_WEIGHT, side);
    flop += fc(StnParameter.LOC_FC1_WEIGHT) + fc(StnParameter.LOC_FC2_WEIGHT);
    flop += 2L * h * w * 3 * 2; // affine grid
    // Classifier: conv 5×5 → pool → conv 5×5 → pool → fc → fc.
    side = h - 5 + 1;
    flop += conv(StnParameter.CLS_CONV1_WEIGHT, side);
    side = side / 2 - 5 + 1;
    flop += conv(StnParameter.CLS_CONV2_WEIGHT, side);
    flop += fc(StnParameter.CLS_FC1_WEIGHT) + fc(StnParameter.CLS_FC2_WEIGHT);
    flop += 2L * Cifar10.IMAGE_VALUES; // x − mean, warped + mean
    return flop;
  }

  /** A convolution with square output {@code side × side}: multiply-adds and bias adds. */
  private static long conv(StnParameter weight, int side) {
    long[] s = weight.shape(StnShape.CIFAR10); // [Cout, Cin, k, k]
    long outputs = s[0] * side * side;
    return 2 * outputs * s[1] * s[2] * s[3] + outputs;
  }

  private static long fc(StnParameter weight) {
    long[] s = weight.shape(StnShape.CIFAR10); // [out, in]
    return 2 * s[0] * s[1] + s[0];
  }
}
