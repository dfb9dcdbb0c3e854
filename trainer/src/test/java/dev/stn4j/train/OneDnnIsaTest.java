package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OneDnnIsaTest {
  @Test
  void parsesTheVocabularyInAnyCase() {
    assertEquals(OneDnnIsa.AUTO, OneDnnIsa.parse("auto"));
    assertEquals(OneDnnIsa.UNCAPPED, OneDnnIsa.parse("none"));
    assertEquals(OneDnnIsa.UNCAPPED, OneDnnIsa.parse("ALL"));
    assertEquals(OneDnnIsa.SAFE, OneDnnIsa.parse("cap"));
    assertEquals(OneDnnIsa.SAFE, OneDnnIsa.parse("sse41"));
    assertEquals(new OneDnnIsa(OneDnnIsa.Mode.CAPPED, "AVX2"), OneDnnIsa.parse(" avx2 "));
    assertEquals("AVX512_CORE", OneDnnIsa.parse("avx512_core").cap());
  }

  @Test
  void rejectsAnUnknownNameSayingWhatIsAccepted() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OneDnnIsa.parse("AVX3"));
    assertTrue(e.getMessage().contains("unknown oneDNN ISA 'AVX3'"), e.getMessage());
    assertTrue(e.getMessage().contains("auto, none, cap"), e.getMessage());
    assertTrue(e.getMessage().contains("AVX2"), e.getMessage());
  }

  @Test
  void readsTheEnvironmentAsOneDnnDoes() {
    assertEquals(OneDnnIsa.UNCAPPED, OneDnnIsa.ofEnvironment(null));
    assertEquals(OneDnnIsa.UNCAPPED, OneDnnIsa.ofEnvironment(""));
    assertEquals(OneDnnIsa.UNCAPPED, OneDnnIsa.ofEnvironment("all"));
    assertEquals(OneDnnIsa.SAFE, OneDnnIsa.ofEnvironment("SSE41"));
    assertEquals("AVX2", OneDnnIsa.capIn(Map.of("DNNL_MAX_CPU_ISA", "AVX2")));
    assertEquals(
        "SSE41",
        OneDnnIsa.capIn(Map.of("DNNL_MAX_CPU_ISA", "AVX2", "ONEDNN_MAX_CPU_ISA", "SSE41")));
    assertEquals(null, OneDnnIsa.capIn(Map.of()));
    // oneDNN ignores a name it does not know.
    assertEquals(OneDnnIsa.UNCAPPED, OneDnnIsa.ofEnvironment("bogus"));
  }

  @Test
  void givesBackTheOptionAndTheEnvironmentValue() {
    assertEquals("none", OneDnnIsa.UNCAPPED.option());
    assertEquals("ALL", OneDnnIsa.UNCAPPED.environmentValue());
    assertEquals("SSE41", OneDnnIsa.SAFE.option());
    assertEquals("SSE41", OneDnnIsa.SAFE.environmentValue());
    assertEquals("capped at SSE41", OneDnnIsa.SAFE.describe());
    assertThrows(IllegalStateException.class, OneDnnIsa.AUTO::environmentValue);
    for (OneDnnIsa isa : new OneDnnIsa[] {OneDnnIsa.AUTO, OneDnnIsa.UNCAPPED, OneDnnIsa.SAFE}) {
      assertEquals(isa, OneDnnIsa.parse(isa.option()));
    }
  }
}
