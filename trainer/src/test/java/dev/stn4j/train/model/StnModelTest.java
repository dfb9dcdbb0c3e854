package dev.stn4j.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stn4j.data.Cifar10;
import java.util.List;
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
  void theClassifierAloneIsTheStnWithThetaFixedToTheIdentity() {
    StnShape shape = new StnShape(28, 4);
    try (StnModel stn = StnModel.create(manager, StnWeights.initial(shape, 3));
        StnModel cnn = StnModel.create(manager, StnWeights.initial(Architecture.CNN, shape, 3))) {
      assertEquals(Architecture.CNN, cnn.architecture());
      assertThrows(
          IllegalArgumentException.class, () -> cnn.parameter(StnParameter.LOC_CONV1_WEIGHT));
      NDArray images = manager.randomUniform(0f, 1f, new Shape(5, 3, 28, 28));
      StnModel.Output a = stn.forward(images, false);
      StnModel.Output b = cnn.forward(images, false);
      // A fresh STN's θ is the identity, so the two differ by the sampler's rounding only.
      assertArrayEquals(a.probabilities().toFloatArray(), b.probabilities().toFloatArray(), 1e-5f);
      float[] theta = b.theta().toFloatArray();
      for (int i = 0; i < 5; i++) {
        assertArrayEquals(
            new float[] {1, 0, 0, 0, 1, 0},
            java.util.Arrays.copyOfRange(theta, i * 6, i * 6 + 6),
            0f);
      }
      float[] x = images.toFloatArray();
      float[] warped = b.warped().toFloatArray();
      for (int k = 0; k < x.length; k++) {
        int channel = (k / (28 * 28)) % 3;
        assertEquals(
            (x[k] - Cifar10.mean(channel)) / Cifar10.std(channel), warped[k], 1e-6f, "value " + k);
      }
      assertEquals(Architecture.CNN, cnn.weights().architecture());
      // The localization network's 3,424 + 32·L values are all it lacks.
      assertEquals(
          3_424 + 32 * shape.locFeatures(),
          shape.parameterCount() - Architecture.CNN.parameterCount(shape));
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

  @Test
  void forwardFollowsTheWeightsShape() {
    for (StnShape shape :
        List.of(new StnShape(64, 3), new StnShape(28, 20), new StnShape(32, 1000))) {
      int s = shape.imageSize();
      try (StnModel model = StnModel.create(manager, StnWeights.initial(shape, 2));
          NDManager scope = manager.newSubManager()) {
        assertEquals(shape, model.shape());
        NDArray images = scope.randomUniform(0f, 1f, new Shape(2, 3, s, s));
        StnModel.Output out = model.forward(images, false);
        assertEquals(new Shape(2, shape.classes()), out.logits().getShape(), shape.toString());
        assertEquals(new Shape(2, shape.classes()), out.probabilities().getShape());
        assertEquals(new Shape(2, 2, 3), out.theta().getShape());
        assertEquals(new Shape(2, 3, s, s), out.warped().getShape());
        float[] p = out.probabilities().toFloatArray();
        float sum = 0;
        for (int c = 0; c < shape.classes(); c++) {
          sum += p[c];
        }
        assertEquals(1f, sum, 1e-4f, shape.toString());
        assertEquals(shape.parameterCount(), model.weights().size());
        // Training mode (dropout masks of the classifier's fixed widths) works at any shape too.
        assertEquals(
            new Shape(2, shape.classes()), model.forward(images, true).logits().getShape());
      }
    }
  }

  @Test
  void identityThetaReproducesTheNormalisedInputAtAnySize() {
    StnShape shape = new StnShape(40, 3);
    Normalization n =
        new Normalization(new float[] {0.2f, 0.4f, 0.6f}, new float[] {0.5f, 0.25f, 2f});
    try (StnModel model = StnModel.create(manager, StnWeights.initial(shape, 7), n)) {
      NDArray images = manager.randomUniform(0f, 1f, new Shape(3, 3, 40, 40));
      StnModel.Output out = model.forward(images, false);
      float[] x = images.toFloatArray();
      float[] warped = out.warped().toFloatArray();
      float[] mean = n.mean();
      float[] std = n.std();
      for (int k = 0; k < x.length; k++) {
        int channel = (k / (40 * 40)) % 3;
        assertEquals((x[k] - mean[channel]) / std[channel], warped[k], 1e-4f, "value " + k);
      }
    }
  }

  @Test
  void rejectsImagesOfAnotherSize() {
    try (StnModel model = StnModel.create(manager, StnWeights.initial(new StnShape(64, 3), 1))) {
      NDArray cifar = manager.zeros(new Shape(1, 3, 32, 32));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> model.forward(cifar, false));
      assertEquals("images must be [N,3,64,64], got (1, 3, 32, 32)", e.getMessage());
    }
  }
}
