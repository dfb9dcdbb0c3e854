package dev.stn4j.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The probe tells a gradient that changes, as the oneDNN defect makes it, from one that does not.
 */
class GradientRepeatProbeTest {
  private final GradientRepeatProbe probe = new GradientRepeatProbe(Engine.getEngine("PyTorch"));

  @Test
  void findsTheRoundWhereAGradientChanged() {
    int[] round = {0};
    Optional<String> changed =
        probe.repeat(
            10,
            scope -> {
              float[] g = {1, 2, 3, 4};
              if (round[0]++ == 6) {
                g[1] = Float.NaN; // left unwritten, holding what the memory held
                g[3] = Float.NaN;
              }
              return Map.of("input", g);
            });
    assertEquals(Optional.of("round 7 of 10: the gradient of input changed (2 NaN)"), changed);
  }

  @Test
  void findsNaNInTheFirstRound() {
    assertEquals(
        Optional.of("the gradient of w has 1 NaN in the first round"),
        probe.repeat(3, scope -> Map.of("w", new float[] {Float.NaN, 0})));
  }

  @Test
  void passesGradientsThatRepeat() {
    assertEquals(Optional.empty(), probe.repeat(5, scope -> Map.of("w", new float[] {1, -0f})));
  }
}
