package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.RepositoryRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The jar's root command follows the shared convention (dev.stn4j.commandline). */
class StnCliTest {
  @Test
  void versionIsTheBuildsOwn() {
    Cli.Result r = Cli.run("-V");

    assertEquals(0, r.exit(), r.toString());
    assertEquals("stn4j " + RepositoryRoot.pomVersion(), r.out().strip());
  }

  @Test
  void noCommandIsAUsageErrorListingTheCommands() {
    Cli.Result r = Cli.run();

    assertEquals(2, r.exit(), r.toString());
    assertTrue(
        r.err().startsWith("stn: missing command: one of classify, info, evaluate"), r.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"classify", "info", "evaluate", "robustness"})
  void aBadOptionIsAUsageErrorNamingIt(String command) {
    // classify's PATH is given, so that the unknown option is the only problem.
    Cli.Result r =
        command.equals("classify")
            ? Cli.run(command, "--no-such-option", "cat.png")
            : Cli.run(command, "--no-such-option");

    assertEquals(2, r.exit(), r.toString());
    assertTrue(
        r.err().startsWith("stn " + command + ": Unknown option: '--no-such-option'"),
        r.toString());
    assertTrue(r.err().contains("Run 'stn " + command + " --help' for its usage."), r.toString());
  }
}
