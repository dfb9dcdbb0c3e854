package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {
  private static final float[] LOGITS = {2f, 0f, -1f, 0.5f, 0.5f, 3f};
  private static final long[] LABELS = {0, 2};

  /** The closed form, in double: (1−ε)·(−log p_y) + ε·mean_k(−log p_k), averaged over rows. */
  private static double closedForm(double smoothing) {
    double total = 0;
    for (int row = 0; row < 2; row++) {
      double[] z = {LOGITS[3 * row], LOGITS[3 * row + 1], LOGITS[3 * row + 2]};
      double logSum = Math.log(Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]));
      double nll = logSum - z[(int) LABELS[row]];
      double uniform = 0;
      for (double v : z) {
        uniform += (logSum - v) / 3;
      }
      total += (1 - smoothing) * nll + smoothing * uniform;
    }
    return total / 2;
  }

  private static float loss(double smoothing) {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      NDArray logits = m.create(LOGITS, new Shape(2, 3));
      return CrossEntropy.loss(logits, m.create(LABELS), smoothing).getFloat();
    }
  }

  @Test
  void equalsItsClosedForm() {
    assertEquals(closedForm(0), loss(0), 1e-6);
    assertEquals(closedForm(0.1), loss(0.1), 1e-6);
    assertEquals(closedForm(0.5), loss(0.5), 1e-6);
  }

  @Test
  void smoothingMovesTheGradientTowardsTheOtherClasses() {
    // d loss / d z_k = (p_k − target_k) / N with target = (1−ε)·onehot + ε/K.
    double smoothing = 0.3;
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      NDArray logits = m.create(LOGITS, new Shape(2, 3)).duplicate();
      logits.setRequiresGradient(true);
      try (GradientCollector c = Engine.getEngine("PyTorch").newGradientCollector()) {
        c.backward(CrossEntropy.loss(logits, m.create(LABELS), smoothing));
      }
      float[] gradient = logits.getGradient().toFloatArray();
      for (int row = 0; row < 2; row++) {
        double[] z = {LOGITS[3 * row], LOGITS[3 * row + 1], LOGITS[3 * row + 2]};
        double sum = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
        for (int k = 0; k < 3; k++) {
          double target = (k == LABELS[row] ? 1 - smoothing : 0) + smoothing / 3;
          assertEquals((Math.exp(z[k]) / sum - target) / 2, gradient[3 * row + k], 1e-6);
        }
      }
    }
  }
}
