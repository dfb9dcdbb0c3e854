package dev.stn4j.export;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stn4j.sdk.internal.ArgMax;
import dev.stn4j.train.data.TrainingImages;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnModel;
import dev.stn4j.train.model.StnWeights;

/**
 * The trainer's answers: the class the DJL model (the network as trained) predicts for each image
 * of a set, recorded in the exported model so every runtime can be checked against them.
 */
final class SamplePredictor {
  private static final int CHUNK = 250;

  private SamplePredictor() {}

  /**
   * Arg-max class (ties to the lower index) of {@code StnModel.forward(images, training=false)} for
   * every image.
   *
   * @throws IllegalArgumentException if the images are not of the weights' size
   */
  static int[] predictClasses(
      StnWeights weights, Normalization normalization, TrainingImages images) {
    int k = weights.shape().classes();
    float[] p = probabilities(weights, normalization, images);
    int[] classes = new int[images.size()];
    for (int i = 0; i < classes.length; i++) {
      classes[i] = ArgMax.of(p, i * k, k);
    }
    return classes;
  }

  /**
   * {@code StnModel.forward(images, training=false)}'s probabilities, K per image in image order.
   *
   * @throws IllegalArgumentException if the images are not of the weights' size
   */
  static float[] probabilities(
      StnWeights weights, Normalization normalization, TrainingImages images) {
    int s = weights.shape().imageSize();
    int k = weights.shape().classes();
    if (images.imageSize() != s) {
      throw new IllegalArgumentException(
          "sample images are "
              + images.imageSize()
              + "x"
              + images.imageSize()
              + ", the model takes "
              + s
              + "x"
              + s);
    }
    float[] probabilities = new float[images.size() * k];
    try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
        StnModel model = StnModel.create(manager, weights, normalization)) {
      for (int from = 0; from < images.size(); from += CHUNK) {
        int n = Math.min(CHUNK, images.size() - from);
        try (NDManager step = manager.newSubManager()) {
          NDArray x = step.create(images.chw(from, n), new Shape(n, 3, s, s));
          float[] p = model.forward(x, false).probabilities().toFloatArray();
          System.arraycopy(p, 0, probabilities, from * k, n * k);
        }
      }
    }
    return probabilities;
  }
}
