package dev.stn4j.train.data;

import dev.stn4j.image.ImageLoader;
import dev.stn4j.image.Preprocessor;
import dev.stn4j.sdk.internal.UserCacheDir;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * An image folder decoded once into exactly the floats the SDK's pre-processing makes ({@link
 * ImageLoader#read} then {@link Preprocessor#chw}), kept on disk and memory-mapped: every epoch,
 * {@code --resume} and later runs read the same values the network will see at inference, and the
 * heap holds a label per image, not the pixels.
 *
 * <p><b>Key.</b> A cache is a folder under the cache root named by the SHA-256 of {@link
 * #PREPROCESSING_VERSION}, S, the class names and every file's relative path, size and modification
 * time: a changed, added or removed file, another S or another pre-processing gives a new cache, an
 * unchanged tree the same one. Old caches stay until {@link #remove}.
 *
 * <p><b>Layout.</b> {@code images.f32}: the readable images in tree order, 3·S·S little-endian
 * float32 each; {@code manifest.json}: key, S, count, classes, labels, bytes and the unreadable
 * files with their messages. Built in a temporary folder and renamed into place, so an interrupted
 * build never leaves a cache that looks complete.
 *
 * <p><b>Unreadable files</b> (the loader refuses them) are left out, counted and listed ({@link
 * #unreadable()}); more than 1 % of the tree, or a class left with fewer images than the tree
 * needs, is an {@link ImageTreeException}.
 *
 * <pre>{@code
 * ImageTree tree = ImageTree.scan(Path.of("photos"));
 * Path root = DecodeCache.defaultRoot().orElseThrow();
 * DecodeCache images = DecodeCache.open(tree, 64, root, System.err);   // builds or reuses
 * System.out.printf("%d images, %,d bytes%n", images.size(), images.bytes());
 * long freed = DecodeCache.remove(root);                                 // --clear-cache
 * }</pre>
 *
 * <p>Reading ({@link #copyImage}) is thread-safe.
 */
public final class DecodeCache implements TrainingImages {
  /**
   * Bump when the SDK's decoding or pre-processing changes its output, so old caches are not
   * reused.
   */
  public static final int PREPROCESSING_VERSION = 1;

  /** A file the loader could not decode: its path relative to the tree, and the message. */
  public record Unreadable(String path, String message) {}

  static final String DATA_FILE = "images.f32";

  // One MappedByteBuffer holds at most 2 GiB; whole images per chunk keep copyImage one get.
  private static final long CHUNK_BYTES = 1L << 30;

  private static final Duration ABANDONED_AFTER = Duration.ofMinutes(10);

  private static final Pattern CACHE_NAME = Pattern.compile("[0-9a-f]{64}(\\.tmp-[0-9a-f]+)?");

  private final Path directory;
  private final CacheManifest manifest;
  private final boolean built;
  private final int values;
  private final int perChunk;
  private final FloatBuffer[] chunks;
  private final long bytes;

  private DecodeCache(Path directory, CacheManifest manifest, boolean built) throws IOException {
    this(directory, manifest, built, CHUNK_BYTES);
  }

  /** A finished cache read with chunks of at most {@code chunkBytes} (tests use small ones). */
  static DecodeCache read(Path directory, long chunkBytes) throws IOException {
    return new DecodeCache(directory, CacheManifest.read(directory), false, chunkBytes);
  }

  private DecodeCache(Path directory, CacheManifest manifest, boolean built, long chunkBytes)
      throws IOException {
    this.directory = directory;
    this.manifest = manifest;
    this.built = built;
    int s = manifest.imageSize();
    values = 3 * s * s;
    long imageBytes = (long) values * Float.BYTES;
    perChunk = (int) Math.max(1, chunkBytes / imageBytes);
    int n = manifest.count();
    chunks = new FloatBuffer[(n + perChunk - 1) / perChunk];
    try (FileChannel in = FileChannel.open(directory.resolve(DATA_FILE))) {
      for (int k = 0; k < chunks.length; k++) {
        long from = k * perChunk * imageBytes;
        long length = Math.min(perChunk, n - (long) k * perChunk) * imageBytes;
        chunks[k] =
            in.map(FileChannel.MapMode.READ_ONLY, from, length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
      }
    }
    bytes =
        Files.size(directory.resolve(DATA_FILE))
            + Files.size(directory.resolve(CacheManifest.FILE));
  }

  /** {@code <stn4j's cache directory>/image-cache}, when there is a cache directory. */
  public static Optional<Path> defaultRoot() {
    return UserCacheDir.root().map(root -> root.resolve("image-cache"));
  }

  /**
   * The cache of {@code tree} at size S under {@code cacheRoot}: reused when one with the same key
   * is there, else built (decoding on 2 threads).
   *
   * @param progress where to draw a progress bar while building; null for none
   * @throws ImageTreeException when more than 1 % of the files are unreadable, or a class is left
   *     with fewer images than the tree needs
   * @throws IllegalArgumentException when S is outside {@link Preprocessor}'s range
   */
  public static DecodeCache open(
      ImageTree tree, int imageSize, Path cacheRoot, PrintStream progress) throws IOException {
    Preprocessor preprocessor = Preprocessor.ofSize(imageSize);
    ImageLoader loader = ImageLoader.defaults();
    return open(
        tree,
        imageSize,
        cacheRoot,
        progress,
        2,
        (file, dst) -> preprocessor.chw(loader.read(file), dst, 0));
  }

  static DecodeCache open(
      ImageTree tree,
      int imageSize,
      Path cacheRoot,
      PrintStream progress,
      int threads,
      CacheBuilder.Decoder decoder)
      throws IOException {
    Preprocessor.ofSize(imageSize);
    String key = key(tree, imageSize);
    Path dir = cacheRoot.resolve(key);
    Optional<CacheManifest> existing = valid(dir, key, imageSize);
    if (existing.isPresent()) {
      return new DecodeCache(dir, existing.get(), false);
    }
    if (Files.exists(dir)) {
      deleteTree(dir); // the key matched but the contents did not: damaged, so built afresh
    }
    Files.createDirectories(cacheRoot);
    removeAbandoned(cacheRoot, key);
    Path tmp =
        cacheRoot.resolve(
            key + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
    Files.createDirectory(tmp);
    try {
      CacheBuilder builder = new CacheBuilder(tree, imageSize, decoder, threads);
      CacheBuilder.Built result = builder.write(tmp.resolve(DATA_FILE), progress);
      checkClasses(tree, result);
      CacheManifest manifest =
          new CacheManifest(
              PREPROCESSING_VERSION,
              key,
              tree.root().toAbsolutePath().toString(),
              imageSize,
              result.labels().length,
              tree.classNames(),
              result.labels(),
              Files.size(tmp.resolve(DATA_FILE)),
              result.unreadable());
      manifest.write(tmp);
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // Another run built the same cache meanwhile: same key, same floats; use theirs.
        deleteTree(tmp);
        return new DecodeCache(dir, CacheManifest.read(dir), false);
      }
      return new DecodeCache(dir, manifest, true);
    } finally {
      if (Files.exists(tmp)) {
        deleteTree(tmp);
      }
    }
  }

  /**
   * Deletes temporary folders of builds of {@code key} that nothing has written to for {@link
   * #ABANDONED_AFTER}: a build killed before its clean-up (Ctrl-C) leaves one behind. A build still
   * running writes its data file continuously, so it is never taken for abandoned.
   */
  private static void removeAbandoned(Path cacheRoot, String key) throws IOException {
    long now = System.currentTimeMillis();
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(cacheRoot, key + ".tmp-*")) {
      for (Path tmp : temps) {
        Path data = tmp.resolve(DATA_FILE);
        Path newest = Files.exists(data) ? data : tmp;
        try {
          if (now - Files.getLastModifiedTime(newest).toMillis() > ABANDONED_AFTER.toMillis()) {
            deleteTree(tmp);
          }
        } catch (NoSuchFileException e) {
          // Another run cleaned it up first.
        }
      }
    }
  }

  private static void checkClasses(ImageTree tree, CacheBuilder.Built result)
      throws ImageTreeException {
    int[] kept = new int[tree.classNames().size()];
    for (int label : result.labels()) {
      kept[label]++;
    }
    for (int c = 0; c < kept.length; c++) {
      if (kept[c] < tree.minPerClass()) {
        throw new ImageTreeException(
            String.format(
                "%s: %d readable image file(s) of %d; training needs at least %d per class (%s)",
                tree.root().resolve(tree.classNames().get(c)),
                kept[c],
                tree.count(c),
                tree.minPerClass(),
                firstUnreadable(result, tree.classNames().get(c))));
      }
    }
  }

  private static String firstUnreadable(CacheBuilder.Built result, String className) {
    for (Unreadable u : result.unreadable()) {
      if (u.path().startsWith(className + "/")) {
        return u.message();
      }
    }
    return "no unreadable file";
  }

  private static Optional<CacheManifest> valid(Path dir, String key, int imageSize) {
    try {
      CacheManifest m = CacheManifest.read(dir);
      long expected = (long) m.count() * 3 * imageSize * imageSize * Float.BYTES;
      boolean ok =
          key.equals(m.key())
              && m.imageSize() == imageSize
              && m.labels().length == m.count()
              && Files.size(dir.resolve(DATA_FILE)) == expected;
      return ok ? Optional.of(m) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The cache key: see the class comment. */
  static String key(ImageTree tree, int imageSize) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
    StringBuilder s = new StringBuilder();
    s.append("stn4j image cache, pre-processing ").append(PREPROCESSING_VERSION);
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

  /**
   * Deletes every cache under {@code cacheRoot} (folders named like a cache key, finished or
   * interrupted; nothing else there is touched) and returns the bytes freed; 0 when there is none.
   */
  public static long remove(Path cacheRoot) throws IOException {
    if (!Files.isDirectory(cacheRoot)) {
      return 0;
    }
    long freed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(cacheRoot)) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
            && CACHE_NAME.matcher(entry.getFileName().toString()).matches()) {
          freed += deleteTree(entry);
        }
      }
    }
    return freed;
  }

  /** Deletes a cache folder (flat: a data file and a manifest); returns the bytes it held. */
  private static long deleteTree(Path dir) throws IOException {
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

  @Override
  public int size() {
    return manifest.count();
  }

  @Override
  public int imageSize() {
    return manifest.imageSize();
  }

  @Override
  public int label(int i) {
    return manifest.labels()[i];
  }

  @Override
  public void copyImage(int i, float[] dst, int offset) {
    if (i < 0 || i >= size()) {
      throw new IndexOutOfBoundsException("image " + i + " of " + size());
    }
    chunks[i / perChunk].get((i % perChunk) * values, dst, offset, values);
  }

  /** The class names (label {@code c} is {@code classNames().get(c)}). */
  public List<String> classNames() {
    return manifest.classNames();
  }

  /** The files left out because they could not be decoded. */
  public List<Unreadable> unreadable() {
    return manifest.unreadable();
  }

  /** True when this call decoded the tree; false when it reused a cache. */
  public boolean built() {
    return built;
  }

  /** The cache's folder. */
  public Path directory() {
    return directory;
  }

  /** Bytes on disk (floats and manifest). */
  public long bytes() {
    return bytes;
  }

  @Override
  public String toString() {
    return manifest.tree() + " (" + size() + " images at " + imageSize() + "x" + imageSize() + ")";
  }
}
