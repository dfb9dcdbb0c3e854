package dev.stn4j.sdk;

/** Checks of caller-supplied tensors, with messages that say which input and which value. */
final class Inputs {
  private Inputs() {}

  /**
   * Refuses a wrong length, NaN or infinity.
   *
   * @param index the input's position in a batch, named in the message; -1 for a single input
   */
  static void check(float[] chw, int index, int size) throws StnException {
    checkLength(chw, index, size);
    checkFinite(chw, index, size);
  }

  /** Refuses null or a length other than 3×S×S. */
  static void checkLength(float[] chw, int index, int size) throws StnException {
    int values = 3 * size * size;
    if (chw != null && chw.length == values) {
      return;
    }
    String what = name(index);
    if (chw == null) {
      throw new StnException(ErrorCode.INVALID_INPUT, what + ": is null");
    }
    throw new StnException(
        ErrorCode.INVALID_INPUT,
        String.format(
            "%s: expected %d floats (3x%dx%d RGB, channel-major), got %d",
            what, values, size, size, chw.length));
  }

  /** Refuses NaN or infinity in an array of the right length. */
  static void checkFinite(float[] chw, int index, int size) throws StnException {
    if (!allFinite(chw)) {
      reportNonFinite(chw, name(index), size);
    }
  }

  private static String name(int index) {
    return index < 0 ? "input" : "input " + index;
  }

  /**
   * x * 0 is NaN exactly when x is NaN or infinite. Eight independent sums instead of one keep the
   * loop from waiting on each add's latency.
   */
  private static boolean allFinite(float[] v) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    float s4 = 0;
    float s5 = 0;
    float s6 = 0;
    float s7 = 0;
    int i = 0;
    for (; i + 8 <= v.length; i += 8) {
      s0 += v[i] * 0f;
      s1 += v[i + 1] * 0f;
      s2 += v[i + 2] * 0f;
      s3 += v[i + 3] * 0f;
      s4 += v[i + 4] * 0f;
      s5 += v[i + 5] * 0f;
      s6 += v[i + 6] * 0f;
      s7 += v[i + 7] * 0f;
    }
    for (; i < v.length; i++) {
      s0 += v[i] * 0f;
    }
    return (s0 + s1 + s2 + s3) + (s4 + s5 + s6 + s7) == 0;
  }

  private static void reportNonFinite(float[] chw, String what, int size) throws StnException {
    int plane = size * size;
    for (int i = 0; i < chw.length; i++) {
      if (!Float.isFinite(chw[i])) {
        throw new StnException(
            ErrorCode.INVALID_INPUT,
            String.format(
                "%s: value %d (channel %d, y %d, x %d) is %s; inputs must be finite, in [0,1]",
                what, i, i / plane, (i % plane) / size, i % size, chw[i]));
      }
    }
    // Only reachable if another thread changed the array between the two passes.
    throw new StnException(ErrorCode.INVALID_INPUT, what + ": values changed while being checked");
  }
}
