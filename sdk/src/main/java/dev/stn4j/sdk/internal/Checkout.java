package dev.stn4j.sdk.internal;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stn4j checkout a tool runs from, for the tools that read the repository's own files (the
 * exporter's and the benchmarks' sample set): one rule for all of them.
 */
public final class Checkout {
  /** The first 1,000 records of the CIFAR-10 test batch, losslessly: the sample set. */
  public static final String SAMPLE_SET = "data/sample-set/test_batch_first1000.bin";

  private Checkout() {}

  /**
   * The {@code stn4j.root} system property if set; else the checkout whose module built {@code
   * code} ({@code <root>/<module>/target/<jar or classes>}) when it holds the sample set; else the
   * working directory.
   */
  public static Path root(Class<?> code) {
    String property = System.getProperty("stn4j.root");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    try {
      Path location = Path.of(code.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path dir = location.getParent(); dir != null; dir = dir.getParent()) {
        if (Files.isRegularFile(dir.resolve(SAMPLE_SET))) {
          return dir;
        }
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // No usable code location (e.g. a custom class loader): fall back to the working directory.
    }
    return Path.of("");
  }
}
