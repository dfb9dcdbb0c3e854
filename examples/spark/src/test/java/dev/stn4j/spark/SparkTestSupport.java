package dev.stn4j.spark;

import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/** Files for the Spark tests: sample-set images in a labelled tree, and hostile files. */
final class SparkTestSupport {
  private SparkTestSupport() {}

  static Path root() {
    return Path.of(System.getProperty("stn4j.root", "../.."));
  }

  /** Records {@code [0, count)} of the sample set as PNG files under {@code <class>/}. */
  static List<Path> sampleTree(Path dir, int count) throws IOException {
    CifarBatch batch = CifarBatch.read(root().resolve("data/sample-set/test_batch_first1000.bin"));
    List<Path> files = new ArrayList<>();
    int plane = Cifar10.HEIGHT * Cifar10.WIDTH;
    for (int i = 0; i < count; i++) {
      byte[] planes = batch.imageBytes(i);
      BufferedImage image =
          new BufferedImage(Cifar10.WIDTH, Cifar10.HEIGHT, BufferedImage.TYPE_INT_RGB);
      for (int p = 0; p < plane; p++) {
        int rgb =
            (planes[p] & 0xFF) << 16
                | (planes[plane + p] & 0xFF) << 8
                | planes[2 * plane + p] & 0xFF;
        image.setRGB(p % Cifar10.WIDTH, p / Cifar10.WIDTH, rgb);
      }
      Path file =
          Files.createDirectories(dir.resolve(Cifar10.CLASS_NAMES.get(batch.label(i))))
              .resolve(String.format("sample-%04d.png", i));
      ImageIO.write(image, "png", file.toFile());
      files.add(file);
    }
    return files;
  }

  /**
   * A decompression bomb: a valid PNG whose header claims 60000×60000 RGB pixels (10.8 GB decoded)
   * and whose pixel data is that many zeros, deflated into a few MB of the file.
   */
  static byte[] pngBomb() throws IOException {
    int w = 60_000;
    int h = 60_000;
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h);
    ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(png, "IHDR", ihdr.array());
    // Only the first 200 rows are actually deflated: enough for a decoder that starts reading.
    Deflater deflater = new Deflater(9);
    byte[] row = new byte[1 + 3 * w];
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    for (int y = 0; y < 200; y++) {
      deflater.setInput(row);
      while (!deflater.needsInput()) {
        idat.write(buf, 0, deflater.deflate(buf));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      idat.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    chunk(png, "IDAT", idat.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
    png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    png.writeBytes(t);
    png.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
