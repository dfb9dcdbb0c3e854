package dev.stn4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExifOrientationTest {
  private static final int RED = 0xFF0000;
  private static final int GREEN = 0x00FF00;
  private static final int BLUE = 0x0000FF;
  private static final int WHITE = 0xFFFFFF;

  @TempDir Path dir;

  /**
   * A 64×32 JPEG of four 16-pixel-wide bars, red, green, blue, white from left to right, stored
   * with each orientation: the loader must hand out the image a viewer shows.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void loaderTurnsJpegsUpright(int orientation) throws Exception {
    BufferedImage bars = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
    int[] colours = {RED, GREEN, BLUE, WHITE};
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 64; x++) {
        bars.setRGB(x, y, colours[x / 16]);
      }
    }
    Path file = dir.resolve("bars-" + orientation + ".jpg");
    Files.write(file, withExifOrientation(jpeg(bars), orientation));

    BufferedImage shown = ImageLoader.defaults().read(file);
    boolean turned = orientation >= 5;
    assertEquals(turned ? 32 : 64, shown.getWidth());
    assertEquals(turned ? 64 : 32, shown.getHeight());
    // Where the first (red) and last (white) bars are shown, per the EXIF definitions.
    int[] redAt =
        switch (orientation) {
          case 1, 4 -> new int[] {8, 16}; // left
          case 2, 3 -> new int[] {56, 16}; // right
          case 5, 6 -> new int[] {16, 8}; // top
          default -> new int[] {16, 56}; // 7, 8: bottom
        };
    int[] whiteAt =
        turned ? new int[] {redAt[0], 64 - redAt[1]} : new int[] {64 - redAt[0], redAt[1]};
    assertColour(RED, shown.getRGB(redAt[0], redAt[1]), "red bar, orientation " + orientation);
    assertColour(
        WHITE, shown.getRGB(whiteAt[0], whiteAt[1]), "white bar, orientation " + orientation);
  }

  @Test
  void nativeTransformAndPixelCopyAgreeForEveryOrientation() {
    BufferedImage image = new BufferedImage(7, 5, BufferedImage.TYPE_3BYTE_BGR);
    Random random = new Random(3);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 7; x++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    for (int o = 1; o <= 8; o++) {
      BufferedImage viaTransform = ExifOrientation.apply(image, o);
      WritableRaster copied = viaTransform.getRaster().createCompatibleWritableRaster();
      ExifOrientation.copyPixels(image.getRaster(), copied, ExifOrientation.transform(o, 7, 5));
      int w = viaTransform.getWidth();
      int h = viaTransform.getHeight();
      assertArrayEquals(
          copied.getPixels(0, 0, w, h, (int[]) null),
          viaTransform.getRaster().getPixels(0, 0, w, h, (int[]) null),
          "orientation " + o);
    }
    // Spot checks of the definitions: 6 turns clockwise, 8 counter-clockwise.
    assertEquals(image.getRGB(0, 4), ExifOrientation.apply(image, 6).getRGB(0, 0));
    assertEquals(image.getRGB(6, 0), ExifOrientation.apply(image, 8).getRGB(0, 0));
    assertSame(image, ExifOrientation.apply(image, 1));
  }

  @Test
  void missingOrBrokenExifMeansAsStored() throws Exception {
    BufferedImage image = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
    byte[] plain = jpeg(image);
    Path file = dir.resolve("plain.jpg");
    Files.write(file, plain);
    assertEquals(20, ImageLoader.defaults().read(file).getWidth());

    byte[] broken = withExifOrientation(plain, 6);
    // Break the TIFF header's byte-order mark inside the EXIF block.
    for (int i = 0; i + 3 < broken.length; i++) {
      if (broken[i] == 'M' && broken[i + 1] == 'M' && broken[i + 3] == 42) {
        broken[i] = 'X';
        broken[i + 1] = 'X';
        break;
      }
    }
    Path bad = dir.resolve("broken-exif.jpg");
    Files.write(bad, broken);
    assertEquals(20, ImageLoader.defaults().read(bad).getWidth());
  }

  private static void assertColour(int expected, int argb, String what) {
    int[] e = {(expected >> 16) & 0xFF, (expected >> 8) & 0xFF, expected & 0xFF};
    int[] a = {(argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF};
    for (int c = 0; c < 3; c++) {
      assertEquals(e[c], a[c], 40, what + ": got " + Integer.toHexString(argb & 0xFFFFFF));
    }
  }

  private static byte[] jpeg(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpeg", out);
    return out.toByteArray();
  }

  /**
   * The JPEG with an APP1 EXIF segment right after SOI: a big-endian TIFF header and one IFD
   * holding only the orientation (tag 274, SHORT).
   */
  static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4);
    tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
    tiff.putShort((short) 1);
    tiff.putShort((short) 274).putShort((short) 3).putInt(1);
    tiff.putShort((short) orientation).putShort((short) 0);
    tiff.putInt(0);
    byte[] id = {'E', 'x', 'i', 'f', 0, 0};
    int length = 2 + id.length + tiff.capacity();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2); // SOI
    out.write(0xFF);
    out.write(0xE1);
    out.write(length >> 8);
    out.write(length & 0xFF);
    out.writeBytes(id);
    out.writeBytes(tiff.array());
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }
}
