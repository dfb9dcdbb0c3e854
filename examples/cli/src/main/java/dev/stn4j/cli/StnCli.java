package dev.stn4j.cli;

import dev.stn4j.sdk.Stn4jVersion;
import dev.stn4j.sdk.StnException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code stn} command line of the SDK: {@code classify}, {@code info} and {@code evaluate}. The
 * {@code ./stn} launcher passes the whole command line, command word included.
 *
 * <pre>{@code
 * ./stn classify examples/images --format csv --output answers.csv
 * ./stn info --json
 * ./stn evaluate --data-dir ~/.cache/stn4j/cifar-10-batches-bin
 * }</pre>
 *
 * <p>Exit status: 0 success, 1 the command failed or (classify) some inputs could not be
 * classified, 2 usage error. Failures are reported as one message on stderr, never a stack trace.
 */
@Command(
    name = "stn",
    mixinStandardHelpOptions = true,
    description = "Spatial Transformer Network classifier for CIFAR-10 images (ONNX Runtime).",
    subcommands = {ClassifyCommand.class, InfoCommand.class, EvaluateCommand.class})
public final class StnCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests run it with their own out and err writers. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new StnCli());
    cli.getCommandSpec().version("stn4j " + Stn4jVersion.get());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("stn " + commandLine.getCommandName() + ": " + message(e));
          commandLine.getErr().flush();
          return 1;
        });
    return cli;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** One line saying what went wrong, for an exception that ends a command. */
  static String message(Exception e) {
    if (e instanceof StnException || e instanceof CommandLine.ParameterException) {
      return e.getMessage();
    }
    if (e instanceof NoSuchFileException n) {
      return n.getFile() + ": no such file or directory";
    }
    if (e instanceof AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    if (e instanceof IOException && e.getMessage() != null) {
      return e.getMessage();
    }
    return "internal error: " + e;
  }
}
