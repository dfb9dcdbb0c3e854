package dev.stn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line as the launcher calls it ({@code serve} first): help and bad options. */
class ServeMainTest {
  private static String[] run(String... args) {
    CommandLine cmd = ServeMain.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int exit = cmd.execute(args);
    return new String[] {Integer.toString(exit), out.toString(), err.toString()};
  }

  @Test
  void helpStatesTheDefaultsOfEveryLimit() {
    String[] r = run("serve", "--help");
    assertEquals("0", r[0]);
    for (String d :
        new String[] {
          "(default: 64)",
          "(default: 500)",
          "(default: 1024",
          "8388608 = 8 MiB",
          "(default: 10000)",
          "(default: 20000)",
          "(default: 8081)",
          "(default: 128)",
          "(default: the --max-connections value, lowered where the file limit has no room for"
              + " both)",
          "(default: "
              + FileLimit.defaultMaxConnections(FileLimit.current())
              + ": 15000, or 3/4 of the file limit"
        }) {
      // Picocli wraps the descriptions; compare with the line breaks taken out.
      assertTrue(r[1].replaceAll("\\s+", " ").contains(d), d + " in\n" + r[1]);
    }
  }

  @Test
  void badOptionsExit2NamingTheValue() {
    String[] r = run("serve", "--max-batch", "0");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("maxBatch must be >= 1, got 0"), r[2]);
    String[] p = run("serve", "--provider", "quantum");
    assertEquals("2", p[0], p[2]);
    assertTrue(p[2].contains("quantum"), p[2]);
    long files = FileLimit.current().orElse(1 << 20);
    String[] bound = run("serve", "--max-connections", Long.toString(files));
    assertEquals("2", bound[0]);
    assertTrue(
        bound[2].contains("--max-connections " + files + " is not below the process's file limit"),
        bound[2]);
    String[] slow = run("serve", "--body-timeout-ms", "0");
    assertEquals("2", slow[0]);
    assertTrue(slow[2].contains("bodyTimeout must be > 0"), slow[2]);
    String[] port = run("serve", "--port", "70000");
    assertEquals("2", port[0]);
    assertTrue(port[2].contains("port must be in 0..65535, got 70000"), port[2]);
    String[] grpc = run("serve", "--grpc-port", "70000");
    assertEquals("2", grpc[0]);
    assertTrue(grpc[2].contains("grpcPort must be in 0..65535, got 70000"), grpc[2]);
    String[] same = run("serve", "--port", "9000", "--grpc-port", "9000");
    assertEquals("2", same[0]);
    assertTrue(same[2].contains("grpcPort and port must differ, both are 9000"), same[2]);
  }

  /**
   * gRPC is on by default on the command line (off in the Java builder), --no-grpc turns it off.
   */
  @Test
  void grpcIsOnByDefaultOnTheCommandLine() {
    assertEquals(List.of(true, 8081), grpc());
    assertEquals(List.of(true, 0), grpc("--grpc-port", "0"));
    assertEquals(false, grpc("--no-grpc").get(0));
    assertEquals(false, grpc("--grpc-port", "0", "--no-grpc").get(0));
    assertEquals(false, ServeOptions.builder().build().grpc());
  }

  private static List<Object> grpc(String... args) {
    ServeOptions options = parse(args);
    return List.of(options.grpc(), options.grpcPort());
  }

  /** gRPC's bound on connections follows REST's unless given; given, both must fit the files. */
  @Test
  void theGrpcConnectionBoundFollowsRestsUnlessGiven() {
    assertEquals(
        FileLimit.defaultGrpcMaxConnections(FileLimit.current(), 100),
        parse("--max-connections", "100").grpcMaxConnections());
    assertEquals(
        7, parse("--max-connections", "100", "--grpc-max-connections", "7").grpcMaxConnections());
    String[] zero = run("serve", "--grpc-max-connections", "0");
    assertEquals("2", zero[0]);
    assertTrue(zero[2].contains("grpcMaxConnections must be >= 1, got 0"), zero[2]);
    long files = FileLimit.current().orElse(-1);
    if (files > 2) {
      String[] both =
          run(
              "serve",
              "--max-connections",
              Long.toString(files / 2),
              "--grpc-max-connections",
              Long.toString(files - files / 2));
      assertEquals("2", both[0]);
      assertTrue(both[2].contains("together are not below the process's file limit"), both[2]);
    }
  }

  private static ServeOptions parse(String... args) {
    CommandLine cmd = ServeMain.commandLine();
    List<String> all = new ArrayList<>(List.of("serve"));
    all.addAll(List.of(args));
    cmd.parseArgs(all.toArray(String[]::new));
    return ((ServeMain) cmd.getSubcommands().get("serve").getCommand()).options();
  }

  @Test
  void theRootFollowsTheSharedConvention() {
    String[] none = run();
    assertEquals("2", none[0]);
    assertTrue(none[2].startsWith("stn: missing command: one of serve"), none[2]);
    String[] unknown = run("serve", "--max-batches", "8");
    assertEquals("2", unknown[0]);
    assertTrue(
        unknown[2].startsWith("stn serve: Unknown options: '--max-batches', '8'"), unknown[2]);
    String[] version = run("serve", "--version");
    assertEquals("0", version[0], version[2]);
    assertTrue(version[1].startsWith("stn4j "), version[1]);
  }
}
