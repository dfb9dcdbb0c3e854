package dev.stn4j.train.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Utils;

/**
 * Run in a fresh JVM by {@link OfflineEngineTest}: starts the PyTorch engine and runs the model
 * once, then prints the engine cache directory it used.
 */
final class OfflineEngineProbe {
  private OfflineEngineProbe() {}

  public static void main(String[] args) {
    Engine engine = Engine.getEngine("PyTorch");
    try (NDManager manager = engine.newBaseManager();
        StnModel model = StnModel.create(manager, StnWeights.initial(StnShape.CIFAR10, 1))) {
      float[] p =
          model
              .forward(manager.ones(new Shape(2, 3, 32, 32)), false)
              .probabilities()
              .toFloatArray();
      System.out.println("probabilities " + p.length);
    }
    System.out.println("engine " + engine.getEngineName() + " " + engine.getVersion());
    System.out.println("cache " + Utils.getEngineCacheDir());
  }
}
