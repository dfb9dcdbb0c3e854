package dev.stn4j.export;

import dev.stn4j.export.QuantizedClassifier.Tap;
import java.util.EnumMap;
import java.util.Map;

/**
 * The calibrated range of every quantized activation ({@link Tap}): the minimum and maximum each
 * took over the calibration images, from which its int8 scale and zero point follow.
 *
 * <pre>{@code
 * ActivationRanges.Builder b = ActivationRanges.builder();
 * b.observe(Tap.FC1, values);   // once per batch
 * ActivationRanges ranges = b.build();
 * }</pre>
 */
final class ActivationRanges {
  private final Map<Tap, float[]> minMax;

  private ActivationRanges(Map<Tap, float[]> minMax) {
    this.minMax = minMax;
  }

  static Builder builder() {
    return new Builder();
  }

  /** {@code [min, max]} of {@code tap} over the calibration images. */
  float[] range(Tap tap) {
    return minMax.get(tap).clone();
  }

  /** The int8 parameters of {@code tap}'s range. */
  Int8.Activation activation(Tap tap) {
    float[] r = minMax.get(tap);
    return Int8.Activation.of(r[0], r[1]);
  }

  /** Collects min/max per tap; {@link #build()} requires every tap to have been observed. */
  static final class Builder {
    private final Map<Tap, float[]> minMax = new EnumMap<>(Tap.class);

    private Builder() {}

    Builder observe(Tap tap, float[] values) {
      float[] r =
          minMax.computeIfAbsent(
              tap, t -> new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
      for (float v : values) {
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException(tap + ": non-finite activation " + v);
        }
        r[0] = Math.min(r[0], v);
        r[1] = Math.max(r[1], v);
      }
      return this;
    }

    ActivationRanges build() {
      for (Tap tap : Tap.values()) {
        if (!minMax.containsKey(tap)) {
          throw new IllegalStateException("no values observed for " + tap);
        }
      }
      Map<Tap, float[]> copy = new EnumMap<>(Tap.class);
      minMax.forEach((t, r) -> copy.put(t, r.clone()));
      return new ActivationRanges(copy);
    }
  }
}
