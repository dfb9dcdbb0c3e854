package dev.stn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CifarBatchTest {
  private static CifarBatch records(int n) throws CifarDataException {
    byte[] bytes = new byte[n * (1 + Cifar10.IMAGE_VALUES)];
    for (int i = 0; i < n; i++) {
      bytes[i * (1 + Cifar10.IMAGE_VALUES)] = (byte) (i % 10);
      bytes[i * (1 + Cifar10.IMAGE_VALUES) + 1] =
          (byte) (10 * i); // first pixel tells records apart
    }
    return CifarBatch.parse("five", bytes);
  }

  @Test
  void headAndTailSplitTheRecordsWithoutOverlap() throws CifarDataException {
    CifarBatch all = records(5);
    CifarBatch head = all.head(3);
    CifarBatch tail = all.tail(2);

    assertEquals(3, head.size());
    assertEquals(2, tail.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(all.label(i), head.label(i));
      assertArrayEquals(all.imageBytes(i), head.imageBytes(i));
    }
    for (int i = 0; i < 2; i++) {
      assertEquals(all.label(3 + i), tail.label(i));
      assertArrayEquals(all.imageBytes(3 + i), tail.imageBytes(i));
    }
    assertEquals("five[3:5]", tail.source());
    assertEquals(0, all.tail(0).size());
    assertThrows(IllegalArgumentException.class, () -> all.tail(6));
  }
}
