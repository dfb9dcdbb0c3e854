package dev.stn4j.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StnWeightsTest {
  @Test
  void cifar10InitialWeightsAreThoseOfTheFixedShapeModel() {
    // Printed by StnWeights.initial(seed) and sha256() as they were before shapes existed.
    StnWeights w42 = StnWeights.initial(StnShape.CIFAR10, 42);
    assertEquals("53a9472c2eb45b021b46c176b8a60aa0c477eac6d099af089280d19a762d842a", w42.sha256());
    assertEquals(0.03753827f, w42.get(StnParameter.LOC_CONV1_WEIGHT)[0]);
    assertEquals(-0.004347448f, w42.get(StnParameter.CLS_FC2_WEIGHT)[0]);
    assertEquals(
        "927f7b54674ea0fe76ff228cec9bd2b7813c05f26789740f0067986603883816",
        StnWeights.initial(StnShape.CIFAR10, 1).sha256());
    assertEquals(39_884, w42.size());
    assertEquals(StnShape.CIFAR10, w42.shape());
  }

  @Test
  void initialWeightsOfOtherShapesStartAtTheIdentity() {
    StnShape shape = new StnShape(64, 3);
    StnWeights w = StnWeights.initial(shape, 42);
    assertEquals(shape, w.shape());
    assertEquals(shape.parameterCount(), w.size());
    assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0}, w.get(StnParameter.LOC_FC2_BIAS), 0f);
    assertArrayEquals(new float[6 * 32], w.get(StnParameter.LOC_FC2_WEIGHT), 0f);
    float[] fc1 = w.get(StnParameter.CLS_FC1_WEIGHT);
    assertEquals(50 * 3380, fc1.length);
    float bound = (float) (1 / Math.sqrt(3380));
    for (float v : fc1) {
      assertEquals(0f, v, bound);
    }
    // The layers before the first that changes shape draw the same numbers as CIFAR-10's.
    StnWeights cifar = StnWeights.initial(StnShape.CIFAR10, 42);
    assertArrayEquals(
        cifar.get(StnParameter.LOC_CONV2_BIAS), w.get(StnParameter.LOC_CONV2_BIAS), 0f);
    assertNotEquals(cifar.sha256(), w.sha256());
  }

  @Test
  void ofChecksEverySizeAgainstTheShape() {
    StnShape shape = new StnShape(28, 20);
    StnWeights initial = StnWeights.initial(shape, 3);
    Map<StnParameter, float[]> arrays = new EnumMap<>(StnParameter.class);
    for (StnParameter p : StnParameter.values()) {
      arrays.put(p, initial.get(p));
    }
    assertEquals(initial.sha256(), StnWeights.of(shape, arrays).sha256());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StnWeights.of(StnShape.CIFAR10, arrays));
    assertEquals(
        "parameter loc.fc1.weight has 2880 values, expected 5120 for shape [32, 160]",
        e.getMessage());
    arrays.remove(StnParameter.CLS_FC2_BIAS);
    assertEquals(
        "missing parameter cls.fc2.bias",
        assertThrows(IllegalArgumentException.class, () -> StnWeights.of(shape, arrays))
            .getMessage());
  }

  @Test
  void arraysAreCopiedInAndOut() {
    Map<StnParameter, float[]> arrays = new EnumMap<>(StnParameter.class);
    StnWeights initial = StnWeights.initial(StnShape.CIFAR10, 5);
    for (StnParameter p : StnParameter.values()) {
      arrays.put(p, initial.get(p));
    }
    StnWeights w = StnWeights.of(StnShape.CIFAR10, arrays);
    arrays.get(StnParameter.CLS_FC2_BIAS)[0] = 99f;
    w.get(StnParameter.CLS_FC2_BIAS)[0] = 98f;
    assertEquals(initial.sha256(), w.sha256());
  }
}
