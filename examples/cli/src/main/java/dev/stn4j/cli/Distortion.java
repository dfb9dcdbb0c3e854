package dev.stn4j.cli;

import dev.stn4j.image.AffineWarp;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One distortion level of {@code stn robustness} and the seeded warp it gives each test image.
 *
 * <ul>
 *   <li>{@link Kind#ROTATION} by {@code a} degrees: each image turned by +a or −a about its centre
 *       (counter-clockwise as displayed when positive), the sign drawn per image from the seed, at
 *       scale 1 without shift; so a level and its negative are the same distortion.
 *   <li>{@link Kind#SCALE} by {@code s}: the content scaled by s about the centre (above 1:
 *       enlarged), without rotation or shift.
 *   <li>{@link Kind#SHIFT} by {@code d} pixels: the content moved d pixels along a direction drawn
 *       per image from the seed (uniform over the circle), without rotation or scaling.
 * </ul>
 *
 * An image's draws depend only on the seed and its index in the test data, so every level and every
 * model sees the same copies, run after run.
 *
 * @param kind what is distorted
 * @param level degrees, a factor or pixels
 */
record Distortion(Kind kind, double level) {
  /** What a level distorts, with its name in the outputs and its unit. */
  enum Kind {
    ROTATION("rotation", "degrees"),
    SCALE("scale", "factor"),
    SHIFT("shift", "pixels");

    final String label;
    final String unit;

    Kind(String label, String unit) {
      this.label = label;
      this.unit = unit;
    }
  }

  /** Whether every image's copy is the image itself (a rotation by 0, a scale of 1, a 0 shift). */
  boolean identity() {
    return kind == Kind.SCALE ? level == 1 : level == 0;
  }

  /** The warp of image {@code index} under {@code seed}. */
  AffineWarp warp(long seed, int index) {
    Draws draws = Draws.of(seed, index);
    return switch (kind) {
      case ROTATION -> AffineWarp.of(draws.sign() * level, 1, 0, 0);
      case SCALE -> AffineWarp.of(0, level, 0, 0);
      case SHIFT -> AffineWarp.of(0, 1, level * draws.cos(), level * draws.sin());
    };
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s %s %s", kind.label, format(level), kind.unit);
  }

  /** A level as written in the outputs: no trailing ".0". */
  static String format(double level) {
    return level == Math.rint(level) && Math.abs(level) < 1e15
        ? Long.toString((long) level)
        : Double.toString(level);
  }

  /**
   * The random choices for one image: the rotation's sign and the shift's direction. A
   * SplittableRandom seeded from the seed and the index alone, so the draws do not depend on the
   * order images are processed in.
   *
   * @param sign +1 or −1
   * @param cos the shift direction's x component
   * @param sin its y component (down)
   */
  record Draws(int sign, double cos, double sin) {
    static Draws of(long seed, int index) {
      SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
      int sign = random.nextBoolean() ? 1 : -1;
      double direction = 2 * Math.PI * random.nextDouble();
      return new Draws(sign, StrictMath.cos(direction), StrictMath.sin(direction));
    }
  }
}
