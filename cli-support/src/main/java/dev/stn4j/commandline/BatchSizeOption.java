package dev.stn4j.commandline;

import dev.stn4j.sdk.StnClassifier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --batch-size N}: images per inference call of a command that classifies collections,
 * checked against the SDK's limit. Used as a picocli {@code @Mixin}.
 */
public final class BatchSizeOption {
  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "256",
      description = "images per inference call (default: ${DEFAULT-VALUE})")
  private int batchSize;

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  /** The size asked for; outside 1..{@value StnClassifier#MAX_BATCH_SIZE} a usage error. */
  public int get() {
    if (batchSize < 1 || batchSize > StnClassifier.MAX_BATCH_SIZE) {
      throw new ParameterException(
          command.commandLine(),
          "--batch-size must be in 1.." + StnClassifier.MAX_BATCH_SIZE + ", got " + batchSize);
    }
    return batchSize;
  }
}
