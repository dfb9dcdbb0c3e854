package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.image.AffineWarp;
import dev.stn4j.sdk.Theta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecoveredTransformTest {
  /** Some θ a transformer might predict on an original image: not the identity. */
  private static final double[] ORIGINAL = {0.9, 0.1, 0.05, -0.08, 1.1, -0.02};

  /**
   * The θ that shows the original's view on a copy distorted by {@code warp}: the copy samples the
   * original at {@code T·p}, so {@code T·θ = θ_original}, {@code θ = T⁻¹·θ_original}.
   */
  private static double[] perfectInverse(AffineWarp warp, int size) {
    return RecoveredTransform.compose(RecoveredTransform.inverse(warp.theta(size)), ORIGINAL);
  }

  @ParameterizedTest
  @CsvSource({
    "30, 1, 0, 0",
    "-45, 1, 0, 0",
    "90, 1, 0, 0",
    "0, 0.8, 0, 0",
    "0, 1.25, 0, 0",
    "17, 0.9, 3, -2",
    "180, 1, 0, 0",
    "-120, 1.5, -1, 4"
  })
  void aPerfectInverseRecoversTheAppliedWarp(double degrees, double scale, double dx, double dy) {
    int size = 32;
    AffineWarp warp = AffineWarp.of(degrees, scale, dx, dy);
    RecoveredTransform r =
        RecoveredTransform.of(perfectInverse(warp, size), ORIGINAL).orElseThrow();
    assertEquals(degrees == -180 ? 180 : degrees, r.rotationDegrees(), 1e-9);
    assertEquals(scale, r.scale(), 1e-12);
    assertEquals(dx, r.shiftX() * size / 2, 1e-9);
    assertEquals(dy, r.shiftY() * size / 2, 1e-9);
    double length = Math.hypot(dx, dy);
    if (length > 0) {
      assertEquals(length, r.shiftAlong(dx / length, dy / length, size), 1e-9);
    }
  }

  @Test
  void theSameThetaOnBothIsNoDistortion() {
    RecoveredTransform r = RecoveredTransform.of(ORIGINAL, ORIGINAL).orElseThrow();
    assertEquals(0, r.rotationDegrees(), 1e-12);
    assertEquals(1, r.scale(), 1e-12);
    assertEquals(0, r.shiftX(), 1e-12);
    assertEquals(0, r.shiftY(), 1e-12);
  }

  @Test
  void theSignIsCounterClockwiseAsDisplayedTheOppositeOfThetasOwnRotation() {
    // θ_rel equal to the forward map of a 30° counter-clockwise turn: Theta's decomposition reads
    // the same matrix as -30°, the warp's convention (and ours) as +30°.
    double[] forward = RecoveredTransform.inverse(AffineWarp.of(30, 1, 0, 0).theta(32));
    Theta t =
        new Theta(
            (float) forward[0], (float) forward[1], 0, (float) forward[3], (float) forward[4], 0);
    assertEquals(-30, t.rotationDegrees(), 1e-4);
    assertEquals(
        30, RecoveredTransform.of(t, Theta.identity()).orElseThrow().rotationDegrees(), 1e-4);
  }

  @Test
  void composeAndInverseUndoEachOther() {
    double[] identity = RecoveredTransform.compose(ORIGINAL, RecoveredTransform.inverse(ORIGINAL));
    assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, identity, 1e-12);
  }

  @Test
  void aSingularOriginalThetaRecoversNothing() {
    double[] singular = {1, 2, 0, 2, 4, 0};
    assertTrue(RecoveredTransform.of(ORIGINAL, singular).isEmpty());
    assertTrue(RecoveredTransform.of(new double[] {Float.NaN, 0, 0, 0, 1, 0}, ORIGINAL).isEmpty());
  }
}
