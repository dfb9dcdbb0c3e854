package dev.stn4j.sdk;

import java.util.Arrays;
import java.util.Objects;

/**
 * The sample images a model of contract version 2 carries in its metadata ({@code
 * stn4j.sample_pixels}), with their labels and the trainer's answers on them: what {@link
 * StnClassifier} checks itself against when it is built. Immutable: arrays are copied in and out.
 *
 * <pre>{@code
 * SampleSet samples = classifier.modelInfo().sampleSet().orElseThrow();
 * Prediction p = classifier.predict(samples.image(0));
 * System.out.println(p.classIndex() + " vs recorded " + samples.predicted()[0]);
 * }</pre>
 *
 * @param imageSize S: each image is 3×S×S
 * @param labels each image's true class index, in record order
 * @param predicted the trainer's arg-max class for each image (ties to the lower index)
 * @param images every image's model input, record after record, channel-major, {@code byte/255}
 */
public record SampleSet(int imageSize, int[] labels, int[] predicted, float[] images) {
  /** Checks that the arrays agree on the number of images, and copies them. */
  public SampleSet {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(predicted, "predicted");
    Objects.requireNonNull(images, "images");
    if (imageSize < 1) {
      throw new IllegalArgumentException("imageSize must be positive, got " + imageSize);
    }
    long values = (long) labels.length * 3 * imageSize * imageSize;
    if (predicted.length != labels.length || images.length != values) {
      throw new IllegalArgumentException(
          String.format(
              "%d labels, %d predictions and %d values do not make images of 3x%dx%d",
              labels.length, predicted.length, images.length, imageSize, imageSize));
    }
    labels = labels.clone();
    predicted = predicted.clone();
    images = images.clone();
  }

  /** Number of images N. */
  public int size() {
    return labels.length;
  }

  /** A copy of image {@code i}: 3×S×S floats, channel-major, in [0,1]. */
  public float[] image(int i) {
    Objects.checkIndex(i, labels.length);
    int n = 3 * imageSize * imageSize;
    return Arrays.copyOfRange(images, i * n, (i + 1) * n);
  }

  /** A copy of the labels. */
  @Override
  public int[] labels() {
    return labels.clone();
  }

  /** A copy of the recorded answers. */
  @Override
  public int[] predicted() {
    return predicted.clone();
  }

  /** A copy of all images' values. */
  @Override
  public float[] images() {
    return images.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SampleSet s
        && imageSize == s.imageSize
        && Arrays.equals(labels, s.labels)
        && Arrays.equals(predicted, s.predicted)
        && Arrays.equals(images, s.images);
  }

  @Override
  public int hashCode() {
    return Objects.hash(imageSize, Arrays.hashCode(labels), Arrays.hashCode(predicted));
  }

  @Override
  public String toString() {
    return "SampleSet[" + labels.length + " images of 3x" + imageSize + "x" + imageSize + "]";
  }
}
