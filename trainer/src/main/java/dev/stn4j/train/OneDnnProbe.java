package dev.stn4j.train;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs the gradient probe ({@code dev.stn4j.train.model.GradientRepeatProbe}) in a child JVM with
 * oneDNN uncapped and turns its outcome into a verdict: uncapped when every gradient repeated
 * exactly, capped when one changed, and capped too when the probe crashed or ran out of time (it
 * could not vouch for the uncapped kernels).
 */
final class OneDnnProbe {
  static final String PROBE_CLASS = "dev.stn4j.train.model.GradientRepeatProbe";

  /** The probe's answer when every gradient repeated. */
  private static final String REPEATABLE = "repeatable";

  /** How the probe's answer starts when a gradient changed. */
  private static final String CHANGED = "changed: ";

  private final String probeClass;
  private final Duration timeout;

  OneDnnProbe(Duration timeout) {
    this(PROBE_CLASS, timeout);
  }

  /** For tests: another main class in the probe's place. */
  OneDnnProbe(String probeClass, Duration timeout) {
    this.probeClass = probeClass;
    this.timeout = timeout;
  }

  OneDnnVerdict run() throws IOException, InterruptedException {
    long started = System.nanoTime();
    Path output = Files.createTempFile("stn4j-onednn-probe-", ".txt");
    try {
      ProcessBuilder builder =
          new ChildJvm(probeClass, List.of(), OneDnnIsa.UNCAPPED)
              .processBuilder()
              .redirectErrorStream(true)
              .redirectOutput(output.toFile());
      // OpenMP threads spinning while they wait make the probe many times slower on a busy
      // machine (./stn sets this for training; the build does not).
      builder.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
      Process process = builder.start();
      process.getOutputStream().close();
      boolean ended;
      try {
        ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        throw e;
      }
      if (!ended) {
        process.destroyForcibly().waitFor();
        return new OneDnnVerdict(
            OneDnnIsa.SAFE,
            "the gradient probe did not finish within " + timeout.toSeconds() + " s",
            false);
      }
      String seconds = String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - started) / 1e9);
      // Decoded leniently: a crashing JVM may leave anything behind.
      List<String> lines =
          new String(Files.readAllBytes(output), Charset.defaultCharset()).strip().lines().toList();
      int code = process.exitValue();
      // The probe's answer, wherever engine log lines on the merged stream put it.
      String last =
          lines.stream()
              .map(String::strip)
              .filter(l -> l.equals(REPEATABLE) || l.startsWith(CHANGED))
              .reduce((a, b) -> b)
              .orElse(lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1).strip());
      if (code == 0 && last.equals(REPEATABLE)) {
        return new OneDnnVerdict(
            OneDnnIsa.UNCAPPED,
            "probe: every convolution gradient repeated exactly with oneDNN uncapped, " + seconds,
            true);
      }
      if (code != 0 && last.startsWith(CHANGED)) {
        return new OneDnnVerdict(
            OneDnnIsa.SAFE,
            "probe with oneDNN uncapped: " + last.substring(CHANGED.length()) + ", " + seconds,
            true);
      }
      return new OneDnnVerdict(
          OneDnnIsa.SAFE,
          "the gradient probe failed (exit " + code + ": " + last + "), " + seconds,
          false);
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
