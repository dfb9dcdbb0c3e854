package dev.stn4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.stn4j.train.model.StnModel;
import dev.stn4j.train.model.StnParameter;
import java.util.EnumMap;
import java.util.Map;

/**
 * Momentum SGD with weight decay, PyTorch's formulation ({@code buf = m·buf + g + wd·p; p -=
 * lr·buf}), with the localization network at its own rate. Written by hand because DJL's optimizers
 * give every parameter the same rate. Owns its momentum buffers until {@link #close()}.
 */
final class Sgd implements AutoCloseable {
  private final StnModel model;
  private final NDManager manager;
  private final EnumMap<StnParameter, NDArray> momentum;
  private final float momentumFactor;
  private final float weightDecay;
  private final float locFactor;

  Sgd(NDManager parent, StnModel model, TrainSettings settings, Map<StnParameter, float[]> state) {
    this.model = model;
    this.manager = parent.newSubManager();
    this.momentumFactor = (float) settings.momentum();
    this.weightDecay = (float) settings.weightDecay();
    this.locFactor = (float) settings.locLrFactor();
    this.momentum = new EnumMap<>(StnParameter.class);
    for (StnParameter p : model.architecture().parameters()) {
      Shape shape = new Shape(p.shape(model.shape()));
      float[] values = state == null ? null : state.get(p);
      momentum.put(
          p,
          values == null
              ? manager.zeros(shape)
              : StnModel.engineOwned(manager.create(values, shape)));
      model.parameter(p).setRequiresGradient(true);
    }
  }

  /** One update from the gradients of the last backward pass, which it then clears. */
  void step(double learningRate) {
    for (StnParameter p : model.architecture().parameters()) {
      NDArray weight = model.parameter(p);
      NDArray buffer = momentum.get(p);
      float lr = (float) (p.isLocalization() ? learningRate * locFactor : learningRate);
      // Temporaries live in a scope of their own so nothing accumulates in the model's manager.
      try (NDManager scope = manager.newSubManager()) {
        NDArray gradient = weight.getGradient();
        gradient.attach(scope);
        NDArray decay = weight.mul(weightDecay);
        decay.attach(scope);
        buffer.muli(momentumFactor).addi(gradient).addi(decay);
        NDArray update = buffer.mul(lr);
        update.attach(scope);
        weight.subi(update);
        JniUtils.zeroGrad((PtNDArray) weight);
      }
    }
  }

  /**
   * Whether every gradient of the last backward pass is finite: one sum over them all, since NaN
   * and infinities survive a sum.
   */
  boolean gradientsFinite() {
    try (NDManager scope = manager.newSubManager()) {
      NDArray total = null;
      for (StnParameter p : model.architecture().parameters()) {
        NDArray gradient = model.parameter(p).getGradient();
        gradient.attach(scope);
        NDArray sum = gradient.sum();
        total = total == null ? sum : total.add(sum);
      }
      return Float.isFinite(total.getFloat());
    }
  }

  /** A copy of the momentum buffers, for checkpoints. */
  Map<StnParameter, float[]> state() {
    Map<StnParameter, float[]> copy = new EnumMap<>(StnParameter.class);
    momentum.forEach((p, a) -> copy.put(p, a.toFloatArray()));
    return copy;
  }

  @Override
  public void close() {
    manager.close();
  }
}
