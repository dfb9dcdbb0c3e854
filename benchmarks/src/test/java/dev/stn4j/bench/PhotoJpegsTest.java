package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.image.ImageLoader;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decode benchmark's generated photos: the asked size, repeatable, with a photo's entropy. */
class PhotoJpegsTest {
  @TempDir Path dir;

  @Test
  void writesARepeatableJpegOfTheAskedSizeWithGrain() throws Exception {
    float[] chw = new float[3 * 8 * 8];
    Random random = new Random(1);
    for (int i = 0; i < chw.length; i++) {
      chw[i] = random.nextFloat();
    }
    Path a = PhotoJpegs.write(dir.resolve("a.jpg"), 400, 300, chw, 8, 5);
    Path b = PhotoJpegs.write(dir.resolve("b.jpg"), 400, 300, chw, 8, 5);
    Path other = PhotoJpegs.write(dir.resolve("c.jpg"), 400, 300, chw, 8, 6);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    assertFalse(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(other)));
    BufferedImage image = ImageLoader.defaults().read(a);
    assertEquals(400, image.getWidth());
    assertEquals(300, image.getHeight());
    // Grain makes neighbours differ as in a photo; a smooth enlargement alone compresses to
    // well under 0.5 bits per pixel at quality 0.9.
    assertTrue(Files.size(a) * 8.0 / (400 * 300) > 1.5, "bits per pixel of " + Files.size(a));
  }

  @Test
  void aPhotoParameterIsASizeOrAFile() {
    assertArrayEquals(new int[] {4000, 3000}, PhotoDecodeBenchmark.parseSize("4000x3000"));
    assertNull(PhotoDecodeBenchmark.parseSize("runs/photos/12mp/photo-0000.jpg"));
    assertNull(PhotoDecodeBenchmark.parseSize("0x480"));
  }
}
