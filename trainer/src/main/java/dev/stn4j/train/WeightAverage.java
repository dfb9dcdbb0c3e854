package dev.stn4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stn4j.train.model.Architecture;
import dev.stn4j.train.model.StnModel;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.util.EnumMap;
import java.util.Map;

/**
 * An exponential moving average of the model's weights, updated after every optimizer step: {@code
 * a ← d·a + (1−d)·w}, starting from the weights it is given. Small networks trained with a decaying
 * rate generalise slightly better from the average than from the last weights; the trainer
 * evaluates and exports the average. Owns its arrays until {@link #close()}.
 */
final class WeightAverage implements AutoCloseable {
  private final NDManager manager;
  private final EnumMap<StnParameter, NDArray> average;
  private final float decay;
  private final StnShape shape;
  private final Architecture architecture;

  WeightAverage(NDManager parent, StnWeights start, double decay) {
    this.manager = parent.newSubManager();
    this.decay = (float) decay;
    this.shape = start.shape();
    this.architecture = start.architecture();
    this.average = new EnumMap<>(StnParameter.class);
    for (StnParameter p : architecture.parameters()) {
      average.put(
          p, StnModel.engineOwned(manager.create(start.get(p), new Shape(p.shape(start.shape())))));
    }
  }

  /** Moves the average towards the model's current weights. */
  void update(StnModel model) {
    for (StnParameter p : architecture.parameters()) {
      try (NDManager scope = manager.newSubManager()) {
        NDArray part = model.parameter(p).mul(1f - decay);
        part.attach(scope);
        average.get(p).muli(decay).addi(part);
      }
    }
  }

  /** A copy of the average. */
  StnWeights weights() {
    Map<StnParameter, float[]> values = new EnumMap<>(StnParameter.class);
    average.forEach((p, a) -> values.put(p, a.toFloatArray()));
    return StnWeights.of(architecture, shape, values);
  }

  @Override
  public void close() {
    manager.close();
  }
}
