package dev.stn4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stn4j.sdk.ErrorCode;
import dev.stn4j.sdk.StnException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Large JPEGs decoded at reduced resolution for the model's size, on both roads. */
class ImageLoaderReducedTest {
  private static final int S = 32;

  @TempDir Path dir;

  private final ImageLoader defaults = ImageLoader.defaults();
  private final ImageLoader pureJava = ImageLoader.defaults().pureJava();

  @Test
  void theReductionIsTheLargestThatKeepsFourTimesTheSide() {
    assertEquals(8, ReducedJpeg.reduction(4000, 3000, 32)); // 375 >= 128
    assertEquals(2, ReducedJpeg.reduction(640, 480, 32)); // 480/4 = 120 < 128 <= 240
    assertEquals(4, ReducedJpeg.reduction(1024, 768, 32));
    assertEquals(2, ReducedJpeg.reduction(255, 500, 32)); // ceil(255/2) = 128
    assertEquals(1, ReducedJpeg.reduction(254, 500, 32));
    assertEquals(1, ReducedJpeg.reduction(32, 32, 32));
    assertEquals(2, ReducedJpeg.reduction(4000, 3000, 224)); // 750 < 896 <= 1500
    assertEquals(8, ReducedJpeg.reduction(100_000, 100_000, 32)); // never past 1/8
  }

  @Test
  void aPhotoIsReducedOnBothRoadsAndPreprocessesCloseToTheFullDecode() throws Exception {
    Path photo = jpeg(photo(1024, 768, 1), "photo.jpg", false);
    float[] full = Preprocessor.toChw(defaults.read(photo));
    for (ImageLoader loader : new ImageLoader[] {defaults, pureJava}) {
      BufferedImage reduced = loader.read(photo, S); // by 4: 768/4 = 192 >= 4·S
      assertEquals(256, reduced.getWidth());
      assertEquals(192, reduced.getHeight());
      assertCloseToFull(loader, full, Preprocessor.toChw(reduced));
    }
  }

