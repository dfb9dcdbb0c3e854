package dev.stn4j.train.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * By hand, not a test: builds the decode cache of a (big) tree and prints the scan and build times,
 * the time to reopen it, its size and the peak heap, to show that the heap does not grow with the
 * tree. Optionally writes a synthetic tree first.
 *
 * <pre>
 * ./mvnw -B -o -q -pl trainer -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * CP=trainer/target/test-classes:trainer/target/classes:$(cat /tmp/cp.txt)
 * java -cp $CP dev.stn4j.train.data.DecodeCacheMeasure --generate /tmp/big 50000 100 96
 * java -Xmx256m -cp $CP dev.stn4j.train.data.DecodeCacheMeasure /tmp/big 64 /tmp/image-cache
 * </pre>
 *
 * Arguments: {@code TREE [S=32] [CACHE_ROOT=<tmp>/stn4j-measure-cache]}; or {@code --generate DIR
 * FILES CLASSES SIDE} to write FILES JPEGs of SIDE×SIDE in CLASSES class folders. The cache built
 * is left in place (remove it with {@code DecodeCache.remove} or by deleting the folder); a second
 * run of the same command measures reuse.
 */
public final class DecodeCacheMeasure {
  private DecodeCacheMeasure() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 5 && args[0].equals("--generate")) {
      generate(
          Path.of(args[1]),
          Integer.parseInt(args[2]),
          Integer.parseInt(args[3]),
          Integer.parseInt(args[4]));
      return;
    }
    if (args.length < 1 || args.length > 3) {
      System.err.println(
          "usage: DecodeCacheMeasure TREE [S] [CACHE_ROOT] | --generate DIR FILES CLASSES SIDE");
      System.exit(2);
    }
    Path tree = Path.of(args[0]);
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    Path root =
        args.length > 2
            ? Path.of(args[2])
            : Path.of(System.getProperty("java.io.tmpdir"), "stn4j-measure-cache");
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long t0 = System.nanoTime();
    ImageTree scanned = ImageTree.scan(tree);
    long t1 = System.nanoTime();
    DecodeCache cache = DecodeCache.open(scanned, size, root, System.err);
    long t2 = System.nanoTime();
    DecodeCache reopened = DecodeCache.open(ImageTree.scan(tree), size, root, null);
    long t3 = System.nanoTime();
    System.out.printf(
        "tree %s: %,d image files, %d classes, %s%n",
        tree, scanned.size(), scanned.classNames().size(), scanned.skipped().summary());
    System.out.printf(
        "cache %s: %,d images at %dx%d, %,d bytes, %d unreadable, %s%n",
        cache.directory(),
        cache.size(),
        size,
        size,
        cache.bytes(),
        cache.unreadable().size(),
        cache.built() ? "built" : "reused (run again with an empty cache root to measure a build)");
    System.out.printf(
        "scan %.2f s, open (%s) %.2f s, scan + reopen %.2f s (reused: %s)%n",
        (t1 - t0) / 1e9,
        cache.built() ? "build" : "reuse",
        (t2 - t1) / 1e9,
        (t3 - t2) / 1e9,
        !reopened.built());
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    long gcs = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcs += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    System.gc();
    long after = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.printf(
        "heap: peak %,d bytes (sum of the heap pools' peaks, garbage included), %,d after a full"
            + " GC, max %,d; %d collections, %d ms%n",
        peak, after, Runtime.getRuntime().maxMemory(), gcs, gcMillis);
  }

  private static void generate(Path dir, int files, int classes, int side) throws Exception {
    Random random = new Random(1);
    for (int i = 0; i < files; i++) {
      BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setColor(new Color(random.nextInt(1 << 24)));
      g.fillRect(0, 0, side, side);
      for (int k = 0; k < 6; k++) {
        g.setColor(new Color(random.nextInt(1 << 24)));
        g.fillOval(random.nextInt(side), random.nextInt(side), side / 3, side / 4);
      }
      g.dispose();
      Path file = dir.resolve(String.format("class%04d/%07d.jpg", i % classes, i));
      Files.createDirectories(file.getParent());
      ImageIO.write(image, "jpeg", file.toFile());
    }
    System.out.printf(
        "wrote %,d JPEGs of %dx%d in %d class folders under %s%n", files, side, side, classes, dir);
  }
}
