package dev.stn4j.commandline;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --summary-json FILE}: where a command that classifies a collection writes its summary
 * (counts, accuracy, per-class figures, confusion) as JSON. Used as a picocli {@code @Mixin}.
 */
public final class SummaryJsonOption {
  @Option(
      names = "--summary-json",
      paramLabel = "FILE",
      description = "write the summary (counts, accuracy, per-class, confusion) as JSON")
  private Path file;

  /** The file named, if any. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }
}
