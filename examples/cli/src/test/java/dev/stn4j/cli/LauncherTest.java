package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.RepositoryRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./stn} launcher's own answers, which need no build: the commands it lists and its
 * usage errors. (Each jar's root command has its own tests of bad options and {@code --version}.)
 */
class LauncherTest {
  private static final List<String> COMMANDS =
      List.of(
          "train",
          "export",
          "quantize",
          "evaluate",
          "robustness",
          "classify",
          "info",
          "spark",
          "serve",
          "bench");

  record Run(int exit, String out, String err) {}

  private static Run launch(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("bash", "stn"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(RepositoryRoot.get().toFile()).start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher answers at once");
    return new Run(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void helpListsEveryCommand() throws Exception {
    Run r = launch("--help");
    assertEquals(0, r.exit(), r.err());
    for (String command : COMMANDS) {
      assertTrue(r.out().contains("\n  " + command + " "), command + " in:\n" + r.out());
    }
  }

  @Test
  void noCommandIsAUsageErrorThatListsThem() throws Exception {
    Run r = launch();
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("stn: missing command\n"), r.err());
    assertTrue(r.err().contains("\n  classify "), r.err());
  }

  @Test
  void anUnknownCommandIsAUsageErrorNamingIt() throws Exception {
    Run r = launch("clasify", "x.png");
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("stn: unknown command 'clasify'\n"), r.err());
  }
}
