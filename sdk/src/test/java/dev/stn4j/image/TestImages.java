package dev.stn4j.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.RepositoryRoot;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
