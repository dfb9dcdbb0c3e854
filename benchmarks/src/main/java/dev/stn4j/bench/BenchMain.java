package dev.stn4j.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code benchmarks.jar}; the launcher runs {@code java -jar benchmarks.jar bench
 * ...}.
 *
 * <pre>{@code
 * ./stn bench --batches 1,256 --json results.json
 * ./stn bench --jmh -p runtime=sdk,ort-raw -p batch=1
 * }</pre>
 */
@Command(
    name = "stn",
    mixinStandardHelpOptions = true,
    subcommands = {BenchCommand.class},
    description = "stn4j benchmarks.")
public final class BenchMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for tests. */
  static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new BenchMain());
    // Everything after --jmh belongs to JMH, whatever it looks like.
    cmd.getSubcommands().get("bench").setStopAtUnmatched(true);
    return cmd;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
