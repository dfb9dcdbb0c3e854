package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.RepositoryRoot;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The benchmarks jar's root follows the shared command-line convention (dev.stn4j.commandline). */
class BenchMainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = BenchMain.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void noCommandIsAUsageError() {
    assertEquals(2, run());
    assertTrue(err.toString().startsWith("stn: missing command: one of bench"), err.toString());
  }

  @Test
  void aBadValueIsAUsageErrorNamingIt() {
    assertEquals(2, run("bench", "--batches", "one"));
    assertTrue(
        err.toString().startsWith("stn bench: Invalid value for option '--batches'"),
        err.toString());
  }

  @Test
  void versionIsTheBuildsOwn() {
    assertEquals(0, run("bench", "--version"));
    assertEquals("stn4j " + RepositoryRoot.pomVersion(), out.toString().strip());
  }
}
