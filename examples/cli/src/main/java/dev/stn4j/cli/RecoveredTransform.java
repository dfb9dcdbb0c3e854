package dev.stn4j.cli;

import dev.stn4j.sdk.Theta;
import java.util.Optional;

/**
 * The distortion a spatial transformer undid, read from its θ on a distorted image relative to its
 * θ on the original: {@code θ_rel = θ_distorted ∘ θ_original⁻¹} (apply the inverse of θ_original
 * first).
 *
 * <p><b>Why this is the distortion.</b> A distorted copy samples the original at {@code T·p}
 * ({@code T}: {@link dev.stn4j.image.AffineWarp#theta(int)}), so the transformer's output on it
 * samples the original at {@code T·θ_distorted·q}. It shows what the transformer shows on the
 * original exactly when {@code T·θ_distorted = θ_original}, i.e. {@code θ_rel = T⁻¹}: the warp's
 * forward map, {@code p ↦ scale·R·p + shift}. So the values below are in the warp's own convention
 * and a perfect inverse gives recovered = applied:
 *
 * <ul>
 *   <li>{@link #rotationDegrees()}: counter-clockwise as displayed (as {@code AffineWarp}'s angle;
 *       the opposite sign of {@link Theta#rotationDegrees()}), the best-fitting rotation {@code
 *       atan2(M01 − M10, M00 + M11)} of θ_rel's linear part M, in (−180, 180];
 *   <li>{@link #scale()}: {@code √|det M|}, above 1 when the content was enlarged;
 *   <li>{@link #shiftX()}, {@link #shiftY()}: θ_rel's translation in normalised units (2/S per
 *       pixel), right and down.
 * </ul>
 *
 * <pre>{@code
 * RecoveredTransform.of(distorted.theta(), original.theta())
 *     .ifPresent(r -> System.out.printf("turned %.1f°, scaled %.2f%n", r.rotationDegrees(), r.scale()));
 * }</pre>
 */
record RecoveredTransform(double rotationDegrees, double scale, double shiftX, double shiftY) {
  private static final double[] IDENTITY = {1, 0, 0, 0, 1, 0};

  /** From the two θs the model predicted; empty when θ_original is singular or not finite. */
  static Optional<RecoveredTransform> of(Theta distorted, Theta original) {
    return of(values(distorted), values(original));
  }

  /**
   * The warp a transformer applies with {@code theta} ({@code θ⁻¹}: content at p appears at θ⁻¹·p),
   * in the same convention: what it does to an image, read against the identity. Empty when θ is
   * singular or not finite.
   */
  static Optional<RecoveredTransform> warpOf(Theta theta) {
    return of(IDENTITY, values(theta));
  }

  /**
   * From two θs as six row-major values {@code a, b, tx, c, d, ty}; empty when {@code original} is
   * singular or not finite.
   */
  static Optional<RecoveredTransform> of(double[] distorted, double[] original) {
    double[] rel = compose(distorted, inverse(original));
    for (double v : rel) {
      if (!Double.isFinite(v)) {
        return Optional.empty();
      }
    }
    double m00 = rel[0];
    double m01 = rel[1];
    double m10 = rel[3];
    double m11 = rel[4];
    double rotation = Math.toDegrees(Math.atan2(m01 - m10, m00 + m11));
    if (rotation == -180) {
      rotation = 180;
    }
    double scale = Math.sqrt(Math.abs(m00 * m11 - m01 * m10));
    return Optional.of(new RecoveredTransform(rotation, scale, rel[2], rel[5]));
  }

  /** The shift along the unit direction ({@code cos}, {@code sin}), in pixels of an S×S image. */
  double shiftAlong(double cos, double sin, int size) {
    return (shiftX * cos + shiftY * sin) * size / 2;
  }

  /** The length of the shift, in pixels of an S×S image. */
  double shiftLength(int size) {
    return Math.hypot(shiftX, shiftY) * size / 2;
  }

  /** {@code first ∘ second}: apply {@code second}, then {@code first}. */
  static double[] compose(double[] first, double[] second) {
    double a = first[0] * second[0] + first[1] * second[3];
    double b = first[0] * second[1] + first[1] * second[4];
    double tx = first[0] * second[2] + first[1] * second[5] + first[2];
    double c = first[3] * second[0] + first[4] * second[3];
    double d = first[3] * second[1] + first[4] * second[4];
    double ty = first[3] * second[2] + first[4] * second[5] + first[5];
    return new double[] {a, b, tx, c, d, ty};
  }

  /** The inverse affine map; NaNs when {@code t} is singular. */
  static double[] inverse(double[] t) {
    double det = t[0] * t[4] - t[1] * t[3];
    if (det == 0) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    }
    double a = t[4] / det;
    double b = -t[1] / det;
    double c = -t[3] / det;
    double d = t[0] / det;
    return new double[] {a, b, -(a * t[2] + b * t[5]), c, d, -(c * t[2] + d * t[5])};
  }

  private static double[] values(Theta t) {
    return new double[] {t.a(), t.b(), t.tx(), t.c(), t.d(), t.ty()};
  }
}
