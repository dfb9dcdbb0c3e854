package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChildJvmTest {
  @Test
  void runsThisJavaWithThisClassPathAndTheCapInItsEnvironment() throws Exception {
    ChildJvm capped =
        new ChildJvm(FakeProbes.PrintsTheCap.class.getName(), List.of(), OneDnnIsa.SAFE);
    List<String> command = capped.command();
    assertTrue(command.get(0).startsWith(System.getProperty("java.home")), command.toString());
    int cp = command.indexOf("-cp");
    assertEquals(System.getProperty("java.class.path"), command.get(cp + 1));
    assertEquals(FakeProbes.PrintsTheCap.class.getName(), command.get(cp + 2));
    assertEquals("SSE41", capped.processBuilder().environment().get(OneDnnIsa.ENV));
    assertFalse(
        new ChildJvm("x.Main", List.of(), OneDnnIsa.UNCAPPED)
            .processBuilder()
            .environment()
            .containsKey(OneDnnIsa.ENV));

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = capped.run(false, new PrintWriter(out), new PrintWriter(err));
    assertEquals(9, code, err.toString());
    assertTrue(out.toString().startsWith("cap=SSE41 omp="), out.toString());
  }

  @Test
  void carriesTheSystemPropertiesTheChildNeeds() {
    String offline = System.getProperty("ai.djl.offline");
    List<String> command = new ChildJvm("x.Main", List.of("a", "b"), OneDnnIsa.SAFE).command();
    if (offline != null) {
      assertTrue(command.contains("-Dai.djl.offline=" + offline), command.toString());
    }
    assertEquals(List.of("x.Main", "a", "b"), command.subList(command.size() - 3, command.size()));
  }

  @Test
  void neverRunsAuto() {
    assertThrows(
        IllegalArgumentException.class, () -> new ChildJvm("x.Main", List.of(), OneDnnIsa.AUTO));
  }
}
