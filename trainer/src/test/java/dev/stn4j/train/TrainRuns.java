package dev.stn4j.train;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine;

/** Runs {@code stn train} in this JVM for tests, its output read through the writers. */
final class TrainRuns {
  /** The cap this JVM runs under (the build's verdict): asked for, it trains in this JVM. */
  static final OneDnnIsa HERE = OneDnnIsa.ofEnvironment(OneDnnIsa.capIn(System.getenv()));

  record Result(int code, String out, String err) {}

  private TrainRuns() {}

  static Result run(List<String> args) {
    return run(args, command -> {});
  }

  /** Runs {@code stn train}, child JVMs' output read through the writers. */
  static Result run(List<String> args, Consumer<TrainCommand> setUp) {
    CommandLine cl = TrainCommand.commandLine();
    TrainCommand command = cl.getSubcommands().get("train").getCommand();
    command.childInheritsIo = false;
    setUp.accept(command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }
}
