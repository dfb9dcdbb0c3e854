package dev.stn4j.train;

import dev.stn4j.sdk.internal.UserCacheDir;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;

/**
 * Decides the oneDNN cap of a training process: what {@code --onednn-isa} forces, else this
 * machine's cached probe verdict, else a fresh probe's (then cached). Decided before PyTorch loads,
 * because oneDNN reads its cap once.
 */
final class OneDnnChoice {
  /** Bounds a probe that hangs; it normally takes a few seconds, JVM start included. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);

  /** Runs the probe. */
  interface Probe {
    OneDnnVerdict run() throws IOException, InterruptedException;
  }

  private final ProbeVerdictCache cache;
  private final Probe probe;

  /**
   * @param cache null for none (no per-user cache directory)
   */
  OneDnnChoice(ProbeVerdictCache cache, Probe probe) {
    this.cache = cache;
    this.probe = probe;
  }

  /** With this machine's verdict cache and the real probe. */
  static OneDnnChoice forThisMachine() {
    ProbeVerdictCache cache =
        UserCacheDir.root()
            .map(
                root ->
                    new ProbeVerdictCache(
                        root.resolve("onednn-probe"),
                        MachineFingerprint.current(),
                        Clock.systemUTC()))
            .orElse(null);
    return new OneDnnChoice(cache, new OneDnnProbe(PROBE_TIMEOUT)::run);
  }

  /**
   * @param requested what the user asked for
   * @param source how they asked, for the reason ({@code --onednn-isa})
   */
  OneDnnVerdict decide(OneDnnIsa requested, String source)
      throws IOException, InterruptedException {
    if (requested.mode() != OneDnnIsa.Mode.AUTO) {
      return new OneDnnVerdict(
          requested, "asked for with " + source + " " + requested.option(), false);
    }
    if (cache != null) {
      var cached = cache.lookup();
      if (cached.isPresent()) {
        return cached.get();
      }
    }
    OneDnnVerdict verdict = probe.run();
    if (cache != null) {
      try {
        cache.store(verdict);
      } catch (IOException e) {
        // An unwritable cache only costs the next run another probe.
      }
    }
    return verdict;
  }

  /**
   * For the build: decides as {@code stn train} would and writes {@code
   * onednn.test.isa=<ONEDNN_MAX_CPU_ISA value>} to a properties file, which the trainer's Surefire
   * configuration reads.
   *
   * <p>Arguments: the requested ISA ({@code auto}, or what {@code -Donednn.max.cpu.isa} forces),
   * the file to write.
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: OneDnnChoice auto|none|cap|<oneDNN ISA> <properties file>");
      System.exit(2);
    }
    OneDnnIsa requested;
    try {
      requested = OneDnnIsa.parse(args[0]);
    } catch (IllegalArgumentException e) {
      System.err.println("onednn.max.cpu.isa: " + e.getMessage());
      System.exit(2);
      return;
    }
    OneDnnVerdict verdict = forThisMachine().decide(requested, "-Donednn.max.cpu.isa");
    Properties p = new Properties();
    p.setProperty("onednn.test.isa", verdict.isa().environmentValue());
    Path file = Path.of(args[1]);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      p.store(out, verdict.line());
    }
    System.out.println(
        "tests run with "
            + OneDnnIsa.ENV
            + "="
            + verdict.isa().environmentValue()
            + ": "
            + verdict.line());
  }
}
