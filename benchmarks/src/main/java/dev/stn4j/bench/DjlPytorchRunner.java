package dev.stn4j.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.stn4j.data.Cifar10;
import dev.stn4j.export.OnnxInitializers;
import dev.stn4j.train.model.StnModel;
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
    this.shape = new Shape(spec.batch(), 3, 32, 32);
    Engine.getEngine("PyTorch");
    // PyTorch's thread pool is process-wide: the last runner opened sets it.
    JniUtils.setNumThreads(spec.threads());
    manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    try {
      model = StnModel.create(manager, OnnxInitializers.stnWeights(spec.model()));
      mean = manager.create(Cifar10.means(), new Shape(1, 3, 1, 1));
      std = manager.create(Cifar10.stds(), new Shape(1, 3, 1, 1));
    } catch (IOException | RuntimeException e) {
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
