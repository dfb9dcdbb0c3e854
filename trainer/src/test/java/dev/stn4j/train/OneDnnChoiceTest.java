package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OneDnnChoiceTest {
  @TempDir Path dir;

  private final AtomicInteger probes = new AtomicInteger();

  private OneDnnChoice choice(OneDnnVerdict probeSays) {
    ProbeVerdictCache cache =
        new ProbeVerdictCache(
            dir,
            "this machine",
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    return new OneDnnChoice(
        cache,
        () -> {
          probes.incrementAndGet();
          return probeSays;
        });
  }

  @Test
  void aForcedCapNeedsNoProbe() throws Exception {
    OneDnnChoice choice = choice(null);
    OneDnnVerdict none = choice.decide(OneDnnIsa.UNCAPPED, "--onednn-isa");
    assertEquals(OneDnnIsa.UNCAPPED, none.isa());
    assertEquals("oneDNN: uncapped (asked for with --onednn-isa none)", none.line());
    OneDnnVerdict avx2 = choice.decide(OneDnnIsa.parse("AVX2"), "--onednn-isa");
    assertEquals("oneDNN: capped at AVX2 (asked for with --onednn-isa AVX2)", avx2.line());
    assertEquals(0, probes.get());
  }

  @Test
  void autoProbesOnceThenUsesTheCachedVerdict() throws Exception {
    OneDnnChoice choice =
        choice(
            new OneDnnVerdict(OneDnnIsa.SAFE, "probe with oneDNN uncapped: round 9 changed", true));
    OneDnnVerdict first = choice.decide(OneDnnIsa.AUTO, "--onednn-isa");
    assertEquals(OneDnnIsa.SAFE, first.isa());
    assertEquals(
        "oneDNN: capped at SSE41 (probe with oneDNN uncapped: round 9 changed)", first.line());
    OneDnnVerdict second = choice.decide(OneDnnIsa.AUTO, "--onednn-isa");
    assertEquals(OneDnnIsa.SAFE, second.isa());
    assertTrue(second.reason().contains("; cached "), second.reason());
    assertEquals(1, probes.get());
  }

  @Test
  void aProbeThatCouldNotTellIsAskedAgainNextTime() throws Exception {
    OneDnnChoice choice = choice(new OneDnnVerdict(OneDnnIsa.SAFE, "the probe crashed", false));
    assertEquals(OneDnnIsa.SAFE, choice.decide(OneDnnIsa.AUTO, "--onednn-isa").isa());
    assertEquals(OneDnnIsa.SAFE, choice.decide(OneDnnIsa.AUTO, "--onednn-isa").isa());
    assertEquals(2, probes.get());
  }
}
