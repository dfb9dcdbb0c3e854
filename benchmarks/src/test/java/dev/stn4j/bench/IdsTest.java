package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void parsesIdsCaseInsensitivelyIgnoringBlanks() {
    assertEquals(ProviderKind.TENSORRT, ProviderKind.parse(" TensorRT "));
    assertEquals(RuntimeKind.DJL_PYTORCH, RuntimeKind.parse("djl-pytorch"));
  }

  @Test
  void anUnknownIdIsNamedWithEveryKnownOne() {
    IllegalArgumentException p =
        assertThrows(IllegalArgumentException.class, () -> ProviderKind.parse("rocm"));
    assertEquals("unknown provider 'rocm', expected one of cpu, cuda, tensorrt", p.getMessage());
    IllegalArgumentException r =
        assertThrows(IllegalArgumentException.class, () -> RuntimeKind.parse("Torch"));
    assertEquals(
        "unknown runtime 'Torch', expected one of sdk, ort-raw, djl-pytorch, djl-ort",
        r.getMessage());
  }
}
