package dev.stn4j.bench;

import dev.stn4j.commandline.StnCommandLine;
import dev.stn4j.sdk.StnException;
import dev.stn4j.sdk.internal.OrtSetup;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/**
 * Entry point of {@code benchmarks.jar}; the launcher runs {@code java -jar benchmarks.jar bench
 * ...}.
 *
 * <pre>{@code
 * ./stn bench --batches 1,256 --json results.json
 * ./stn bench --jmh -p runtime=sdk,ort-raw -p batch=1
 * }</pre>
 */
public final class BenchMain {
  // Held so the level sticks: ONNX Runtime warns through java.util.logging each time a second
  // library (the SDK, DJL) asks for the JVM-wide environment under its own name, which is expected
  // here and would clutter the table.
  private static final Logger ORT_LOG = Logger.getLogger("ai.onnxruntime");

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    ORT_LOG.setLevel(Level.SEVERE);
    // DJL's repository notices ("non-archive file", "extension not found") are not results.
    if (System.getProperty("org.slf4j.simpleLogger.log.ai.djl") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.ai.djl", "warn");
      System.setProperty("org.slf4j.simpleLogger.log.ai.djl.repository", "error");
    }
    try {
      // Before any runtime (raw ORT, DJL's ORT engine) loads ORT: the SDK's native-library cache
      // and its refusal of an ORT that would crash this JVM apply to the whole benchmark. Not
      // environment(): DJL's ORT engine must create ORT's environment itself.
      OrtSetup.prepare();
    } catch (StnException e) {
      System.err.println("stn bench: " + e.getMessage());
      System.exit(CommandLine.ExitCode.SOFTWARE);
    }
    StnCommandLine.exit(commandLine(), args);
  }

  /** The configured command line, for tests. */
  static CommandLine commandLine() {
    CommandLine cmd = StnCommandLine.root(new BenchCommand());
    // Everything after --jmh belongs to JMH, whatever it looks like.
    cmd.getSubcommands().get("bench").setStopAtUnmatched(true);
    return cmd;
  }

  private BenchMain() {}
}
