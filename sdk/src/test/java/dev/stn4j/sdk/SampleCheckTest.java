package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SampleCheckTest {
  private static Prediction of(float... probabilities) {
    int best = 0;
    for (int i = 1; i < probabilities.length; i++) {
      best = probabilities[i] > probabilities[best] ? i : best;
    }
    return new Prediction(
        best,
        "c" + best,
        probabilities[best],
        probabilities,
        Theta.of(new float[][] {{1, 0, 0}, {0, 1, 0}}),
        WarpedImage.of(new float[3 * 18 * 18]));
  }

  @Test
  void aRecordedClassTiedWithinTheParityBoundStillCounts() {
    assertTrue(SampleCheck.gives(of(0.2f, 0.40004f, 0.39996f), 1));
    assertTrue(SampleCheck.gives(of(0.2f, 0.40004f, 0.39996f), 2));
  }

  @Test
  void aRecordedClassBehindByMoreThanTheBoundFails() {
    assertFalse(SampleCheck.gives(of(0.2f, 0.4002f, 0.3998f), 2));
    assertFalse(SampleCheck.gives(of(0.1f, 0.8f, 0.1f), 0));
  }
}
