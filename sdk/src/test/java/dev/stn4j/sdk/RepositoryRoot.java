package dev.stn4j.sdk;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's root directory, found from any working directory (Maven, an IDE, a module
 * directory): {@code stn4j.root} when the build sets it, else the nearest directory above this
 * class's location that holds the {@code stn} launcher and the root pom.
 */
public final class RepositoryRoot {
  private RepositoryRoot() {}

  public static Path get() {
    String configured = System.getProperty("stn4j.root");
    if (configured != null && !configured.isBlank() && isRoot(Path.of(configured))) {
      return Path.of(configured).toAbsolutePath();
    }
    try {
      Path here =
          Path.of(RepositoryRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path dir = here.toAbsolutePath(); dir != null; dir = dir.getParent()) {
        if (isRoot(dir)) {
          return dir;
        }
      }
    } catch (URISyntaxException | SecurityException e) {
      throw new IllegalStateException("cannot tell where the test classes are", e);
    }
    throw new IllegalStateException(
        "no stn4j repository above the test classes; set -Dstn4j.root=<repository>");
  }

  private static boolean isRoot(Path dir) {
    return Files.isRegularFile(dir.resolve("stn")) && Files.isRegularFile(dir.resolve("pom.xml"));
  }
}
