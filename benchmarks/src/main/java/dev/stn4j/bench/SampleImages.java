package dev.stn4j.bench;

import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.internal.Checkout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample set (the first 1,000 CIFAR-10 test images) as model inputs, cut into batches ahead of
 * time so that building inputs is not part of what is timed.
 *
 * <pre>{@code
 * SampleImages images = SampleImages.load(Path.of("."));
 * List<SampleImages.Batch> batches = images.batches(64); // 15 distinct batches of 64 images
 * }</pre>
 */
public final class SampleImages {
  /** Relative to the repository root. */
  public static final String SAMPLE_SET = Checkout.SAMPLE_SET;

  private final List<float[]> images;

  private SampleImages(List<float[]> images) {
    this.images = images;
  }

  /**
   * Reads the sample set under a repository root.
   *
   * @throws IOException naming the file when it is missing or not CIFAR-10 records
   */
  public static SampleImages load(Path root) throws IOException {
    Path file = root.resolve(SAMPLE_SET);
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          file + ": sample set not found (run from the repository root or pass --root)");
    }
    CifarBatch batch = CifarBatch.read(file);
    List<float[]> images = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      images.add(batch.image(i));
    }
    return new SampleImages(List.copyOf(images));
  }

  /** Number of images (1,000 for the sample set). */
  public int size() {
    return images.size();
  }

  /** Image {@code index} as CHW floats in [0,1]; shared, do not modify. */
  public float[] image(int index) {
    return images.get(index);
  }

  /**
   * Consecutive batches of {@code batchSize} images, wrapping around the end of the set: as many as
   * fit into the set without repeating a batch (at least one).
   */
  public List<Batch> batches(int batchSize) {
    int count = Math.max(1, images.size() / batchSize);
    List<Batch> out = new ArrayList<>(count);
    for (int b = 0; b < count; b++) {
      List<float[]> list = new ArrayList<>(batchSize);
      float[] flat = new float[batchSize * Cifar10.IMAGE_VALUES];
      for (int i = 0; i < batchSize; i++) {
        float[] image = images.get((b * batchSize + i) % images.size());
        list.add(image);
        System.arraycopy(image, 0, flat, i * Cifar10.IMAGE_VALUES, Cifar10.IMAGE_VALUES);
      }
      out.add(new Batch(List.copyOf(list), flat));
    }
    return List.copyOf(out);
  }

  /**
   * One batch in the two layouts runtimes take: a list of CHW images (the SDK) and one flat NCHW
   * array (tensor APIs). Shared, do not modify.
   */
  public record Batch(List<float[]> images, float[] flat) {
    public int size() {
      return images.size();
    }
  }
}
