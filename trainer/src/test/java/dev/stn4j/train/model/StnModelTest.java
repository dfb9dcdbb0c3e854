package dev.stn4j.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stn4j.data.Cifar10;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StnModelTest {
  private NDManager manager;

  @BeforeEach
  void start() {
    manager = Engine.getEngine("PyTorch").newBaseManager();
  }

  @AfterEach
  void stop() {
    manager.close();
  }

  @Test
  void hasTheSeedsParameterCount() {
    try (StnModel model = StnModel.create(manager, StnWeights.initial(StnShape.CIFAR10, 1))) {
      long total = 0;
      for (StnParameter p : StnParameter.values()) {
        NDArray a = model.parameter(p);
        assertEquals(new Shape(p.shape(StnShape.CIFAR10)), a.getShape(), p.key());
        total += a.size();
      }
      assertEquals(39_884, total);
    }
  }

  @Test
  void thetaStartsAtTheIdentityAndWarpedIsTheNormalisedInput() {
    try (StnModel model = StnModel.create(manager, StnWeights.initial(StnShape.CIFAR10, 3))) {
      NDArray images = manager.randomUniform(0f, 1f, new Shape(4, 3, 32, 32));
      StnModel.Output out = model.forward(images, false);
      float[] theta = out.theta().toFloatArray();
      for (int i = 0; i < 4; i++) {
        assertArrayEquals(
            new float[] {1, 0, 0, 0, 1, 0},
            java.util.Arrays.copyOfRange(theta, i * 6, i * 6 + 6),
            1e-6f);
      }
      float[] x = images.toFloatArray();
      float[] warped = out.warped().toFloatArray();
      for (int k = 0; k < x.length; k++) {
        int channel = (k / 1024) % 3;
        float normalised = (x[k] - Cifar10.mean(channel)) / Cifar10.std(channel);
        assertEquals(normalised, warped[k], 1e-4f, "value " + k);
      }
      assertEquals(new Shape(4, 10), out.logits().getShape());
      float[] p = out.probabilities().toFloatArray();
      for (int i = 0; i < 4; i++) {
        float sum = 0;
        for (int c = 0; c < 10; c++) {
          sum += p[i * 10 + c];
        }
        assertEquals(1f, sum, 1e-5f);
      }
    }
  }

  @Test
  void weightsRoundTripThroughTheEngine() {
    StnWeights initial = StnWeights.initial(StnShape.CIFAR10, 5);
    try (StnModel model = StnModel.create(manager, initial)) {
      assertEquals(initial.sha256(), model.weights().sha256());
    }
  }

  @Test
  void dropoutOnlyWhenTraining() {
    try (StnModel model =
        StnModel.create(manager, StnWeights.initial(StnShape.CIFAR10, 9), 0.5f, 0.5f)) {
      NDArray images = manager.randomUniform(0f, 1f, new Shape(8, 3, 32, 32));
      float[] a = model.forward(images, false).logits().toFloatArray();
      float[] b = model.forward(images, false).logits().toFloatArray();
      assertArrayEquals(a, b, 0f);
      model.reseedDropout(1);
      float[] c = model.forward(images, true).logits().toFloatArray();
      model.reseedDropout(1);
      float[] d = model.forward(images, true).logits().toFloatArray();
      assertArrayEquals(c, d, 0f);
      assertThrows(AssertionError.class, () -> assertArrayEquals(a, c, 1e-4f));
    }
  }

  @Test
  void closedModelRefusesUseAndClosesTwice() {
    StnModel model = StnModel.create(manager, StnWeights.initial(StnShape.CIFAR10, 1));
    model.close();
    model.close();
    assertThrows(IllegalStateException.class, model::weights);
    NDArray images = manager.zeros(new Shape(1, 3, 32, 32));
    assertThrows(IllegalStateException.class, () -> model.forward(images, false));
  }

  @Test
  void rejectsBadInputShapeAndRates() {
    try (StnModel model = StnModel.create(manager, StnWeights.initial(StnShape.CIFAR10, 1))) {
      NDArray gray = manager.zeros(new Shape(1, 1, 32, 32));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> model.forward(gray, false));
      assertEquals("images must be [N,3,32,32], got (1, 1, 32, 32)", e.getMessage());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> StnModel.create(manager, StnWeights.initial(StnShape.CIFAR10, 1), 1f, 0f));
  }
}
