package dev.stn4j.cli;

import dev.stn4j.commandline.StnCommandLine;
import picocli.CommandLine;

/**
 * The {@code stn} command line of the SDK: {@code classify}, {@code info}, {@code evaluate} and
 * {@code robustness}. The {@code ./stn} launcher passes the whole command line, command word
 * included.
 *
 * <pre>{@code
 * ./stn classify examples/images --format csv --output answers.csv
 * ./stn info --json
 * ./stn evaluate --data-dir ~/.cache/stn4j/cifar-10-batches-bin
 * ./stn robustness --model stn.onnx --model cnn.onnx --angles 0,30,60,90
 * }</pre>
 *
 * <p>Errors, usage and exit codes follow {@link StnCommandLine}: 0 success, 1 the command failed or
 * (classify) some inputs could not be classified, 2 usage error.
 */
public final class StnCli {
  private StnCli() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    StnCommandLine.exit(commandLine(), args);
  }

  /** The configured command line; tests run it with their own out and err writers. */
  public static CommandLine commandLine() {
    return StnCommandLine.root(
        new ClassifyCommand(), new InfoCommand(), new EvaluateCommand(), new RobustnessCommand());
  }
}
