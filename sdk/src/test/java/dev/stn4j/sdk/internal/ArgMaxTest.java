package dev.stn4j.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ArgMaxTest {
  @Test
  void theLargestOfTheRowCountedFromItsStartTheFirstOnATie() {
    float[] rows = {9f, 0.1f, 0.7f, 0.2f, 0.4f, 0.4f, 0.1f};
    assertEquals(1, ArgMax.of(rows, 1, 3));
    assertEquals(0, ArgMax.of(rows, 4, 3));
    assertEquals(0, ArgMax.of(rows, 0, 7));
  }

  @Test
  void aRowOutsideTheArrayIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ArgMax.of(new float[4], 2, 3));
    assertThrows(IllegalArgumentException.class, () -> ArgMax.of(new float[4], 0, 0));
  }
}
