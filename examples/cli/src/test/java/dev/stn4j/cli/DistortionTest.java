package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.image.AffineWarp;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DistortionTest {
  @Test
  void aRotationLevelTurnsEachImageByPlusOrMinusTheLevelDrawnFromTheSeed() {
    Distortion d = new Distortion(Distortion.Kind.ROTATION, 30);
    Set<Double> angles = new HashSet<>();
    for (int i = 0; i < 64; i++) {
      AffineWarp w = d.warp(7, i);
      assertEquals(30, Math.abs(w.degrees()));
      assertEquals(1, w.scale());
      assertEquals(Math.signum(w.degrees()), Distortion.Draws.of(7, i).sign());
      assertEquals(w.degrees(), d.warp(7, i).degrees(), "same seed and image, same draw");
      angles.add(w.degrees());
    }
    assertEquals(Set.of(30.0, -30.0), angles);
    int differ = 0;
    for (int i = 0; i < 64; i++) {
      differ += d.warp(7, i).degrees() != d.warp(8, i).degrees() ? 1 : 0;
    }
    assertTrue(differ > 10, "another seed draws other signs: " + differ + " of 64 differ");
  }

  @Test
  void aShiftLevelMovesByThatManyPixelsAlongADrawnDirection() {
    Distortion d = new Distortion(Distortion.Kind.SHIFT, 3);
    for (int i = 0; i < 16; i++) {
      AffineWarp w = d.warp(1, i);
      assertEquals(3, Math.hypot(w.shiftX(), w.shiftY()), 1e-12);
      assertEquals(0, w.degrees());
    }
  }

  @Test
  void identityLevelsAreTheImageItself() {
    assertTrue(new Distortion(Distortion.Kind.ROTATION, 0).identity());
    assertTrue(new Distortion(Distortion.Kind.SCALE, 1).identity());
    assertTrue(new Distortion(Distortion.Kind.SHIFT, 0).identity());
    float[] image = new float[3 * 8 * 8];
    for (int i = 0; i < image.length; i++) {
      image[i] = (i % 13) / 13f;
    }
    float[] fill = {0.5f, 0.5f, 0.5f};
    for (int i = 0; i < 8; i++) {
      float[] out = new Distortion(Distortion.Kind.ROTATION, 0).warp(3, i).apply(image, 8, fill);
      org.junit.jupiter.api.Assertions.assertArrayEquals(image, out);
    }
  }
}
