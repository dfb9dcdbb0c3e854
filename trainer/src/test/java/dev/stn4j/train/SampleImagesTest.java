package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SampleImagesTest {
  @Test
  void limitIsAHundredImagesOrAboutOneMebibyte() {
    assertEquals(100, SampleImages.limit(32)); // 341 would fit
    assertEquals(100, SampleImages.limit(59)); // 3*59*59 = 10,443: 100 fit
    assertEquals(97, SampleImages.limit(60)); // 3*60*60 = 10,800
    assertEquals(85, SampleImages.limit(64)); // 1,048,576 / 12,288
    assertEquals(6, SampleImages.limit(224)); // 1,048,576 / 150,528
    assertEquals(1, SampleImages.limit(1024)); // one image even past 1 MiB
    assertThrows(IllegalArgumentException.class, () -> SampleImages.limit(0));
  }

  @Test
  void imagesAreChannelMajorBytesOver255() {
    int s = 20;
    byte[] pixels = new byte[2 * 3 * s * s];
    pixels[0] = (byte) 255;
    pixels[3 * s * s] = (byte) 128; // image 1, R plane, top left
    pixels[3 * s * s + 2 * s * s + s * s - 1] = 1; // image 1, B plane, bottom right
    SampleImages samples = new SampleImages(s, new int[] {4, 0}, pixels);
    assertEquals(2, samples.count());
    assertEquals(1f, samples.image(0)[0]);
    float[] one = samples.image(1);
    assertEquals(3 * s * s, one.length);
    assertEquals(128 / 255f, one[0]);
    assertEquals(1 / 255f, one[3 * s * s - 1]);
    assertEquals(0f, one[1]);
    assertThrows(IndexOutOfBoundsException.class, () -> samples.image(2));
  }

  @Test
  void copiesInAndOutAndComparesByContent() {
    int[] labels = {1, 2};
    byte[] pixels = new byte[2 * 3 * 18 * 18];
    SampleImages a = new SampleImages(18, labels, pixels);
    labels[0] = 7;
    pixels[0] = 7;
    a.labels()[1] = 7;
    a.pixels()[1] = 7;
    assertArrayEquals(new int[] {1, 2}, a.labels());
    assertEquals(0, a.pixels()[0]);
    assertEquals(new SampleImages(18, new int[] {1, 2}, new byte[2 * 3 * 18 * 18]), a);
  }

  @Test
  void refusesInconsistentInput() {
    assertEquals(
        "sample images: 100 pixel bytes, expected 972 for 1 images of 3x18x18",
        assertThrows(
                IllegalArgumentException.class,
                () -> new SampleImages(18, new int[] {0}, new byte[100]))
            .getMessage());
    assertEquals(
        "sample images: label -1 of image 0 is negative",
        assertThrows(
                IllegalArgumentException.class,
                () -> new SampleImages(18, new int[] {-1}, new byte[972]))
            .getMessage());
    assertEquals(
        "sample images: 0 images of 18x18, expected 1 to 100",
        assertThrows(
                IllegalArgumentException.class, () -> new SampleImages(18, new int[0], new byte[0]))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new SampleImages(1024, new int[2], new byte[2 * 3 * 1024 * 1024]));
  }
}
