package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The probe in its child JVM: the real one once (a few seconds), and stand-ins for the rest. */
class OneDnnProbeTest {
  private static OneDnnVerdict probe(Class<?> main, Duration timeout) throws Exception {
    return new OneDnnProbe(main.getName(), timeout).run();
  }

  @Test
  void theRealProbeGivesAVerdictThatAgreesWithItsReason() throws Exception {
    OneDnnVerdict verdict = new OneDnnProbe(OneDnnChoice.PROBE_TIMEOUT).run();
    assertTrue(verdict.definitive(), verdict.line());
    if (verdict.isa().equals(OneDnnIsa.UNCAPPED)) {
      assertTrue(
          verdict.reason().contains("repeated exactly with oneDNN uncapped"), verdict.line());
    } else {
      assertEquals(OneDnnIsa.SAFE, verdict.isa());
      assertTrue(verdict.reason().contains("the gradient of"), verdict.line());
    }
  }

  @Test
  void aChangedGradientCaps() throws Exception {
    OneDnnVerdict v = probe(FakeProbes.Changed.class, Duration.ofSeconds(30));
    assertEquals(OneDnnIsa.SAFE, v.isa());
    assertTrue(v.definitive());
    assertTrue(
        v.reason()
            .startsWith(
                "probe with oneDNN uncapped: round 5 of 150: the gradient of input changed (12 NaN), "),
        v.reason());
  }

  @Test
  void aCrashCapsAndSaysSo() throws Exception {
    OneDnnVerdict v = probe(FakeProbes.Crashes.class, Duration.ofSeconds(30));
    assertEquals(OneDnnIsa.SAFE, v.isa());
    assertFalse(v.definitive());
    assertTrue(
        v.reason()
            .startsWith("the gradient probe failed (exit 134: Fatal: SIGILL in libtorch_cpu.so)"),
        v.reason());
  }

  @Test
  void aHangCapsAndSaysSo() throws Exception {
    long started = System.nanoTime();
    OneDnnVerdict v = probe(FakeProbes.Hangs.class, Duration.ofSeconds(2));
    assertTrue(System.nanoTime() - started < 20e9, "the probe was not stopped");
    assertEquals(OneDnnIsa.SAFE, v.isa());
    assertFalse(v.definitive());
    assertEquals("the gradient probe did not finish within 2 s", v.reason());
  }

  @Test
  void theProbeRunsUncappedWithPassiveOpenMpThreads() throws Exception {
    OneDnnVerdict v = probe(FakeProbes.PrintsTheCap.class, Duration.ofSeconds(30));
    String omp = System.getenv("OMP_WAIT_POLICY");
    assertTrue(
        v.reason().contains("(exit 9: cap=null omp=" + (omp == null ? "PASSIVE" : omp) + ")"),
        v.reason());
  }
}
