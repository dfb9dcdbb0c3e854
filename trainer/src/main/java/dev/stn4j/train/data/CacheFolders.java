package dev.stn4j.train.data;

import dev.stn4j.image.ImageLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/** The decode caches' folders: names (keys), validity, clean-up. */
final class CacheFolders {
  private static final Duration ABANDONED_AFTER = Duration.ofMinutes(10);

  private static final Pattern CACHE_NAME = Pattern.compile("[0-9a-f]{64}(\\.tmp-[0-9a-f]+)?");

  private CacheFolders() {}

  /** The cache key: see {@link DecodeCache}'s class comment. */
  static String key(ImageTree tree, int imageSize) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
    StringBuilder s = new StringBuilder();
    s.append("stn4j image cache, pre-processing ").append(DecodeCache.PREPROCESSING_VERSION);
    // Reduced JPEGs differ slightly between the native and the JDK decoder.
    s.append("\njpeg ").append(ImageLoader.defaults().usesNativeJpeg() ? "native" : "jdk");
    s.append("\nsize ").append(imageSize).append("\nclasses");
    for (String name : tree.classNames()) {
      s.append('\0').append(name);
    }
    sha.update(s.append('\n').toString().getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < tree.size(); i++) {
      String line =
          tree.relativePath(i) + '\0' + tree.fileSize(i) + '\0' + tree.modifiedNanos(i) + '\n';
      sha.update(line.getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  static Optional<CacheManifest> valid(Path dir, String key, int imageSize) {
    try {
      CacheManifest m = CacheManifest.read(dir);
      long expected = (long) m.count() * 3 * imageSize * imageSize * Float.BYTES;
      boolean ok =
          key.equals(m.key())
              && m.imageSize() == imageSize
              && m.labels().length == m.count()
              && Arrays.stream(m.labels())
                  .allMatch(label -> label >= 0 && label < m.classNames().size())
              && Files.size(dir.resolve(DecodeCache.DATA_FILE)) == expected;
      return ok ? Optional.of(m) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Deletes temporary folders of builds of {@code key} that nothing has written to for {@link
   * #ABANDONED_AFTER}: a build killed before its clean-up (Ctrl-C) leaves one behind. A build still
   * running writes its data file continuously, so it is never taken for abandoned.
   */
  static void removeAbandoned(Path cacheRoot, String key) throws IOException {
    long now = System.currentTimeMillis();
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(cacheRoot, key + ".tmp-*")) {
      for (Path tmp : temps) {
        Path data = tmp.resolve(DecodeCache.DATA_FILE);
        Path newest = Files.exists(data) ? data : tmp;
        try {
          if (now - Files.getLastModifiedTime(newest).toMillis() > ABANDONED_AFTER.toMillis()) {
            delete(tmp);
          }
        } catch (NoSuchFileException e) {
          // Another run cleaned it up first.
        }
      }
    }
  }

  /**
   * Deletes every cache under {@code cacheRoot} (folders named like a cache key, finished or
   * interrupted; nothing else there is touched) and returns the bytes freed; 0 when there is none.
   */
  static long removeAll(Path cacheRoot) throws IOException {
    if (!Files.isDirectory(cacheRoot)) {
      return 0;
    }
    long freed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(cacheRoot)) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
            && CACHE_NAME.matcher(entry.getFileName().toString()).matches()) {
          freed += delete(entry);
        }
      }
    }
    return freed;
  }

  /** Deletes a cache folder (flat: a data file and a manifest); returns the bytes it held. */
  static long delete(Path dir) throws IOException {
    long freed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        freed += Files.size(f);
        Files.delete(f);
      }
    }
    Files.delete(dir);
    return freed;
  }
}
