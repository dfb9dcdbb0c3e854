package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The server child runs the SDK paths the bench was told to: its -Dstn4j.* options. */
class ServerChildTest {
  @Test
  void theBenchsStn4jPropertiesReachTheServersJvm() {
    String name = "stn4j.servertest.probe";
    System.setProperty(name, "false");
    try {
      List<String> command =
          ServerChild.command(ServerSettings.of("on", 64, 500), List.of("--threads", "1"));
      int option = command.indexOf("-D" + name + "=false");
      assertTrue(option > 0, command.toString());
      // A JVM option: before the class path and the main class, not an argument of stn serve.
      assertTrue(option < command.indexOf("-cp"), command.toString());
      assertEquals(List.of("--threads", "1"), command.subList(command.size() - 2, command.size()));
    } finally {
      System.clearProperty(name);
    }
  }
}
