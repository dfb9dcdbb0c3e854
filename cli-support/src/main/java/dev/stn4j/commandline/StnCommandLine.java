package dev.stn4j.commandline;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place where the conventions of every {@code stn} command line live. Each jar's {@code
 * main} builds its command line here and nowhere else:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   StnCommandLine.exit(StnCommandLine.root(new ClassifyCommand(), new InfoCommand()), args);
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Exit codes</b> (picocli's {@link ExitCode}): 0 done; 1 the command failed, some inputs
 *       failed, or a model or input is unusable; 2 usage error (a bad or missing option or
 *       command).
 *   <li><b>Errors</b> are one line on stderr, {@code stn <command>: <what and where>} ({@link
 *       ErrorMessages}), never a stack trace; a usage error adds where to find the usage.
 *   <li><b>No command</b>: the root names the commands it has on stderr and exits 2.
 *   <li><b>{@code --version}</b> on every command prints {@code stn4j <version>} ({@link
 *       VersionProvider}).
 *   <li>Enum option values are accepted in any case.
 * </ul>
 */
public final class StnCommandLine {
  private StnCommandLine() {}

  /**
   * The {@code stn} root command with these sub-commands (the launcher passes the command word
   * first), configured by {@link #configure}.
   */
  public static CommandLine root(Object... subcommands) {
    CommandLine root = new CommandLine(new Root());
    for (Object subcommand : subcommands) {
      root.addSubcommand(subcommand);
    }
    return configure(root);
  }

  /**
   * Applies the conventions to {@code commandLine} and every sub-command it has now; for a command
   * that is its own root (such as a {@code spark-submit} job). Returns it.
   */
  public static CommandLine configure(CommandLine commandLine) {
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setParameterExceptionHandler(StnCommandLine::usageError);
    commandLine.setExecutionExceptionHandler(
        (e, failed, parseResult) -> {
          failed.getErr().println(name(failed) + ": " + ErrorMessages.describe(e));
          failed.getErr().flush();
          return ExitCode.SOFTWARE;
        });
    setVersion(commandLine);
    return commandLine;
  }

  /** Runs {@code args} on {@code commandLine} and ends the JVM with the command's exit code. */
  public static void exit(CommandLine commandLine, String... args) {
    System.exit(commandLine.execute(args));
  }

  /** The command's full name as users type it, e.g. {@code stn classify}. */
  static String name(CommandLine commandLine) {
    return commandLine.getCommandSpec().qualifiedName();
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine failed = e.getCommandLine();
    PrintWriter err = failed.getErr();
    err.println(name(failed) + ": " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Run '" + name(failed) + " --help' for its usage.");
    err.flush();
    return ExitCode.USAGE;
  }

  private static void setVersion(CommandLine commandLine) {
    CommandSpec spec = commandLine.getCommandSpec();
    if (spec.version().length == 0 && spec.versionProvider() == null) {
      spec.versionProvider(new VersionProvider());
    }
    for (CommandLine sub : commandLine.getSubcommands().values()) {
      setVersion(sub);
    }
  }

  /** {@code stn} itself, which only dispatches: with no command it is a usage error. */
  @Command(
      name = "stn",
      mixinStandardHelpOptions = true,
      description = "stn4j: a spatial transformer network classifier. Run 'stn COMMAND --help'.")
  static final class Root implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      throw new ParameterException(
          spec.commandLine(),
          "missing command: one of " + String.join(", ", spec.subcommands().keySet()));
    }
  }
}
