package dev.stn4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.ErrorCode;
import dev.stn4j.sdk.StnException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageLoaderTest {
  @TempDir Path dir;

  private final ImageLoader loader = ImageLoader.defaults();

  @Test
  void decodesPngAndJpegAndKeepsPngPixelsExact() throws Exception {
    BufferedImage image = noise(40, 30, 1);
    Path png = write(image, "png", "a.png");
    BufferedImage back = loader.read(png);
    assertEquals(40, back.getWidth());
    assertEquals(30, back.getHeight());
    assertArrayEquals(Preprocessor.toChw(image), Preprocessor.toChw(back));
    assertEquals(40, loader.read(write(image, "jpeg", "a.jpg")).getWidth());
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        BufferedImage.TYPE_BYTE_GRAY,
        BufferedImage.TYPE_USHORT_GRAY,
        BufferedImage.TYPE_4BYTE_ABGR,
        BufferedImage.TYPE_INT_ARGB,
        BufferedImage.TYPE_BYTE_INDEXED,
        BufferedImage.TYPE_BYTE_BINARY
      })
  void pngColourModelsSurviveTheRoundTripToTheSameModelInput(int type) throws Exception {
    BufferedImage image = new BufferedImage(48, 36, type);
    BufferedImage source = new BufferedImage(48, 36, BufferedImage.TYPE_INT_ARGB);
    Random random = new Random(type);
    for (int y = 0; y < 36; y++) {
      for (int x = 0; x < 48; x++) {
        source.setRGB(x, y, random.nextInt());
      }
    }
    image.getGraphics().drawImage(source, 0, 0, null);
    BufferedImage back = loader.read(write(image, "png", "colour-" + type + ".png"));
    assertArrayEquals(Preprocessor.toChw(image), Preprocessor.toChw(back), 1e-6f);
  }

  @Test
  void aMisnamedImageIsDecodedByItsContent() throws Exception {
    Path misnamed = write(noise(8, 8, 2), "png", "really-a-png.jpg");
    assertEquals(8, loader.read(misnamed).getWidth());
  }

  @Test
  void emptyRandomAndTextFilesAreRefusedNamingTheFile() throws Exception {
    Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
    assertInvalid(empty, "empty file");
    byte[] random = new byte[5000];
    new Random(3).nextBytes(random);
    assertInvalid(Files.write(dir.resolve("random.jpg"), random), "not a recognised image format");
    assertInvalid(
        Files.write(dir.resolve("notes.png"), "hello, I am text".getBytes()),
        "not a recognised image format");
  }

  @Test
  void truncatedPngAndJpegAreRefused() throws Exception {
    byte[] png = Files.readAllBytes(write(noise(64, 64, 4), "png", "full.png"));
    assertInvalid(Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length / 2)), "PNG");
    byte[] jpeg = Files.readAllBytes(write(noise(64, 64, 5), "jpeg", "full.jpg"));
    StnException e =
        assertInvalid(
            Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2)), "JPEG");
    assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("decode"));
    assertInvalid(Files.write(dir.resolve("header-only.jpg"), Arrays.copyOf(jpeg, 20)), "JPEG");
    assertInvalid(Files.write(dir.resolve("soi.jpg"), Arrays.copyOf(jpeg, 3)), "JPEG");
  }

  @Test
  void aHeaderClaimingGigapixelsIsRefusedBeforeDecoding() throws Exception {
    Path png = Files.write(dir.resolve("huge.png"), pngHeader(100_000, 100_000));
    StnException e = assertInvalid(png, "100000x100000");
    assertTrue(e.getMessage().contains("not decoded"), e.getMessage());

    byte[] jpeg = Files.readAllBytes(write(noise(16, 16, 6), "jpeg", "small.jpg"));
    patchJpegSize(jpeg, 60_000, 60_000);
    assertInvalid(Files.write(dir.resolve("huge.jpg"), jpeg), "60000x60000");
  }

  @Test
  void limitsAreConfigurable() throws Exception {
    Path png = write(noise(20, 20, 7), "png", "twenty.png");
    assertInvalid(png, ImageLoader.withLimits(399, 1 << 20), "more than the limit of 399");
    assertInvalid(png, ImageLoader.withLimits(1000, 10), "more than the limit of 10");
    assertEquals(20, ImageLoader.withLimits(400, 1 << 20).read(png).getWidth());
    assertThrows(IllegalArgumentException.class, () -> ImageLoader.withLimits(0, 1));
  }

  @Test
  void bytesInMemoryDecodeLikeTheFileAndAreCheckedTheSameWay() throws Exception {
    BufferedImage image = noise(40, 30, 8);
    byte[] png = Files.readAllBytes(write(image, "png", "b.png"));
    assertArrayEquals(
        Preprocessor.toChw(image), Preprocessor.toChw(loader.read(png, "table row 7")));
    byte[] jpeg = Files.readAllBytes(write(image, "jpeg", "b.jpg"));
    assertArrayEquals(
        Preprocessor.toChw(loader.read(write(image, "jpeg", "c.jpg"))),
        Preprocessor.toChw(loader.read(jpeg, "row")));

    assertInvalidBytes(new byte[0], loader, "empty file");
    assertInvalidBytes(null, loader, "no content");
    assertInvalidBytes("text".getBytes(StandardCharsets.UTF_8), loader, "not a recognised");
    assertInvalidBytes(Arrays.copyOf(png, png.length / 2), loader, "PNG");
    assertInvalidBytes(pngHeader(100_000, 100_000), loader, "not decoded");
    assertInvalidBytes(png, ImageLoader.withLimits(1000, 10), "more than the limit of 10");
  }

  private static void assertInvalidBytes(byte[] bytes, ImageLoader loader, String reason) {
    StnException e = assertThrows(StnException.class, () -> loader.read(bytes, "s3://b/x.png"));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().startsWith("s3://b/x.png: "), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void missingFilesAndDirectoriesAreRefused() throws Exception {
    assertInvalid(dir.resolve("no such file.png"), "file not found");
    assertInvalid(Files.createDirectory(dir.resolve("folder.png")), "is a directory");
  }

  @Test
  void readsSixteenBitGreyPng() throws Exception {
    BufferedImage grey = new BufferedImage(32, 32, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster r = grey.getRaster();
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        r.setSample(x, y, 0, x * 2000);
      }
    }
    BufferedImage back = loader.read(write(grey, "png", "grey16.png"));
    assertEquals(16, back.getColorModel().getComponentSize(0));
    float[] chw = Preprocessor.toChw(back);
    assertEquals(10 * 2000 / 65535f, chw[32 * 32 + 10], 1e-6f);
  }

  @Test
  void readsAdobeCmykJpegAsSrgbColour() throws Exception {
    Path file = Files.write(dir.resolve("cmyk.jpg"), TestImages.adobeCyanJpeg(32, 32));
    float[] chw = Preprocessor.toChw(loader.read(file));
    float red = chw[0];
    float green = chw[32 * 32];
    float blue = chw[2 * 32 * 32];
    assertTrue(
        red < 0.2f && green > 0.6f && blue > 0.8f, "cyan: " + red + " " + green + " " + blue);
  }

  @Test
  void aJpegWithAnIccProfileIsConvertedToSrgb() throws Exception {
    BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        image.setRGB(x, y, (50 << 16) | (128 << 8) | 200);
      }
    }
    byte[] plain = Files.readAllBytes(write(image, "jpeg", "plain.jpg"));
    // APP2 "ICC_PROFILE", chunk 1 of 1: the samples are linear RGB, not sRGB.
    ColorSpace linear = ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB);
    byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
    byte[] tagged = TestImages.afterSoi(plain, TestImages.iccSegments(icc, 60_000));
    Path file = Files.write(dir.resolve("linear.jpg"), tagged);
    float[] chw = Preprocessor.toChw(loader.read(file));
    float[] srgb = linear.toRGB(new float[] {50 / 255f, 128 / 255f, 200 / 255f});
    assertEquals(srgb[0], chw[0], 0.03f, "red");
    assertEquals(srgb[1], chw[32 * 32], 0.03f, "green");
    assertEquals(srgb[2], chw[2 * 32 * 32], 0.03f, "blue");
  }

  private StnException assertInvalid(Path file, String reason) {
    return assertInvalid(file, loader, reason);
  }

  private static StnException assertInvalid(Path file, ImageLoader loader, String reason) {
    StnException e = assertThrows(StnException.class, () -> loader.read(file));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    return e;
  }

  private Path write(BufferedImage image, String format, String name) throws IOException {
    Path file = dir.resolve(name);
    assertTrue(ImageIO.write(image, format, file.toFile()), "no writer for " + format);
    return file;
  }

  private static BufferedImage noise(int w, int h, long seed) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(seed);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    return image;
  }

  /** A PNG signature and a valid IHDR chunk (8-bit RGB) claiming {@code w × h}, nothing else. */
  private static byte[] pngHeader(int w, int h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer chunk = ByteBuffer.allocate(4 + 13);
    chunk.put("IHDR".getBytes()).putInt(w).putInt(h).put((byte) 8).put((byte) 2);
    chunk.put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(chunk.array());
    out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
    out.writeBytes(chunk.array());
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    return out.toByteArray();
  }

  /** Rewrites the height and width of the first SOF0/SOF2 marker. */
  static void patchJpegSize(byte[] jpeg, int w, int h) {
    for (int i = 2; i + 8 < jpeg.length; i++) {
      int m = jpeg[i + 1] & 0xFF;
      if ((jpeg[i] & 0xFF) == 0xFF && (m == 0xC0 || m == 0xC2)) {
        jpeg[i + 5] = (byte) (h >> 8);
        jpeg[i + 6] = (byte) h;
        jpeg[i + 7] = (byte) (w >> 8);
        jpeg[i + 8] = (byte) w;
        return;
      }
    }
    throw new AssertionError("no SOF marker");
  }
}
