package dev.stn4j.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.RepositoryRoot;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Test data shared by the SDK's tests: the sample set and CIFAR records as images. */
public final class TestImages {
  private TestImages() {}

  /** The repository's sample set (first 1,000 test records); found from any working directory. */
  public static CifarBatch sampleSet() throws IOException {
    Path file = RepositoryRoot.get().resolve("data/sample-set/test_batch_first1000.bin");
    // Part of the repository: a missing file is a broken checkout, not a reason to skip.
    assertTrue(Files.isRegularFile(file), "sample set not found at " + file);
    return CifarBatch.read(file);
  }

  /** Record {@code index} drawn into a new 32×32 image of {@code type} (an RGB or ARGB type). */
  public static BufferedImage render(CifarBatch batch, int index, int type) {
    byte[] px = batch.imageBytes(index);
    int plane = Cifar10.HEIGHT * Cifar10.WIDTH;
    BufferedImage image = new BufferedImage(Cifar10.WIDTH, Cifar10.HEIGHT, type);
    for (int y = 0; y < Cifar10.HEIGHT; y++) {
      for (int x = 0; x < Cifar10.WIDTH; x++) {
        int i = y * Cifar10.WIDTH + x;
        int rgb = (px[i] & 0xFF) << 16 | (px[plane + i] & 0xFF) << 8 | (px[2 * plane + i] & 0xFF);
        image.setRGB(x, y, 0xFF000000 | rgb);
      }
    }
    return image;
  }

  /**
   * An Adobe CMYK JPEG of full cyan and nothing else, {@code width}×{@code height}: the JDK writes
   * the four channels, an APP14 "Adobe" segment (transform 0: CMYK) after SOI says what they are.
   * Adobe CMYK stores inverted ink (0 = full ink).
   */
  public static byte[] adobeCyanJpeg(int width, int height) throws IOException {
    WritableRaster cmyk = Raster.createInterleavedRaster(0, width, height, 4, null);
    int[] cyan = {0, 255, 255, 255};
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        cmyk.setPixel(x, y, cyan);
      }
    }
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(jpeg)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(cmyk, null, null), null);
    } finally {
      writer.dispose();
    }
    byte[] app14 = { // "Adobe", version 100, flags 0, transform 0 (CMYK)
      (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0
    };
    return afterSoi(jpeg.toByteArray(), app14);
  }

  /**
   * APP2 {@code ICC_PROFILE} segments carrying {@code profile} in chunks of at most {@code chunk}.
   */
  public static byte[] iccSegments(byte[] profile, int chunk) {
    int count = (profile.length + chunk - 1) / chunk;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      int from = i * chunk;
      int n = Math.min(chunk, profile.length - from);
      int length = 2 + 12 + 2 + n;
      out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE2, (byte) (length >> 8), (byte) length});
      out.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(new byte[] {(byte) (i + 1), (byte) count});
      out.write(profile, from, n);
    }
    return out.toByteArray();
  }

  /** {@code jpeg} with {@code segment} inserted right after its SOI marker. */
  public static byte[] afterSoi(byte[] jpeg, byte[] segment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.writeBytes(segment);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }
}
