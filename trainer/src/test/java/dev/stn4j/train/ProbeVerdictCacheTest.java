package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeVerdictCacheTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final OneDnnVerdict UNCAPPED =
      new OneDnnVerdict(OneDnnIsa.UNCAPPED, "probe: all repeated", true);

  @TempDir Path dir;

  private ProbeVerdictCache cache(String fingerprint, Instant now) {
    return new ProbeVerdictCache(dir, fingerprint, Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void keepsAVerdictForItsLifetimeAndTheSameMachineOnly() throws Exception {
    assertEquals(Optional.empty(), cache("machine A", T0).lookup());
    cache("machine A", T0).store(UNCAPPED);

    OneDnnVerdict hit = cache("machine A", T0.plus(Duration.ofHours(1))).lookup().orElseThrow();
    assertEquals(OneDnnIsa.UNCAPPED, hit.isa());
    assertTrue(
        hit.reason().startsWith("probe: all repeated; cached 2026-01-01T00:00:00Z"), hit.reason());
    assertTrue(hit.definitive());

    Instant expired = T0.plus(ProbeVerdictCache.LIFETIME);
    assertEquals(Optional.empty(), cache("machine A", expired).lookup());
    assertEquals(Optional.empty(), cache("machine A", T0.minusSeconds(60)).lookup());
    assertEquals(Optional.empty(), cache("machine B", T0).lookup());
    assertNotEquals(cache("machine A", T0).file(), cache("machine B", T0).file());
  }

  @Test
  void keepsACappedVerdictToo() throws Exception {
    cache("m", T0).store(new OneDnnVerdict(OneDnnIsa.SAFE, "probe: round 3 changed", true));
    assertEquals(OneDnnIsa.SAFE, cache("m", T0).lookup().orElseThrow().isa());
  }

  @Test
  void doesNotKeepAProbeThatCouldNotTell() throws Exception {
    cache("m", T0).store(new OneDnnVerdict(OneDnnIsa.SAFE, "the probe crashed", false));
    assertFalse(Files.exists(cache("m", T0).file()));
    assertEquals(Optional.empty(), cache("m", T0).lookup());
  }

  @Test
  void aDamagedFileIsAMiss() throws Exception {
    ProbeVerdictCache cache = cache("m", T0);
    cache.store(UNCAPPED);
    Files.writeString(cache.file(), "isa=none\nprobed_at=yesterday\n");
    assertEquals(Optional.empty(), cache.lookup());
    Files.writeString(cache.file(), "isa=AVX3\nfingerprint=m\nprobed_at=" + T0 + "\n");
    assertEquals(Optional.empty(), cache.lookup());
    cache.store(UNCAPPED);
    assertTrue(cache.lookup().isPresent());
  }
}
