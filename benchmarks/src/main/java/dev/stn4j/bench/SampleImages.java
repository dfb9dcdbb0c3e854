package dev.stn4j.bench;

import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.internal.Checkout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A model's benchmark inputs, cut into batches ahead of time so that building inputs is not part of
 * what is timed: the sample set (the first 1,000 CIFAR-10 test images) for 32×32 models without
 * images of their own, else the model's embedded sample images, else random images at its size.
 *
 * <pre>{@code
 * SampleImages images = SampleImages.load(Path.of("."));
 * List<SampleImages.Batch> batches = images.batches(64); // 15 distinct batches of 64 images
 * SampleImages mine = SampleImages.forModel(ModelShape.read(model), root);
 * }</pre>
 */
public final class SampleImages {
  /** Relative to the repository root. */
  public static final String SAMPLE_SET = Checkout.SAMPLE_SET;

  /** Seed of the random images of a model without sample images, so runs are repeatable. */
  static final long RANDOM_SEED = 27;

  private final List<float[]> images;
  private final int imageSize;
  private final String description;

  private SampleImages(List<float[]> images, int imageSize, String description) {
    this.images = images;
    this.imageSize = imageSize;
    this.description = description;
  }

  /**
   * The inputs for a model of {@code shape}: its embedded sample images if it has them; else, for a
   * 32×32 model, the sample set under {@code root} (the CIFAR-10 models' inputs, as always); else
   * random images in [0,1] at its size, as many as a model embeds at that size (at most 100, about
   * 1 MiB of pixels). Batches repeat them to the batch size.
   *
   * @throws IOException when the sample set is needed and missing
   */
  static SampleImages forModel(ModelShape shape, Path root) throws IOException {
    int s = shape.imageSize();
    if (!shape.embeddedImages().isEmpty()) {
      return new SampleImages(
          shape.embeddedImages(),
          s,
          String.format(
              Locale.ROOT,
              "%d embedded sample images (%dx%d)",
              shape.embeddedImages().size(),
              s,
              s));
    }
    if (s == ModelShape.CIFAR_SIZE) {
      return load(root);
    }
    int count = Math.min(100, Math.max(1, 1_048_576 / shape.imageValues()));
    Random random = new Random(RANDOM_SEED);
    List<float[]> images = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      float[] chw = new float[shape.imageValues()];
      for (int v = 0; v < chw.length; v++) {
        chw[v] = random.nextFloat();
      }
      images.add(chw);
    }
    return new SampleImages(
        List.copyOf(images),
        s,
        String.format(
            Locale.ROOT,
            "%d random images (%dx%d; the model embeds no sample images)",
            count,
            s,
            s));
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
    return new SampleImages(
        List.copyOf(images), ModelShape.CIFAR_SIZE, images.size() + " sample images");
  }

  /** Side S of every image. */
  public int imageSize() {
    return imageSize;
  }

  /** What the images are, e.g. {@code 1000 sample images} or {@code 3 embedded sample images}. */
  public String description() {
    return description;
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
      int values = 3 * imageSize * imageSize;
      float[] flat = new float[batchSize * values];
      for (int i = 0; i < batchSize; i++) {
        float[] image = images.get((b * batchSize + i) % images.size());
        list.add(image);
        System.arraycopy(image, 0, flat, i * values, values);
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
