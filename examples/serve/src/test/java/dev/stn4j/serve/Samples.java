package dev.stn4j.serve;

import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The repository's 1,000 sample images (data/sample-set) as CHW arrays. */
final class Samples {
  private Samples() {}

  static Path root() {
    return Path.of(System.getProperty("stn4j.root", "../..")).toAbsolutePath().normalize();
  }

  static List<float[]> images(int count) {
    try {
      CifarBatch batch =
          CifarBatch.read(root().resolve("data/sample-set/test_batch_first1000.bin")).head(count);
      List<float[]> images = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        float[] chw = new float[Cifar10.IMAGE_VALUES];
        batch.copyImage(i, chw, 0);
        images.add(chw);
      }
      return images;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
