package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThetaTest {
  private static final double EPS = 1e-5;

  @ParameterizedTest
  @CsvSource({
    "1, 1, 0, 0, 0, 0",
    "0.5, 0.5, 0, 0, 0.1, -0.2",
    "0.8, 1.2, 30, 0, 0, 0",
    "0.7, 0.9, -45, 0.3, 0.25, 0.5",
    "1.5, -0.6, 170, -0.4, -1, 1",
    "0.3, 0.3, -179, 0.05, 0, 0",
  })
  void decomposingComposedPartsGivesThePartsBack(
      double sx, double sy, double rot, double shear, double tx, double ty) {
    Theta t = Theta.compose(sx, sy, rot, shear, tx, ty);
    assertEquals(sx, t.scaleX(), EPS, "scaleX");
    assertEquals(sy, t.scaleY(), EPS, "scaleY");
    assertEquals(rot, t.rotationDegrees(), 1e-3, "rotation");
    assertEquals(shear, t.shear(), EPS, "shear");
    assertEquals(tx, t.translationX(), EPS, "tx");
    assertEquals(ty, t.translationY(), EPS, "ty");
  }

  @ParameterizedTest
  @CsvSource({
    "1, 0, 0, 0, 1, 0",
    "0.6, -0.3, 0.1, 0.25, 0.9, -0.4",
    "-0.5, 0.2, 0, 0.1, 0.7, 0.3",
    "0.2, 0.8, 0.5, -0.9, 0.1, 0",
    "0, 0.5, 0, 0, 0.5, 0",
  })
  void composingTheDecompositionGivesThetaBack(
      float a, float b, float tx, float c, float d, float ty) {
    Theta t = new Theta(a, b, tx, c, d, ty);
    Theta back =
        Theta.compose(
            t.scaleX(),
            t.scaleY(),
            t.rotationDegrees(),
            t.shear(),
            t.translationX(),
            t.translationY());
    float[][] want = t.rows();
    float[][] got = back.rows();
    for (int r = 0; r < 2; r++) {
      assertArrayEquals(want[r], got[r], 1e-5f, "row " + r + " of " + t);
    }
  }

  @Test
  void rotationFollowsTheDocumentedMatrix() {
    // R(90°) = [[0, -1], [1, 0]]: the output's x axis samples the input's +y (downwards).
    Theta t = Theta.compose(1, 1, 90, 0, 0, 0);
    assertEquals(0, t.a(), 1e-6);
    assertEquals(-1, t.b(), 1e-6);
    assertEquals(1, t.c(), 1e-6);
    assertEquals(0, t.d(), 1e-6);
  }

  @Test
  void shearShiftsXByShearTimesY() {
    Theta t = Theta.compose(1, 1, 0, 0.5, 0, 0);
    assertArrayEquals(new float[] {1, 0.5f, 0}, t.rows()[0]);
    assertArrayEquals(new float[] {0, 1, 0}, t.rows()[1]);
  }

  @Test
  void identityDecomposesToUnitScaleAndNothingElse() {
    Theta t = Theta.identity();
    assertEquals(1, t.scaleX());
    assertEquals(1, t.scaleY());
    assertEquals(0, t.rotationDegrees());
    assertEquals(0, t.shear());
  }

  @Test
  void singularThetaHasZeroShearAndNoNaN() {
    Theta t = new Theta(0, 0, 0, 0, 0, 0);
    assertEquals(0, t.scaleX());
    assertEquals(0, t.scaleY());
    assertEquals(0, t.shear());
    assertEquals(0, t.rotationDegrees());
  }

  @Test
  void ofRowsReadsRowMajorAndRejectsOtherShapes() {
    Theta t = Theta.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
    assertEquals(new Theta(1, 2, 3, 4, 5, 6), t);
    assertThrows(IllegalArgumentException.class, () -> Theta.of(new float[][] {{1, 2, 3}}));
  }
}
