package dev.stn4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.ErrorCode;
import dev.stn4j.sdk.StnException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ImageLoader#read(byte[], String)}: the same pixels and refusals as reading a file. */
class ImageLoaderBytesTest {
  @TempDir Path dir;

  @Test
  void bytesDecodeToTheSamePixelsAsTheFile() throws Exception {
    for (String format : new String[] {"png", "jpeg", "bmp"}) {
      byte[] encoded = encode(noise(37, 23), format);
      Path file = Files.write(dir.resolve("a." + format), encoded);
      BufferedImage fromBytes = ImageLoader.defaults().read(encoded, "upload");
      assertArrayEquals(
          Preprocessor.toChw(ImageLoader.defaults().read(file)),
          Preprocessor.toChw(fromBytes),
          format);
    }
  }

  @Test
  void badBytesAreRefusedNamingTheSource() throws Exception {
    assertRefused(new byte[0], ImageLoader.defaults(), "request body: empty");
    assertRefused(
        "hello".getBytes(), ImageLoader.defaults(), "request body: not a recognised image format");
    byte[] png = encode(noise(64, 64), "png");
    assertRefused(Arrays.copyOf(png, png.length / 2), ImageLoader.defaults(), "request body: ");
    assertRefused(png, ImageLoader.withLimits(100, 1 << 20), "more than the limit of 100");
    assertRefused(png, ImageLoader.withLimits(1 << 20, 10), "more than the limit of 10");
  }

  private static void assertRefused(byte[] bytes, ImageLoader loader, String expected) {
    StnException e = assertThrows(StnException.class, () -> loader.read(bytes, "request body"));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().startsWith("request body: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected.replace("request body: ", "")), e.getMessage());
  }

  private static BufferedImage noise(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(w * 31L + h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, random.nextInt());
      }
    }
    return image;
  }

  private static byte[] encode(BufferedImage image, String format) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, out), format);
    return out.toByteArray();
  }
}
