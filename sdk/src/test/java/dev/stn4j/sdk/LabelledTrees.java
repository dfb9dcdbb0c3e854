package dev.stn4j.sdk;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Labelled image folders for tests (shared through {@code stn4j-sdk:test-jar}): one sub-folder per
 * class named by {@link TestModels#classNames}, each image class k's prototype colour ({@link
 * TestModels#rgb}) with seeded noise, so a model can learn the classes in a few steps and a
 * generated model ({@link TestModels}) classifies them right.
 *
 * <pre>{@code
 * Path train = LabelledTrees.write(tmp.resolve("train"), 3, 8, 64, 1);   // 3 classes × 8 PNGs
 * }</pre>
 */
public final class LabelledTrees {
  private LabelledTrees() {}

  /**
   * Writes {@code perClass} PNG images of side {@code side} for each of {@code classes} classes
   * under {@code root}; the noise is drawn from {@code seed}. Returns {@code root}.
   */
  public static Path write(Path root, int classes, int perClass, int side, long seed)
      throws IOException {
    List<String> names = TestModels.classNames(classes);
    Random random = new Random(seed);
    for (int k = 0; k < classes; k++) {
      Path folder = Files.createDirectories(root.resolve(names.get(k)));
      for (int i = 0; i < perClass; i++) {
        ImageIO.write(
            noisy(side, TestModels.rgb(k), random), "png", folder.resolve(i + ".png").toFile());
      }
    }
    return root;
  }

  /** A side×side image of {@code rgb} with each channel moved by up to ±12 at random. */
  static BufferedImage noisy(int side, int rgb, Random random) {
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int pixel = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
          int v = (rgb >> shift & 0xff) + random.nextInt(25) - 12;
          pixel |= Math.max(0, Math.min(255, v)) << shift;
        }
        image.setRGB(x, y, pixel);
      }
    }
    return image;
  }
}
