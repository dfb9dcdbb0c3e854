package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.stn4j.train.model.StnModel;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import org.junit.jupiter.api.Test;

class WeightAverageTest {
  @Test
  void equalsItsFormulaAfterKSteps() {
    float decay = 0.8f;
    StnWeights start = StnWeights.initial(StnShape.CIFAR10, 1);
    StnWeights[] trained = {
      StnWeights.initial(StnShape.CIFAR10, 2),
      StnWeights.initial(StnShape.CIFAR10, 3),
      StnWeights.initial(StnShape.CIFAR10, 4)
    };
    try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
        WeightAverage average = new WeightAverage(manager, start, decay)) {
      for (StnWeights w : trained) {
        try (StnModel model = StnModel.create(manager, w)) {
          average.update(model);
        }
      }
      StnWeights result = average.weights();
      for (StnParameter p : StnParameter.values()) {
        float[] expected = start.get(p).clone();
        for (StnWeights w : trained) {
          for (int i = 0; i < expected.length; i++) {
            expected[i] = decay * expected[i] + (1f - decay) * w.get(p)[i];
          }
        }
        float[] actual = result.get(p);
        for (int i = 0; i < expected.length; i++) {
          assertEquals(
              expected[i], actual[i], 1e-6f * (1 + Math.abs(expected[i])), p + "[" + i + "]");
        }
      }
    }
  }
}
