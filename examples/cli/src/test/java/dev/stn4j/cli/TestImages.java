package dev.stn4j.cli;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Image files of every awkward kind, written for the tests. */
final class TestImages {
  private TestImages() {}

  /** A colourful gradient of {@code type}, so that every colour model holds varied pixels. */
  static BufferedImage gradient(int width, int height, int type) {
    BufferedImage image = new BufferedImage(width, height, type);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = 255 * x / Math.max(1, width - 1);
        int g = 255 * y / Math.max(1, height - 1);
        int b = (x * 7 + y * 3) & 0xFF;
        image.setRGB(x, y, 0x80000000 | (r << 16) | (g << 8) | b);
      }
    }
    return image;
  }

  static BufferedImage palette(int width, int height) {
    byte[] r = new byte[16];
    byte[] g = new byte[16];
    byte[] b = new byte[16];
    for (int i = 0; i < 16; i++) {
      r[i] = (byte) (i * 16);
      g[i] = (byte) (255 - i * 16);
      b[i] = (byte) (i * 8);
    }
    BufferedImage image =
        new BufferedImage(
            width, height, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(4, 16, r, g, b));
    WritableRaster raster = image.getRaster();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        raster.setSample(x, y, 0, (x + y) % 16);
      }
    }
    return image;
  }

  static Path write(Path file, BufferedImage image, String format) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (!ImageIO.write(image, format, file.toFile())) {
      throw new IOException("no writer for " + format);
    }
    return file;
  }

  static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }

  /** A CMYK JPEG (four components), written from a raw 4-band raster. */
  static byte[] cmykJpeg(int width, int height) throws IOException {
    WritableRaster raster =
        Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        raster.setPixel(x, y, new int[] {x * 255 / width, y * 255 / height, 40, 10});
      }
    }
    ImageWriter writer = null;
    for (var it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
      ImageWriter w = it.next();
      if (w.canWriteRasters()) {
        writer = w;
        break;
      }
    }
    if (writer == null) {
      throw new IOException("no JPEG writer that writes rasters");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(raster, null, null), null);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** Number of components in the first SOF segment of a JPEG, or -1. */
  static int jpegComponents(byte[] jpeg) {
    for (int i = 2; i + 9 < jpeg.length; i++) {
      int marker = jpeg[i + 1] & 0xFF;
      if ((jpeg[i] & 0xFF) == 0xFF && (marker == 0xC0 || marker == 0xC1 || marker == 0xC2)) {
        return jpeg[i + 9] & 0xFF;
      }
    }
    return -1;
  }

  /**
   * A small, well-formed PNG whose IHDR claims {@code width}×{@code height} RGB pixels: decoding it
   * would need width×height×3 bytes, so a safe loader must refuse it from the header.
   */
  static byte[] pngClaiming(int width, int height) throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2); // 8-bit RGB
    ihdr.put((byte) 0).put((byte) 0).put((byte) 0); // deflate, adaptive filter, no interlace
    chunk(png, "IHDR", ihdr.array());
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[4096]);
    deflater.finish();
    byte[] idat = new byte[8192];
    int n = deflater.deflate(idat);
    deflater.end();
    chunk(png, "IDAT", Arrays.copyOf(idat, n));
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data)
      throws IOException {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    png.write(ByteBuffer.allocate(4).putInt(data.length).array());
    png.write(name);
    png.write(data);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    png.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
