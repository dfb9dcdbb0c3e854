package dev.stn4j.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stn4j.data.Cifar10;
import org.junit.jupiter.api.Test;

class NormalizationTest {
  @Test
  void cifar10IsTheSeedsConstantsAndTheirMetadataText() {
    assertArrayEquals(Cifar10.means(), Normalization.CIFAR10.mean(), 0f);
    assertArrayEquals(Cifar10.stds(), Normalization.CIFAR10.std(), 0f);
    // The text CIFAR-10 models carry in stn4j.normalization.
    assertEquals(
        "{\"mean\":[0.4914,0.4822,0.4465],\"std\":[0.247,0.2435,0.2616]}",
        Normalization.CIFAR10.toJson());
  }

  @Test
  void roundTripsThroughJson() {
    Normalization n =
        new Normalization(new float[] {0.1f, 0.2f, 0.30000001f}, new float[] {1e-3f, 2f, 0.5f});
    Normalization back = Normalization.fromJson(n.toJson());
    assertEquals(n, back);
    assertEquals(n.hashCode(), back.hashCode());
    assertArrayEquals(n.std(), back.std(), 0f);
  }

  @Test
  void copiesArraysInAndOut() {
    float[] mean = {0.5f, 0.5f, 0.5f};
    Normalization n = new Normalization(mean, new float[] {1, 1, 1});
    mean[0] = 9f;
    n.mean()[1] = 9f;
    assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, n.mean(), 0f);
  }

  @Test
  void refusesWhatCannotNormalise() {
    float[] ok = {0.5f, 0.5f, 0.5f};
    assertEquals(
        "normalization std must be positive, got [0.5, 0.0, 0.5]",
        assertThrows(
                IllegalArgumentException.class,
                () -> new Normalization(ok, new float[] {0.5f, 0f, 0.5f}))
            .getMessage());
    assertEquals(
        "normalization mean needs 3 values (R, G, B), got [0.5, 0.5]",
        assertThrows(
                IllegalArgumentException.class,
                () -> new Normalization(new float[] {0.5f, 0.5f}, ok))
            .getMessage());
    assertEquals(
        "normalization mean must be finite, got [NaN, 0.5, 0.5]",
        assertThrows(
                IllegalArgumentException.class,
                () -> new Normalization(new float[] {Float.NaN, 0.5f, 0.5f}, ok))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Normalization.fromJson("{\"mean\":[1,2,3]}"));
    assertThrows(IllegalArgumentException.class, () -> Normalization.fromJson("not json"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Normalization.fromJson("{\"mean\":[1,2,\"x\"],\"std\":[1,1,1]}"));
  }
}
