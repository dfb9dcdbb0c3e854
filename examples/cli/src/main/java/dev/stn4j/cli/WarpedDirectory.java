package dev.stn4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Writes each warped image as a PNG under one folder. A name is the input's path flattened to a
 * safe file name ({@code cat/0001.png} → {@code cat_0001-<hash>.png}) plus 12 hex digits of the
 * SHA-256 of the full path, so files from different folders with the same name never meet; a name
 * already written in this run (a hash collision) gets a counter.
 */
final class WarpedDirectory {
  private static final int MAX_STEM = 80;

  private final Path dir;
  private final Set<String> used = new HashSet<>();

  WarpedDirectory(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  /** Writes the outcome's warped image; returns the file written. */
  Path write(Outcome outcome) throws IOException {
    Path file = dir.resolve(uniqueName(outcome.input().path()));
    if (!ImageIO.write(outcome.prediction().warped().toBufferedImage(), "png", file.toFile())) {
      throw new IOException(file + ": no PNG writer available");
    }
    return file;
  }

  String uniqueName(Path input) {
    String base = nameFor(input);
    String name = base + ".png";
    for (int k = 2; !used.add(name); k++) {
      name = base + "-" + k + ".png";
    }
    return name;
  }

  /** The flattened, sanitised stem and hash for {@code input}, without the extension. */
  static String nameFor(Path input) {
    String path = input.toString();
    String stem = path;
    int dot = stem.lastIndexOf('.');
    if (dot > stem.lastIndexOf('/')) {
      stem = stem.substring(0, dot);
    }
    stem = stem.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._-]+", "");
    if (stem.length() > MAX_STEM) {
      stem = stem.substring(stem.length() - MAX_STEM);
    }
    return (stem.isEmpty() ? "image" : stem) + "-" + shortHash(path);
  }

  private static String shortHash(String path) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
