package dev.stn4j.train.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Writes small labelled image trees for tests. */
final class TestTrees {
  private TestTrees() {}

  /** A w×h RGB image of noise from {@code seed}. */
  static BufferedImage noise(int w, int h, long seed) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    return image;
  }

  /** The image encoded as {@code format} (an ImageIO format name). */
  static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalArgumentException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes {@code bytes} to {@code root/relative}, creating folders; returns the file. */
  static Path write(Path root, String relative, byte[] bytes) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  /**
   * A tree of {@code classes} classes ("c000", ...), {@code perClass} 4×4 PNGs each, drawn from 31
   * distinct images (encoding thousands of PNGs would make the tests slow).
   */
  static Path uniform(Path root, int classes, int perClass) throws IOException {
    byte[][] pool = new byte[31][];
    for (int k = 0; k < pool.length; k++) {
      pool[k] = encode(noise(4, 4, k), "png");
    }
    for (int c = 0; c < classes; c++) {
      Path folder = Files.createDirectories(root.resolve(String.format("c%03d", c)));
      for (int i = 0; i < perClass; i++) {
        Files.write(folder.resolve(i + ".png"), pool[(c * perClass + i) % pool.length]);
      }
    }
    return root;
  }
}
