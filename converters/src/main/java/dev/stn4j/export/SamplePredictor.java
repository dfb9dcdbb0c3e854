package dev.stn4j.export;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.internal.ArgMax;
import dev.stn4j.train.model.StnModel;
import dev.stn4j.train.model.StnWeights;

/**
 * The trainer's answers: the class the DJL model (the network as trained) predicts for each image
 * of a batch, recorded in the exported model so every runtime can be checked against them.
 */
final class SamplePredictor {
  private static final int CHUNK = 250;

  private SamplePredictor() {}

  /** Arg-max class of {@code StnModel.forward(images, training=false)} for every record. */
  static int[] predictClasses(StnWeights weights, CifarBatch batch) {
    int[] classes = new int[batch.size()];
    try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
        StnModel model = StnModel.create(manager, weights)) {
      for (int from = 0; from < batch.size(); from += CHUNK) {
        int n = Math.min(CHUNK, batch.size() - from);
        float[] chw = new float[n * Cifar10.IMAGE_VALUES];
        for (int i = 0; i < n; i++) {
          batch.copyImage(from + i, chw, i * Cifar10.IMAGE_VALUES);
        }
        try (NDManager step = manager.newSubManager()) {
          NDArray images = step.create(chw, new Shape(n, 3, 32, 32));
          float[] p = model.forward(images, false).probabilities().toFloatArray();
          for (int i = 0; i < n; i++) {
            classes[from + i] = ArgMax.of(p, i * Cifar10.NUM_CLASSES, Cifar10.NUM_CLASSES);
          }
        }
      }
    }
    return classes;
  }
}
