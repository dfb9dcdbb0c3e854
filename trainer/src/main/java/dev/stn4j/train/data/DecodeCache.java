package dev.stn4j.train.data;

import dev.stn4j.image.ImageLoader;
import dev.stn4j.image.Preprocessor;
import dev.stn4j.sdk.internal.UserCacheDir;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An image folder decoded once into exactly the floats the SDK's pre-processing makes ({@link
 * ImageLoader#read(Path, int)}, large JPEGs at reduced resolution, then {@link Preprocessor#chw}),
 * kept on disk and memory-mapped: every epoch, {@code --resume} and later runs read the same values
 * the network will see at inference, and the heap holds a label per image, not the pixels.
 *
 * <p><b>Key.</b> A cache is a folder under the cache root named by the SHA-256 of {@link
 * #PREPROCESSING_VERSION}, the JPEG decoder (native or JDK: reduced photos differ slightly between
 * them), S, the class names and every file's relative path, size and modification time: a changed,
 * added or removed file, another S or another pre-processing gives a new cache, an unchanged tree
 * the same one. Old caches stay until {@link #remove}.
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
  public static final int PREPROCESSING_VERSION = 2;

  /** A file the loader could not decode: its path relative to the tree, and the message. */
  public record Unreadable(String path, String message) {}

  static final String DATA_FILE = "images.f32";

  // One MappedByteBuffer holds at most 2 GiB; whole images per chunk keep copyImage one get.
  private static final long CHUNK_BYTES = 1L << 30;

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
        (file, dst) -> preprocessor.chw(loader.read(file, imageSize), dst, 0));
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
    String key = CacheFolders.key(tree, imageSize);
    Path dir = cacheRoot.resolve(key);
    Optional<CacheManifest> existing = CacheFolders.valid(dir, key, imageSize);
    if (existing.isPresent()) {
      // The same files may have been cached for a test tree, which needs fewer images per class.
      checkClasses(tree, existing.get().labels(), existing.get().unreadable());
      return new DecodeCache(dir, existing.get(), false);
    }
    if (Files.exists(dir)) {
      CacheFolders.delete(
          dir); // the key matched but the contents did not: damaged, so built afresh
    }
    Files.createDirectories(cacheRoot);
    CacheFolders.removeAbandoned(cacheRoot, key);
    Path tmp =
        cacheRoot.resolve(
            key + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
    Files.createDirectory(tmp);
    try {
      CacheBuilder builder = new CacheBuilder(tree, imageSize, decoder, threads);
      CacheBuilder.Built result = builder.write(tmp.resolve(DATA_FILE), progress);
      checkClasses(tree, result.labels(), result.unreadable());
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
        CacheFolders.delete(tmp);
        return new DecodeCache(dir, CacheManifest.read(dir), false);
      }
      return new DecodeCache(dir, manifest, true);
    } finally {
      if (Files.exists(tmp)) {
        CacheFolders.delete(tmp);
      }
    }
  }

  private static void checkClasses(ImageTree tree, int[] labels, List<Unreadable> unreadable)
      throws ImageTreeException {
    int[] kept = new int[tree.classNames().size()];
    for (int label : labels) {
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
                firstUnreadable(unreadable, tree.classNames().get(c))));
      }
    }
  }

  private static String firstUnreadable(List<Unreadable> unreadable, String className) {
    for (Unreadable u : unreadable) {
      if (u.path().startsWith(className + "/")) {
        return u.message();
      }
    }
    return "no unreadable file";
  }

  /**
   * Deletes every cache under {@code cacheRoot} (folders named like a cache key, finished or
   * interrupted; nothing else there is touched) and returns the bytes freed; 0 when there is none.
   *
   * <pre>{@code
   * long freed = DecodeCache.remove(DecodeCache.defaultRoot().orElseThrow());
   * }</pre>
   */
  public static long remove(Path cacheRoot) throws IOException {
    return CacheFolders.removeAll(cacheRoot);
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
