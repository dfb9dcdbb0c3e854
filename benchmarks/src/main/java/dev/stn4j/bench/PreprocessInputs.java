package dev.stn4j.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Inputs for the pre-processing benchmarks, made from a sample image: the S×S original (32×32 for
 * the CIFAR-10 models) as a decoded {@link BufferedImage}, a 640×480 upscale of it (a typical
 * camera-sized input) and that upscale written as a JPEG file.
 */
final class PreprocessInputs {
  final BufferedImage small;
  final BufferedImage large;
  final Path jpeg;

  private PreprocessInputs(BufferedImage small, BufferedImage large, Path jpeg) {
    this.small = small;
    this.large = large;
    this.jpeg = jpeg;
  }

  /** Builds the inputs from sample image {@code index}; the JPEG goes to a temporary file. */
  static PreprocessInputs create(SampleImages images, int index) throws IOException {
    BufferedImage small = PhotoJpegs.toImage(images.image(index), images.imageSize());
    BufferedImage large = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = large.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(small, 0, 0, 640, 480, null);
    } finally {
      g.dispose();
    }
    Path jpeg = Files.createTempFile("stn4j-bench", ".jpg");
    jpeg.toFile().deleteOnExit();
    if (!ImageIO.write(large, "jpg", jpeg.toFile())) {
      throw new IOException("no JPEG writer available");
    }
    return new PreprocessInputs(small, large, jpeg);
  }
}
