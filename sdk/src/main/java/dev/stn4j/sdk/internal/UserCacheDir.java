package dev.stn4j.sdk.internal;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * stn4j's per-user cache directory, the one rule every module uses: the system property {@code
 * stn4j.cache.dir}, else {@code $XDG_CACHE_HOME/stn4j}, else the platform's per-user cache
 * directory ({@code ~/.cache/stn4j} on Linux). The SDK unpacks its native libraries there; the
 * trainer keeps its oneDNN verdict there.
 *
 * <pre>{@code
 * Path verdicts = UserCacheDir.root().orElseThrow().resolve("onednn-probe");
 * }</pre>
 */
public final class UserCacheDir {
  private UserCacheDir() {}

  /** The directory, or empty when there is no home or cache directory to use. */
  public static Optional<Path> root() {
    String configured = System.getProperty("stn4j.cache.dir");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured));
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Optional.of(Path.of(xdg, "stn4j"));
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String localAppData = System.getenv("LOCALAPPDATA");
    if (os.startsWith("windows") && localAppData != null && !localAppData.isBlank()) {
      return Optional.of(Path.of(localAppData, "stn4j", "cache"));
    }
    String home = System.getProperty("user.home");
    if (home == null || home.isBlank() || home.equals("?") || !Path.of(home).isAbsolute()) {
      return Optional.empty();
    }
    return Optional.of(
        os.startsWith("mac")
            ? Path.of(home, "Library", "Caches", "stn4j")
            : Path.of(home, ".cache", "stn4j"));
  }
}
