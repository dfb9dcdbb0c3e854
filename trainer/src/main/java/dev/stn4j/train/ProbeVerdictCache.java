package dev.stn4j.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * The probe's last definitive verdict for this machine, kept for a short while in the per-user
 * cache so that runs in a row do not all pay for the probe. It is keyed by the machine's
 * fingerprint ({@link MachineFingerprint}); the short lifetime bounds what a change the key does
 * not see (a guest moved to another host) can cost.
 */
final class ProbeVerdictCache {
  static final Duration LIFETIME = Duration.ofHours(24);

  private final Path dir;
  private final String fingerprint;
  private final Clock clock;

  ProbeVerdictCache(Path dir, String fingerprint, Clock clock) {
    this.dir = dir;
    this.fingerprint = fingerprint;
    this.clock = clock;
  }

  /** The file holding this fingerprint's verdict. */
  Path file() {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(fingerprint.getBytes(StandardCharsets.UTF_8));
      return dir.resolve("onednn-" + HexFormat.of().formatHex(hash, 0, 8) + ".properties");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The stored verdict, if there is one for this fingerprint, younger than {@link #LIFETIME}. */
  Optional<OneDnnVerdict> lookup() {
    Path file = file();
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
      Instant at = Instant.parse(p.getProperty("probed_at", ""));
      Duration age = Duration.between(at, clock.instant());
      if (!fingerprint.equals(p.getProperty("fingerprint"))
          || age.isNegative()
          || age.compareTo(LIFETIME) >= 0) {
        return Optional.empty();
      }
      OneDnnIsa isa = OneDnnIsa.parse(p.getProperty("isa", ""));
      if (isa.mode() == OneDnnIsa.Mode.AUTO) {
        return Optional.empty();
      }
      return Optional.of(
          new OneDnnVerdict(
              isa,
              p.getProperty("reason", "")
                  + "; cached "
                  + at
                  + " in "
                  + file
                  + ", probed again "
                  + LIFETIME.toHours()
                  + " h after",
              true));
    } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
      // Missing, unreadable or damaged: the probe runs again and rewrites it.
      return Optional.empty();
    }
  }

  /** Keeps a definitive verdict; an indefinite one (a crashed probe) is not worth keeping. */
  void store(OneDnnVerdict verdict) throws IOException {
    if (!verdict.definitive()) {
      return;
    }
    Properties p = new Properties();
    p.setProperty("isa", verdict.isa().option());
    p.setProperty("reason", verdict.reason());
    p.setProperty("probed_at", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    p.setProperty("fingerprint", fingerprint);
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".onednn-", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        p.store(out, "stn train's oneDNN probe verdict for this machine");
      }
      Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
