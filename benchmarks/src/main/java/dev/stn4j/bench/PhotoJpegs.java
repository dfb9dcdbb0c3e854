package dev.stn4j.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Photo-like JPEGs for issue 30's decode benchmarks, written by Java so a JMH fork needs no
 * generated folder: a sample image enlarged bicubically to the photo's size (the large shapes and
 * colours of a scene) plus seeded Gaussian grain (luminance σ {@value #LUMA_GRAIN} levels, each
 * channel σ {@value #COLOUR_GRAIN}), quality 0.9 with the JDK writer's 4:2:0 chroma subsampling.
 * The grain gives the entropy of a real photo: a 4000×3000 file is about 3 MB, as a 12 MP phone
 * photo at quality 90 (benchmarks/scripts/write_photos.py writes folders of the same kind).
 */
final class PhotoJpegs {
  static final double LUMA_GRAIN = 6.0;
  static final double COLOUR_GRAIN = 2.0;
  static final float QUALITY = 0.9f;

  private PhotoJpegs() {}

  /**
   * Writes a {@code width}×{@code height} photo-like JPEG made from {@code chw} (3×side×side floats
   * in [0,1]) to {@code file}; the same arguments give the same bytes.
   */
  static Path write(Path file, int width, int height, float[] chw, int side, long seed)
      throws IOException {
    BufferedImage photo = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = photo.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.drawImage(toImage(chw, side), 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    addGrain(((DataBufferInt) photo.getRaster().getDataBuffer()).getData(), new Random(seed));
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(file))) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(QUALITY);
      writer.setOutput(out);
      writer.write(null, new IIOImage(photo, null, null), param);
    } finally {
      writer.dispose();
    }
    return file;
  }

  private static void addGrain(int[] rgb, Random random) {
    for (int i = 0; i < rgb.length; i++) {
      double luma = random.nextGaussian() * LUMA_GRAIN;
      int p = rgb[i];
      int r = clamp(((p >> 16) & 0xff) + luma + random.nextGaussian() * COLOUR_GRAIN);
      int gr = clamp(((p >> 8) & 0xff) + luma + random.nextGaussian() * COLOUR_GRAIN);
      int b = clamp((p & 0xff) + luma + random.nextGaussian() * COLOUR_GRAIN);
      rgb[i] = (r << 16) | (gr << 8) | b;
    }
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  static BufferedImage toImage(float[] chw, int side) {
    int plane = side * side;
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int p = y * side + x;
        int r = Math.round(chw[p] * 255);
        int gr = Math.round(chw[plane + p] * 255);
        int b = Math.round(chw[2 * plane + p] * 255);
        image.setRGB(x, y, (r << 16) | (gr << 8) | b);
      }
    }
    return image;
  }
}
