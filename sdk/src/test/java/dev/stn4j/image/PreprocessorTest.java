package dev.stn4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.twelvemonkeys.imageio.color.ColorSpaces;
import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PreprocessorTest {
  private static final int PLANE = 32 * 32;

  @ParameterizedTest
  @ValueSource(
      ints = {
        BufferedImage.TYPE_3BYTE_BGR,
        BufferedImage.TYPE_INT_RGB,
        BufferedImage.TYPE_INT_BGR,
        BufferedImage.TYPE_INT_ARGB,
        BufferedImage.TYPE_4BYTE_ABGR
      })
  void a32x32RecordRoundTripsToExactlyTheFloatsOfCopyImage(int type) throws Exception {
    CifarBatch sample = TestImages.sampleSet();
    for (int i = 0; i < 20; i++) {
      float[] expected = sample.image(i);
      float[] got = Preprocessor.toChw(TestImages.render(sample, i, type));
      assertArrayEquals(expected, got, "record " + i + " as image type " + type);
    }
  }

  @Test
  void writesIntoABatchAtTheOffsetOnly() throws Exception {
    CifarBatch sample = TestImages.sampleSet();
    float[] batch = new float[3 * Cifar10.IMAGE_VALUES];
    Arrays.fill(batch, -7f);
    Preprocessor.toChw(
        TestImages.render(sample, 2, BufferedImage.TYPE_3BYTE_BGR), batch, Cifar10.IMAGE_VALUES);
    assertEquals(-7f, batch[Cifar10.IMAGE_VALUES - 1]);
    assertEquals(-7f, batch[2 * Cifar10.IMAGE_VALUES]);
    assertArrayEquals(
        sample.image(2), Arrays.copyOfRange(batch, Cifar10.IMAGE_VALUES, 2 * Cifar10.IMAGE_VALUES));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> Preprocessor.toChw(new BufferedImage(32, 32, 1), new float[3072], 1));
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        BufferedImage.TYPE_3BYTE_BGR,
        BufferedImage.TYPE_INT_ARGB,
        BufferedImage.TYPE_BYTE_GRAY,
        BufferedImage.TYPE_USHORT_565_RGB
      })
  void aSubimageReadsOnlyItsOwnPixels(int type) throws Exception {
    CifarBatch sample = TestImages.sampleSet();
    BufferedImage big = new BufferedImage(50, 40, type);
    big.getGraphics()
        .drawImage(TestImages.render(sample, 1, BufferedImage.TYPE_INT_RGB), 7, 5, null);
    BufferedImage copy = new BufferedImage(32, 32, type);
    copy.getGraphics().drawImage(big.getSubimage(7, 5, 32, 32), 0, 0, null);
    assertArrayEquals(Preprocessor.toChw(copy), Preprocessor.toChw(big.getSubimage(7, 5, 32, 32)));
  }

  @Test
  void aWideImageIsCentreCroppedToItsMiddleSquare() {
    // 96×32: red, green, blue thirds; the centre square is the green one.
    BufferedImage image = new BufferedImage(96, 32, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 96; x++) {
        image.setRGB(x, y, x < 32 ? 0xFF0000 : x < 64 ? 0x00FF00 : 0x0000FF);
      }
    }
    float[] chw = Preprocessor.toChw(image);
    assertPlane(chw, 0, 0f);
    assertPlane(chw, 1, 1f);
    assertPlane(chw, 2, 0f);
  }

  @Test
  void shrinkingAveragesTheAreaEachOutputPixelCovers() {
    // 64×64 of 2×2 blocks with values 0, 60, 120, 180: each output pixel is their mean.
    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster r = image.getRaster();
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        r.setSample(x, y, 0, 60 * ((x % 2) + 2 * (y % 2)));
      }
    }
    float[] chw = Preprocessor.toChw(image);
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < PLANE; i++) {
        assertEquals(90f / 255f, chw[c * PLANE + i], 1e-6f);
      }
    }
  }

  @Test
  void shrinkingByAFractionalFactorKeepsAConstantImageConstant() {
    BufferedImage image = new BufferedImage(45, 45, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 45; y++) {
      for (int x = 0; x < 45; x++) {
        image.setRGB(x, y, 0x336699);
      }
    }
    float[] chw = Preprocessor.toChw(image);
    assertPlane(chw, 0, 0x33 / 255f);
    assertPlane(chw, 1, 0x66 / 255f);
    assertPlane(chw, 2, 0x99 / 255f);
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 28, 64, 224})
  void anySizeAveragesCopiesOrEnlargesToItsOwnSide(int size) {
    Preprocessor p = Preprocessor.ofSize(size);
    assertEquals(size, p.size());
    assertEquals(3 * size * size, p.imageValues());
    // A 4-pixel-period grey pattern: shrinking a 2S square by 2 averages each 2×2 block exactly.
    BufferedImage twice = new BufferedImage(2 * size, 2 * size, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 2 * size; y++) {
      for (int x = 0; x < 2 * size; x++) {
        twice.getRaster().setSample(x, y, 0, 60 * ((x % 2) + 2 * (y % 2)));
      }
    }
    float[] shrunk = p.chw(twice);
    assertEquals(3 * size * size, shrunk.length);
    for (float v : shrunk) {
      assertEquals(90f / 255f, v, 1e-6f);
    }
    // Exactly S: copied as v/255; the bottom-right pixel lands last in the blue plane.
    BufferedImage exact = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    exact.setRGB(size - 1, size - 1, 0x102030);
    float[] copied = p.chw(exact);
    assertEquals(0x30 * (1f / 255f), copied[copied.length - 1]);
    assertEquals(0f, copied[copied.length - 2]);
  }

  @Test
  void sizesOutsideTheRangeAreRefusedNamingTheRange() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Preprocessor.ofSize(0));
    assertEquals("image size must be 1..1024, got 0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Preprocessor.ofSize(1025));
  }

  @Test
  void enlargingIsBilinearWithClampedEdges() {
    // 16×16 horizontal ramp 0..15: output x maps to source (x + 0.5) / 2 - 0.5.
    BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        image.getRaster().setSample(x, y, 0, x * 10);
      }
    }
    float[] chw = Preprocessor.toChw(image);
    for (int x = 0; x < 32; x++) {
      double s = Math.max(0, Math.min(15, (x + 0.5) / 2 - 0.5));
      assertEquals(s * 10 / 255, chw[5 * 32 + x], 1e-6, "x " + x);
    }
    BufferedImage one = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    one.setRGB(0, 0, 0x804020);
    float[] single = Preprocessor.toChw(one);
    assertPlane(single, 0, 0x80 / 255f);
    assertPlane(single, 2, 0x20 / 255f);
  }

  @Test
  void greyIsTakenAsDisplayGreyNotBrightenedAsLinear() {
    BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
    fillBand(image.getRaster(), 0, 100);
    float[] chw = Preprocessor.toChw(image);
    for (int c = 0; c < 3; c++) {
      assertPlane(chw, c, 100f / 255f);
    }
  }

  @Test
  void sixteenBitSamplesAreScaledBy65535() {
    BufferedImage grey = new BufferedImage(32, 32, BufferedImage.TYPE_USHORT_GRAY);
    fillBand(grey.getRaster(), 0, 65535);
    assertPlane(Preprocessor.toChw(grey), 1, 1f);

    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(40, 40);
    fillBand(raster, 0, 65535);
    fillBand(raster, 1, 32768);
    fillBand(raster, 2, 0);
    fillBand(raster, 3, 65535);
    float[] chw = Preprocessor.toChw(new BufferedImage(cm, raster, false, null));
    assertPlane(chw, 0, 1f);
    assertPlane(chw, 1, 32768f / 65535f);
    assertPlane(chw, 2, 0f);
  }

  @Test
  void transparencyIsCompositedOnWhite() {
    BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        image.setRGB(x, y, x < 16 ? 0x00000000 : 0x80FF0000);
      }
    }
    float[] chw = Preprocessor.toChw(image);
    float a = 0x80 / 255f;
    assertEquals(1f, chw[0], 1e-6f, "transparent black shows white");
    assertEquals(1f, chw[2 * PLANE], 1e-6f);
    assertEquals(1f, chw[31], 1e-6f, "half-transparent red: red stays full");
    assertEquals(1 - a, chw[PLANE + 31], 1e-6f, "green is the white showing through");

    BufferedImage pre = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB_PRE);
    pre.getGraphics().drawImage(image, 0, 0, null);
    assertArrayEquals(chw, Preprocessor.toChw(pre), 2f / 255f);
  }

  @Test
  void greyWithAlphaAndPaletteImagesConvert() {
    ComponentColorModel ga =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_BYTE);
    WritableRaster raster = ga.createCompatibleWritableRaster(32, 32);
    fillBand(raster, 0, 0);
    fillBand(raster, 1, 0);
    assertPlane(Preprocessor.toChw(new BufferedImage(ga, raster, false, null)), 0, 1f);

    byte[] red = {(byte) 255, 0};
    byte[] green = {0, (byte) 200};
    byte[] blue = {0, 10};
    IndexColorModel palette = new IndexColorModel(1, 2, red, green, blue);
    BufferedImage indexed = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_BINARY, palette);
    fillBand(indexed.getRaster(), 0, 1);
    float[] chw = Preprocessor.toChw(indexed);
    assertPlane(chw, 0, 0f);
    assertPlane(chw, 1, 200f / 255f);
    assertPlane(chw, 2, 10f / 255f);
  }

  @Test
  void cmykIsConvertedToSrgbColourManaged() {
    ColorSpace cmyk = ColorSpaces.getColorSpace(ColorSpaces.CS_GENERIC_CMYK);
    ComponentColorModel cm =
        new ComponentColorModel(cmyk, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    WritableRaster raster = cm.createCompatibleWritableRaster(32, 32);
    // Pure cyan ink: red low, green and blue high.
    fillBand(raster, 0, 255);
    float[] chw = Preprocessor.toChw(new BufferedImage(cm, raster, false, null));
    float r = chw[0];
    float g = chw[PLANE];
    float b = chw[2 * PLANE];
    assertEquals(true, r < 0.3f && g > 0.5f && b > 0.8f, "cyan, got " + r + " " + g + " " + b);
  }

  private static void fillBand(WritableRaster raster, int band, int value) {
    for (int y = 0; y < raster.getHeight(); y++) {
      for (int x = 0; x < raster.getWidth(); x++) {
        raster.setSample(x, y, band, value);
      }
    }
  }

  private static void assertPlane(float[] chw, int channel, float expected) {
    for (int i = 0; i < PLANE; i++) {
      assertEquals(expected, chw[channel * PLANE + i], 1e-6f, "channel " + channel + " at " + i);
    }
  }
}
