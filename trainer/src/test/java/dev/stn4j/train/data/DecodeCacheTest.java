package dev.stn4j.train.data;

import static dev.stn4j.train.data.TestTrees.encode;
import static dev.stn4j.train.data.TestTrees.noise;
import static dev.stn4j.train.data.TestTrees.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.image.ImageLoader;
import dev.stn4j.image.Preprocessor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeCacheTest {
  @TempDir Path dir;

  private Path root() {
    return dir.resolve("cache");
  }

  /** A tree of every format and colour kind, several sizes (shrunk, copied and enlarged to 16). */
  private Path mixedTree() throws IOException {
    Path tree = dir.resolve("tree");
    write(tree, "cats/a.png", encode(noise(40, 30, 1), "png"));
    write(tree, "cats/b.jpg", encode(noise(16, 16, 2), "jpeg"));
    write(tree, "cats/nested/c.bmp", encode(noise(9, 12, 3), "bmp"));
    write(tree, "dogs/d.gif", encode(noise(20, 20, 4), "gif"));
    write(tree, "dogs/e.tif", encode(noise(17, 17, 5), "tiff"));
    BufferedImage grey = new BufferedImage(24, 24, BufferedImage.TYPE_BYTE_GRAY);
    grey.getGraphics().drawImage(noise(24, 24, 6), 0, 0, null);
    write(tree, "dogs/f-grey.png", encode(grey, "png"));
    BufferedImage deep = new BufferedImage(33, 18, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < 18; y++) {
      for (int x = 0; x < 33; x++) {
        deep.getRaster().setSample(x, y, 0, (x * 2_003 + y * 3_001) % 65_536);
      }
    }
    write(tree, "dogs/g-16bit.png", encode(deep, "png"));
    return tree;
  }

  private static float[] expected(Path file, int size) throws Exception {
    return Preprocessor.ofSize(size).chw(ImageLoader.defaults().read(file));
  }

  private static float[] image(TrainingImages images, int i) {
    float[] chw = new float[images.imageValues()];
    images.copyImage(i, chw, 0);
    return chw;
  }

  @Test
  void holdsExactlyThePreprocessorsFloats() throws Exception {
    ImageTree tree = ImageTree.scan(mixedTree());
    DecodeCache cache = DecodeCache.open(tree, 16, root(), null);
    assertTrue(cache.built());
    assertEquals(7, cache.size());
    assertEquals(16, cache.imageSize());
    assertEquals(List.of("cats", "dogs"), cache.classNames());
    assertEquals(List.of(), cache.unreadable());
    long dataBytes = 7L * 3 * 16 * 16 * 4;
    assertEquals(dataBytes, Files.size(cache.directory().resolve(DecodeCache.DATA_FILE)));
    assertTrue(cache.bytes() > dataBytes);
    // Read back with chunks of 3 images as well: the chunk arithmetic gives the same floats.
    DecodeCache chunked = DecodeCache.read(cache.directory(), 3L * 3 * 16 * 16 * 4);
    for (int i = 0; i < tree.size(); i++) {
      float[] want = expected(tree.file(i), 16);
      assertArrayEquals(want, image(cache, i), 0f, tree.relativePath(i));
      assertArrayEquals(want, image(chunked, i), 0f, tree.relativePath(i));
      assertEquals(tree.label(i), cache.label(i));
    }
    assertThrows(IndexOutOfBoundsException.class, () -> cache.copyImage(7, new float[768], 0));
  }

  @Test
  void reusesAnUnchangedTreeAndRebuildsWhenAFileChanges() throws Exception {
    Path folder = mixedTree();
    AtomicInteger decoded = new AtomicInteger();
    CacheBuilder.Decoder counting =
        (file, dst) -> {
          decoded.incrementAndGet();
          Preprocessor.ofSize(8).chw(ImageLoader.defaults().read(file), dst, 0);
        };
    DecodeCache first = DecodeCache.open(ImageTree.scan(folder), 8, root(), null, 2, counting);
    assertEquals(7, decoded.get());
    FileTime written = Files.getLastModifiedTime(first.directory().resolve(DecodeCache.DATA_FILE));

    DecodeCache again = DecodeCache.open(ImageTree.scan(folder), 8, root(), null, 2, counting);
    assertFalse(again.built());
    assertEquals(7, decoded.get());
    assertEquals(first.directory(), again.directory());
    assertEquals(
        written, Files.getLastModifiedTime(again.directory().resolve(DecodeCache.DATA_FILE)));
    assertArrayEquals(image(first, 6), image(again, 6), 0f);

    Path changed = folder.resolve("cats/b.jpg");
    Files.setLastModifiedTime(
        changed, FileTime.fromMillis(Files.getLastModifiedTime(changed).toMillis() + 5_000));
    DecodeCache rebuilt = DecodeCache.open(ImageTree.scan(folder), 8, root(), null, 2, counting);
    assertTrue(rebuilt.built());
    assertEquals(14, decoded.get());
    assertNotEquals(first.directory(), rebuilt.directory());

    DecodeCache otherSize = DecodeCache.open(ImageTree.scan(folder), 12, root(), null);
    assertNotEquals(rebuilt.directory(), otherSize.directory());
    assertEquals(12, otherSize.imageSize());
  }

  @Test
  void damagedCacheIsRebuilt() throws Exception {
    ImageTree tree = ImageTree.scan(mixedTree());
    DecodeCache cache = DecodeCache.open(tree, 8, root(), null);
    Files.write(cache.directory().resolve(DecodeCache.DATA_FILE), new byte[10]);
    DecodeCache again = DecodeCache.open(tree, 8, root(), null);
    assertTrue(again.built());
    assertArrayEquals(expected(tree.file(0), 8), image(again, 0), 0f);
  }

  @Test
  void oneThreadAndTwoWriteTheSameBytes() throws Exception {
    ImageTree tree = ImageTree.scan(mixedTree());
    CacheBuilder.Decoder sdk =
        (file, dst) -> Preprocessor.ofSize(16).chw(ImageLoader.defaults().read(file), dst, 0);
    DecodeCache one = DecodeCache.open(tree, 16, dir.resolve("one"), null, 1, sdk);
    DecodeCache two = DecodeCache.open(tree, 16, dir.resolve("two"), null, 2, sdk);
    assertArrayEquals(
        Files.readAllBytes(one.directory().resolve(DecodeCache.DATA_FILE)),
        Files.readAllBytes(two.directory().resolve(DecodeCache.DATA_FILE)));
  }

  @Test
  void skipsAndListsAFewUnreadableFilesKeepingLabelsAligned() throws Exception {
    Path folder = TestTrees.uniform(dir.resolve("tree"), 2, 50);
    write(folder, "c000/25-bad.png", "not an image".getBytes(StandardCharsets.US_ASCII));
    ImageTree tree = ImageTree.scan(folder);
    assertEquals(101, tree.size());
    DecodeCache cache = DecodeCache.open(tree, 4, root(), null);
    assertEquals(100, cache.size());
    assertEquals(1, cache.unreadable().size());
    assertEquals("c000/25-bad.png", cache.unreadable().get(0).path());
    assertTrue(cache.unreadable().get(0).message().contains("25-bad.png"));
    int j = 0;
    for (int i = 0; i < tree.size(); i++) {
      if (!tree.relativePath(i).endsWith("bad.png")) {
        assertEquals(tree.label(i), cache.label(j));
        assertArrayEquals(expected(tree.file(i), 4), image(cache, j++), 0f, tree.relativePath(i));
      }
    }
    String manifest = Files.readString(cache.directory().resolve(CacheManifest.FILE));
    assertTrue(manifest.contains("25-bad.png"), manifest);
    assertEquals(1, DecodeCache.open(tree, 4, root(), null).unreadable().size()); // reused
  }

  @Test
  void moreThanOnePercentUnreadableStopsBeforeTraining() throws Exception {
    Path folder = TestTrees.uniform(dir.resolve("tree"), 2, 50);
    write(folder, "c000/x-bad.png", new byte[] {1, 2, 3});
    write(folder, "c001/y-bad.jpg", "nope".getBytes(StandardCharsets.US_ASCII));
    ImageTree tree = ImageTree.scan(folder);
    ImageTreeException e =
        assertThrows(ImageTreeException.class, () -> DecodeCache.open(tree, 4, root(), null));
    assertTrue(
        e.getMessage().startsWith(folder + ": 2 or more of 102 image files are unreadable"),
        e.getMessage());
    assertTrue(e.getMessage().contains("x-bad.png") && e.getMessage().contains("y-bad.jpg"));
    try (Stream<Path> left = Files.list(root())) {
      assertEquals(0, left.count(), "no cache and no temporary folder left");
    }
  }

  @Test
  void aClassLeftWithOneReadableImageStops() throws Exception {
    Path folder = TestTrees.uniform(dir.resolve("tree"), 1, 100);
    write(folder, "c001/a.png", encode(noise(4, 4, 9), "png"));
    write(folder, "c001/b.png", new byte[] {9, 9});
    ImageTreeException e =
        assertThrows(
            ImageTreeException.class,
            () -> DecodeCache.open(ImageTree.scan(folder), 4, root(), null));
    assertTrue(
        e.getMessage().startsWith(folder.resolve("c001") + ": 1 readable image file(s) of 2;"),
        e.getMessage());
    assertTrue(
        e.getMessage()
            .endsWith("(" + folder.resolve("c001/b.png") + ": not a recognised image format)"),
        e.getMessage());
    // A test tree needs 1 image per class: the same files are cached, and a training scan of them
    // that reuses the cache is still refused.
    ImageTree asTest = ImageTree.scanWithClasses(folder, List.of("c000", "c001"));
    assertEquals(101, DecodeCache.open(asTest, 4, root(), null).size());
    assertThrows(
        ImageTreeException.class, () -> DecodeCache.open(ImageTree.scan(folder), 4, root(), null));
  }

  @Test
  void anInterruptedBuildLeavesNoCache() throws Exception {
    ImageTree tree = ImageTree.scan(mixedTree());
    CacheBuilder.Decoder failing =
        (file, dst) -> {
          throw new OutOfMemoryError("simulated");
        };
    assertThrows(IOException.class, () -> DecodeCache.open(tree, 8, root(), null, 2, failing));
    try (Stream<Path> left = Files.list(root())) {
      assertEquals(0, left.count());
    }
    assertTrue(DecodeCache.open(tree, 8, root(), null).built());
  }

  @Test
  void abandonedTemporaryFoldersOfTheSameKeyAreCleanedUp() throws Exception {
    ImageTree tree = ImageTree.scan(mixedTree());
    String key = CacheFolders.key(tree, 8);
    Path old = write(root(), key + ".tmp-1/" + DecodeCache.DATA_FILE, new byte[12]);
    Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
    Path running = write(root(), key + ".tmp-2/" + DecodeCache.DATA_FILE, new byte[12]);
    DecodeCache.open(tree, 8, root(), null);
    assertFalse(Files.exists(old.getParent()));
    assertTrue(Files.exists(running), "a build still writing is left alone");
  }

  @Test
  void removeDeletesCachesOnlyAndSaysHowMuch() throws Exception {
    ImageTree tree = ImageTree.scan(mixedTree());
    DecodeCache a = DecodeCache.open(tree, 8, root(), null);
    DecodeCache b = DecodeCache.open(tree, 10, root(), null);
    Path unrelated = write(root(), "keep/me.txt", "x".getBytes(StandardCharsets.US_ASCII));
    assertEquals(a.bytes() + b.bytes(), DecodeCache.remove(root()));
    assertFalse(Files.exists(a.directory()));
    assertFalse(Files.exists(b.directory()));
    assertTrue(Files.exists(unrelated));
    assertEquals(0, DecodeCache.remove(root()));
    assertEquals(0, DecodeCache.remove(dir.resolve("never-made")));
  }

  @Test
  void drawsAProgressBarWhileBuilding() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageTree tree = ImageTree.scan(mixedTree());
    try (PrintStream progress = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      DecodeCache.open(tree, 8, root(), progress);
    }
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("decoding images"), out.toString());
  }

  @Test
  void thousandClasses() throws Exception {
    ImageTree tree = ImageTree.scan(TestTrees.uniform(dir.resolve("tree"), 1000, 2));
    assertEquals(1000, tree.classNames().size());
    assertEquals("c999/1.png", tree.relativePath(1999));
    DecodeCache cache = DecodeCache.open(tree, 4, root(), null);
    assertEquals(2000, cache.size());
    assertEquals(999, cache.label(1999));
    assertEquals(1000, cache.classNames().size());
    assertArrayEquals(expected(tree.file(1999), 4), image(cache, 1999), 0f);
  }
}
