package dev.stn4j.sdk;

import dev.stn4j.data.Cifar10;

/** Checks of caller-supplied tensors, with messages that say which input and which value. */
final class Inputs {
  private Inputs() {}

  /**
   * Refuses a wrong length, NaN or infinity.
   *
   * @param what names the input in the message, e.g. {@code "input"} or {@code "input 17"}
   */
  static void check(float[] chw, String what) throws StnException {
    if (chw == null) {
      throw new StnException(ErrorCode.INVALID_INPUT, what + ": is null");
    }
    if (chw.length != Cifar10.IMAGE_VALUES) {
      throw new StnException(
          ErrorCode.INVALID_INPUT,
          String.format(
              "%s: expected %d floats (3x32x32 RGB, channel-major), got %d",
              what, Cifar10.IMAGE_VALUES, chw.length));
    }
    // x * 0 is NaN exactly when x is NaN or infinite; one branch-free pass keeps this cheap.
    float probe = 0;
    for (float v : chw) {
      probe += v * 0f;
    }
    if (probe != 0) {
      reportNonFinite(chw, what);
    }
  }

  private static void reportNonFinite(float[] chw, String what) throws StnException {
    int plane = Cifar10.HEIGHT * Cifar10.WIDTH;
    for (int i = 0; i < chw.length; i++) {
      if (!Float.isFinite(chw[i])) {
        throw new StnException(
            ErrorCode.INVALID_INPUT,
            String.format(
                "%s: value %d (channel %d, y %d, x %d) is %s; inputs must be finite, in [0,1]",
                what, i, i / plane, (i % plane) / Cifar10.WIDTH, i % Cifar10.WIDTH, chw[i]));
      }
    }
  }
}
