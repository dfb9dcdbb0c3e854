package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderTest {
  @Test
  void parsesEveryDocumentedForm() {
    assertEquals(Provider.auto(), Provider.parse("auto"));
    assertEquals(Provider.cpu(), Provider.parse("CPU"));
    assertEquals(Provider.cuda(0), Provider.parse("cuda"));
    assertEquals(Provider.cuda(1), Provider.parse("cuda:1"));
    assertEquals(Provider.tensorRt(0), Provider.parse("tensorrt"));
    assertEquals(Provider.tensorRt(2), Provider.parse(" TensorRT:2 "));
  }

  @Test
  void displayNamesParseBack() {
    for (Provider p :
        new Provider[] {Provider.auto(), Provider.cpu(), Provider.cuda(3), Provider.tensorRt(1)}) {
      assertEquals(p, Provider.parse(p.displayName()));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "gpu", "cuda:x", "cuda:-1", "cpu:0", "auto:1", "cuda:"})
  void rejectsOtherTextNamingIt(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Provider.parse(text));
    assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("cuda:N"), e.getMessage());
  }

  @Test
  void negativeDevicesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Provider.cuda(-1));
    assertThrows(IllegalArgumentException.class, () -> Provider.tensorRt(-2));
  }

  @Test
  void theBuildAlwaysHasTheCpuProvider() {
    assertTrue(Provider.availableInBuild().contains("CPU"), Provider.availableInBuild().toString());
  }
}