  @Test
  void theNativeRoadAveragesEachBlockWhereTheJdkRoadPicksAPixel() throws Exception {
    requireNative();
    BufferedImage image = photo(512, 512, 2);
    Path file = jpeg(image, "blocks.jpg", false);
    BufferedImage full = pureJava.read(file);
    BufferedImage dct = defaults.read(file, 16); // 512/8 = 64 = 4·16: reduced by 8
    BufferedImage picked = pureJava.read(file, 16);
    assertEquals(64, dct.getWidth());
    assertEquals(64, picked.getWidth());
    double dctError = 0;
    double pickedError = 0;
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        int[] mean = blockMean(full, 8 * x, 8 * y);
        int[] fromDct = rgb(dct.getRGB(x, y));
        int[] fromPick = rgb(picked.getRGB(x, y));
        // The JDK road takes the decoded pixel nearest each block's middle, exactly.
        assertEquals(full.getRGB(8 * x + 4, 8 * y + 4), picked.getRGB(x, y), "at " + x + "," + y);
        for (int c = 0; c < 3; c++) {
          dctError += Math.abs(fromDct[c] - mean[c]);
          pickedError += Math.abs(fromPick[c] - mean[c]);
        }
      }
    }
    dctError /= 64 * 64 * 3;
    pickedError /= 64 * 64 * 3;
    assertTrue(dctError < 2, "DCT-scaled pixels off the block means by " + dctError + "/255");
    assertTrue(pickedError > 4 * dctError, "picked " + pickedError + ", DCT " + dctError);
  }

  @Test
  void bytesAndFilesGiveTheSameReducedImage() throws Exception {
    Path photo = jpeg(photo(800, 600, 3), "photo.jpg", false);
    byte[] bytes = Files.readAllBytes(photo);
    for (ImageLoader loader : new ImageLoader[] {defaults, pureJava}) {
      assertArrayEquals(
          Preprocessor.toChw(loader.read(photo, S)),
          Preprocessor.toChw(loader.read(bytes, "photo", S)));
    }
  }

  @Test
  void imagesTooSmallToReduceDecodeExactlyAsBefore() throws Exception {
    Path small = jpeg(photo(120, 100, 4), "small.jpg", false);
    assertArrayEquals(
        Preprocessor.toChw(defaults.read(small)), Preprocessor.toChw(defaults.read(small, S)));
    assertEquals(120, defaults.read(small, S).getWidth());
    Path png = dir.resolve("big.png");
    ImageIO.write(photo(640, 480, 5), "png", png.toFile());
    assertEquals(640, defaults.read(png, S).getWidth(), "only JPEGs are reduced");
  }

  @Test
  void aProgressivePhotoIsReduced() throws Exception {
    BufferedImage image = photo(1024, 768, 6);
    Path progressive = jpeg(image, "progressive.jpg", true);
    float[] full = Preprocessor.toChw(defaults.read(progressive));
    for (ImageLoader loader : new ImageLoader[] {defaults, pureJava}) {
      BufferedImage reduced = loader.read(progressive, S);
      assertEquals(256, reduced.getWidth());
      assertCloseToFull(loader, full, Preprocessor.toChw(reduced));
    }
  }

  @Test
  void anArithmeticCodedJpegDecodesInFullAndReduced() throws Exception {
    // Made with libjpeg-turbo's `cjpeg -arithmetic -quality 90` (SOF9); Java writers cannot.
    Path file = dir.resolve("arithmetic.jpg");
    try (var in = getClass().getResourceAsStream("arithmetic-256x192.jpg")) {
      Files.copy(in, file);
    }
    byte[] bytes = Files.readAllBytes(file);
    boolean sof9 = false;
    for (int i = 0; i + 1 < bytes.length && !sof9; i++) {
      sof9 = (bytes[i] & 0xFF) == 0xFF && (bytes[i + 1] & 0xFF) == 0xC9;
    }
    assertTrue(sof9, "the sample is arithmetic-coded");
    BufferedImage full = defaults.read(file);
    assertEquals(256, full.getWidth());
    for (ImageLoader loader : new ImageLoader[] {defaults, pureJava}) {
      BufferedImage reduced = loader.read(file, 16); // 192/2 = 96 >= 4·16 > 192/4
      assertEquals(128, reduced.getWidth());
      assertCloseToFull(loader, Preprocessor.toChw(full), Preprocessor.toChw(reduced));
    }
  }

  @Test
  void exifOrientationTurnsTheReducedPhoto() throws Exception {
    byte[] plain = Files.readAllBytes(jpeg(photo(1024, 768, 7), "plain.jpg", false));
    Path turned =
        Files.write(dir.resolve("turned.jpg"), ExifOrientationTest.withExifOrientation(plain, 6));
    for (ImageLoader loader : new ImageLoader[] {defaults, pureJava}) {
      BufferedImage reduced = loader.read(turned, S);
      assertEquals(192, reduced.getWidth());
      assertEquals(256, reduced.getHeight());
    }
  }

  @Test
  void aCmykPhotoIsReducedByTheJdkRoadInSrgbColour() throws Exception {
    Path file = Files.write(dir.resolve("cmyk.jpg"), TestImages.adobeCyanJpeg(512, 384));
    BufferedImage reduced = defaults.read(file, S);
    assertEquals(256, reduced.getWidth()); // 384/2 = 192 >= 128 > 384/4
    float[] chw = Preprocessor.toChw(reduced);
    assertTrue(chw[0] < 0.2f && chw[S * S] > 0.6f && chw[2 * S * S] > 0.8f, "cyan");
  }

  @Test
  void aPhotoWithAnIccProfileIsConvertedToSrgbOnBothRoads() throws Exception {
    BufferedImage image = new BufferedImage(512, 512, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 512; y++) {
      for (int x = 0; x < 512; x++) {
        image.setRGB(x, y, (50 << 16) | (128 << 8) | 200);
      }
    }
    byte[] plain = Files.readAllBytes(jpeg(image, "plain.jpg", false));
    // In three chunks of at most 200 bytes, as large profiles are split over APP2 segments.
    byte[] segments =
        TestImages.iccSegments(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData(), 200);
    Path file = Files.write(dir.resolve("linear.jpg"), TestImages.afterSoi(plain, segments));
    assertEquals(JpegIcc.Kind.NONE, JpegIcc.of(ByteBuffer.wrap(plain)).kind);
    assertEquals(JpegIcc.Kind.PROFILE, JpegIcc.of(ByteBuffer.wrap(Files.readAllBytes(file))).kind);
    float[] srgb =
        ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB)
            .toRGB(new float[] {50 / 255f, 128 / 255f, 200 / 255f});
    for (ImageLoader loader : new ImageLoader[] {defaults, pureJava}) {
      float[] reduced = Preprocessor.toChw(loader.read(file, S));
      assertEquals(
          srgb[0], reduced[0], 0.03f, "red, converted from linear RGB, " + loader.usesNativeJpeg());
      assertEquals(srgb[1], reduced[S * S], 0.03f, "green");
      assertEquals(srgb[2], reduced[2 * S * S], 0.03f, "blue");
    }
    // A profile that cannot be parsed goes to the JDK road, whose readers cope with it.
    byte[] broken = segments.clone();
    Arrays.fill(broken, 20, 60, (byte) 0x55);
    Path damaged = Files.write(dir.resolve("broken-icc.jpg"), TestImages.afterSoi(plain, broken));
    assertEquals(
        JpegIcc.Kind.UNUSABLE, JpegIcc.of(ByteBuffer.wrap(Files.readAllBytes(damaged))).kind);
    assertEquals(128, defaults.read(damaged, S).getWidth()); // 512/4 = 4·S
  }

  @Test
  void aPhotoTaggedSrgbGivesTheSameInputAsAnUntaggedOne() throws Exception {
    byte[] plain = Files.readAllBytes(jpeg(photo(1024, 768, 10), "plain.jpg", false));
    byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
    Path tagged =
        Files.write(
            dir.resolve("srgb.jpg"),
            TestImages.afterSoi(plain, TestImages.iccSegments(icc, 60_000)));
    Path untagged = Files.write(dir.resolve("untagged.jpg"), plain);
    double max =
        maxAbs(
            Preprocessor.toChw(defaults.read(untagged, S)),
            Preprocessor.toChw(defaults.read(tagged, S)));
    assertTrue(max < 0.01, "sRGB-tagged vs untagged: max |delta| " + max);
  }

  @Test
  void aTruncatedPhotoIsRefusedOnBothRoads() throws Exception {
    byte[] jpeg = Files.readAllBytes(jpeg(photo(1024, 768, 8), "full.jpg", false));
    Path cut = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
    for (ImageLoader loader : new ImageLoader[] {defaults, pureJava}) {
      StnException e = assertThrows(StnException.class, () -> loader.read(cut, S));
      assertEquals(ErrorCode.INVALID_INPUT, e.code());
      assertTrue(e.getMessage().startsWith(cut + ": truncated"), e.getMessage());
    }
  }

  @Test
  void aHeaderClaimingGigapixelsIsRefusedBeforeDecodingOnBothRoads() throws Exception {
    byte[] jpeg = Files.readAllBytes(jpeg(photo(64, 64, 9), "small.jpg", false));
    ImageLoaderTest.patchJpegSize(jpeg, 60_000, 60_000);
    Path huge = Files.write(dir.resolve("huge.jpg"), jpeg);
    for (ImageLoader loader : new ImageLoader[] {defaults, pureJava}) {
      StnException e = assertThrows(StnException.class, () -> loader.read(huge, S));
      assertEquals(
          huge
              + ": JPEG image is 60000x60000 = 3,600,000,000 pixels, more than the limit of"
              + " 50,000,000 (not decoded)",
          e.getMessage());
    }
  }

  @Test
  void theSideIsChecked() {
    assertThrows(IllegalArgumentException.class, () -> defaults.read(dir, -1));
    assertThrows(IllegalArgumentException.class, () -> defaults.read(new byte[1], "x", 1025));
  }

  @Test
  void theNativeRoadIsUsedWhereTheLibraryIsPresentAndCanBeTurnedOff() {
    assertTrue(!pureJava.usesNativeJpeg());
    assertEquals(TurboJpeg.system() != null, defaults.usesNativeJpeg());
    assertTrue(
        ImageLoader.jpegDecoder().startsWith(defaults.usesNativeJpeg() ? "libjpeg-turbo" : "JDK"),
        ImageLoader.jpegDecoder());
  }

  /** Under CI the native road must be there (.ci/run installs libturbojpeg0); elsewhere, skip. */
  private void requireNative() {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    if (ci) {
      assertTrue(defaults.usesNativeJpeg(), ImageLoader.jpegDecoder());
    }
    assumeTrue(defaults.usesNativeJpeg(), ImageLoader.jpegDecoder());
  }

  /** A smooth colour gradient under fine grey texture: what makes reductions differ. */
  static BufferedImage photo(int w, int h, long seed) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Random random = new Random(seed);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int t = random.nextInt(61) - 30;
        int r = clamp(40 + 170 * x / w + t);
        int g = clamp(200 - 150 * y / h + t);
        int b = clamp(90 + 80 * (x + y) / (w + h) + t);
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return image;
  }

  private Path jpeg(BufferedImage image, String name, boolean progressive) throws IOException {
    Path file = dir.resolve(name);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(0.9f);
    if (progressive) {
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    }
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return file;
  }

  private static int[] blockMean(BufferedImage image, int x0, int y0) {
    int[] sum = new int[3];
    for (int y = y0; y < y0 + 8; y++) {
      for (int x = x0; x < x0 + 8; x++) {
        int[] c = rgb(image.getRGB(x, y));
        for (int k = 0; k < 3; k++) {
          sum[k] += c[k];
        }
      }
    }
    return new int[] {Math.round(sum[0] / 64f), Math.round(sum[1] / 64f), Math.round(sum[2] / 64f)};
  }

  private static int[] rgb(int argb) {
    return new int[] {(argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF};
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  /**
   * DCT scaling averages every pixel, so the native road stays within rounding of the full decode
   * (measured max 0.0023 on these images); the JDK road's subsampling aliases the per-pixel noise
   * of {@link #photo} (measured mean 0.009-0.016, max 0.040-0.080), the worst case for it.
   */
  private static void assertCloseToFull(ImageLoader loader, float[] full, float[] reduced) {
    double max = maxAbs(full, reduced);
    double mean = meanAbs(full, reduced);
    if (loader.usesNativeJpeg()) {
      assertTrue(max < 0.01, "native road: max |delta| " + max);
    } else {
      assertTrue(mean < 0.03 && max < 0.12, "JDK road: mean |delta| " + mean + ", max " + max);
    }
  }

  private static double meanAbs(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m += Math.abs(a[i] - b[i]);
    }
    return m / a.length;
  }

  private static double maxAbs(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
