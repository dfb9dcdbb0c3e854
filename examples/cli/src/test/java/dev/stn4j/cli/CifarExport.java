package dev.stn4j.cli;

import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Writes CIFAR-10 binary records as image files in a labelled tree, {@code <root>/<class
 * name>/<prefix><record>.<format>}. Used by the tests (the sample set as PNG) and, through {@link
 * #main}, to build the 10,000-JPEG tree of the speed measurement and the committed sample images:
 *
 * <pre>{@code
 * java -cp examples/cli/target/test-classes:sdk/target/classes dev.stn4j.cli.CifarExport \
 *     /work/shared/data/cifar-10-batches-bin/test_batch.bin /tmp/cifar-jpeg jpg 0 10000
 * }</pre>
 */
final class CifarExport {
  private CifarExport() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 5) {
      System.err.println("usage: CifarExport BATCH.bin OUT_DIR png|jpg FROM TO");
      System.exit(2);
    }
    CifarBatch batch = CifarBatch.read(Path.of(args[0]));
    List<Path> files =
        writeTree(
            batch,
            Integer.parseInt(args[3]),
            Integer.parseInt(args[4]),
            Path.of(args[1]),
            args[2],
            "test-");
    System.err.println("wrote " + files.size() + " files under " + args[1]);
  }

  /** Records {@code [from, to)} as files; returns the paths in record order. */
  static List<Path> writeTree(
      CifarBatch batch, int from, int to, Path root, String format, String prefix)
      throws IOException {
    List<Path> files = new ArrayList<>();
    for (int i = from; i < to; i++) {
      Path dir = root.resolve(Cifar10.CLASS_NAMES.get(batch.label(i)));
      Files.createDirectories(dir);
      Path file = dir.resolve(String.format("%s%05d.%s", prefix, i, format));
      if (!ImageIO.write(toImage(batch, i), format, file.toFile())) {
        throw new IOException("no ImageIO writer for " + format);
      }
      files.add(file);
    }
    return files;
  }

  /** Record {@code index} as a 32×32 RGB image, the exact bytes of the record. */
  static BufferedImage toImage(CifarBatch batch, int index) {
    byte[] planes = batch.imageBytes(index);
    int plane = Cifar10.HEIGHT * Cifar10.WIDTH;
    BufferedImage image =
        new BufferedImage(Cifar10.WIDTH, Cifar10.HEIGHT, BufferedImage.TYPE_INT_RGB);
    for (int p = 0; p < plane; p++) {
      int r = planes[p] & 0xFF;
      int g = planes[plane + p] & 0xFF;
      int b = planes[2 * plane + p] & 0xFF;
      image.setRGB(p % Cifar10.WIDTH, p / Cifar10.WIDTH, (r << 16) | (g << 8) | b);
    }
    return image;
  }
}
