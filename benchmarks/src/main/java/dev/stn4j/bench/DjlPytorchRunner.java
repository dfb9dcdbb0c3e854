package dev.stn4j.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.stn4j.export.OnnxInitializers;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnModel;
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;

/**
 * DJL's PyTorch engine running the trainer's {@code StnModel} eagerly, with the weights read from
 * the same {@code .onnx}. Like the ONNX runtimes, it returns the warped image in [0,1] RGB, so each
 * call does the same work a user needs.
 */
final class DjlPytorchRunner extends SampleRunner {
  private final NDManager manager;
  private final StnModel model;
  private final Shape shape;
  private final NDArray mean;
  private final NDArray std;

  DjlPytorchRunner(RunSpec spec, SampleImages images) throws IOException, UnavailableException {
    super(spec, images);
    if (spec.provider() != ProviderKind.CPU) {
      throw new UnavailableException(
          "djl-pytorch on " + spec.provider() + ": the benchmarks bundle PyTorch's CPU build only");
    }
    StnWeights weights;
    try {
      weights = OnnxInitializers.stnWeights(spec.model());
    } catch (IOException e) {
      // An int8 model, or a graph that is not the STN: there is no float network to rebuild.
      throw new UnavailableException(
          "djl-pytorch rebuilds the trainer's network from a float32 stn4j model's weights: "
              + e.getMessage(),
          e);
    }
    // The statistics the model was trained with (CIFAR-10's for CIFAR-10 models).
    Normalization normalization = ModelShape.read(spec.model()).normalization();
    int side = weights.shape().imageSize();
    this.shape = new Shape(spec.batch(), 3, side, side);
    Engine.getEngine("PyTorch");
    // PyTorch's thread pool is process-wide: the last runner opened sets it.
    JniUtils.setNumThreads(spec.threads());
    manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    try {
      model = StnModel.create(manager, weights, normalization);
      mean = manager.create(normalization.mean(), new Shape(1, 3, 1, 1));
      std = manager.create(normalization.std(), new Shape(1, 3, 1, 1));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  @Override
  public Object run(int step) {
    float[] flat = batch(step).flat();
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.create(flat, shape);
      StnModel.Output out = model.forward(x, false);
      float[] probabilities = out.probabilities().toFloatArray();
      float[] theta = out.theta().toFloatArray();
      float[] warped = out.warped().mul(std).add(mean).toFloatArray();
      return probabilities[0] + theta[0] + warped[0];
    }
  }

  @Override
  public void close() {
    model.close();
    manager.close();
  }
}
