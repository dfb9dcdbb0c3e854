package dev.stn4j.bench;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.sdk.internal.SessionSettings;
import java.io.IOException;

/**
 * DJL's OnnxRuntime engine on the same {@code .onnx} and the same session settings as the raw
 * baseline, which DJL turns into its own session options (without stn4j's native GridSample kernel,
 * which DJL cannot register): what a DJL user would write. Each call creates the input NDArray and
 * copies the three outputs into Java arrays.
 */
final class DjlOrtRunner extends SampleRunner {
  private final ZooModel<NDList, NDList> model;
  private final Predictor<NDList, NDList> predictor;
  private final Shape shape;

  DjlOrtRunner(RunSpec spec, SessionSettings settings, SampleImages images)
      throws UnavailableException, IOException {
    super(spec, images);
    startEngine();
    this.shape = new Shape(spec.batch(), 3, imageSize(), imageSize());
    String unavailable = ProviderProbe.unavailableReason(spec.provider());
    if (unavailable != null) {
      throw new UnavailableException(unavailable);
    }
    if (!settings.config().isEmpty()) {
      throw new UnavailableException("DJL's OnnxRuntime engine takes no session config entries");
    }
    Criteria.Builder<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(spec.model())
            .optEngine("OnnxRuntime")
            .optOption("intraOpNumThreads", String.valueOf(settings.intraOpThreads()))
            .optOption("interOpNumThreads", String.valueOf(settings.interOpThreads()))
            .optOption("optLevel", settings.optimizationLevel().name())
            .optOption("executionMode", settings.executionMode().name())
            .optOption("memoryPatternOptimization", String.valueOf(settings.memoryPattern()))
            .optTranslator(new NoopTranslator());
    switch (spec.provider()) {
      case CPU -> criteria.optDevice(Device.cpu());
      case CUDA -> criteria.optDevice(Device.gpu(0));
      case TENSORRT -> criteria.optDevice(Device.gpu(0)).optOption("ortDevice", "TensorRT");
    }
    try {
      model = criteria.build().loadModel();
    } catch (ModelNotFoundException | MalformedModelException | RuntimeException e) {
      throw new IOException(spec.model() + ": DJL OnnxRuntime engine could not load it: " + e, e);
    }
    predictor = model.newPredictor();
  }

  /**
   * Starts DJL's OnnxRuntime engine. It insists on creating the process-wide OrtEnvironment itself
   * (with global thread pools), so this must run before anything else touches ONNX Runtime; its
   * idle global pools are kept to one thread each so they cannot compete with the sessions' own
   * pools, which every runtime here uses.
   */
  static void startEngine() throws UnavailableException {
    if (System.getProperty("ai.djl.onnxruntime.num_threads") == null) {
      System.setProperty("ai.djl.onnxruntime.num_threads", "1");
    }
    if (System.getProperty("ai.djl.onnxruntime.num_interop_threads") == null) {
      System.setProperty("ai.djl.onnxruntime.num_interop_threads", "1");
    }
    try {
      Engine.getEngine("OnnxRuntime");
    } catch (RuntimeException | LinkageError e) {
      // LinkageError: the engine's static initialiser failed, typically because ONNX Runtime's
      // environment already existed in this JVM.
      throw new UnavailableException(
          "DJL's OnnxRuntime engine cannot start in this JVM (it must create ONNX Runtime's"
              + " environment before anything else uses ONNX Runtime): "
              + e,
          e);
    }
  }

  @Override
  public Object run(int step) throws Exception {
    float[] flat = batch(step).flat();
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray x = manager.create(flat, shape);
      x.setName(ModelFormat.INPUT_IMAGE);
      NDList out = predictor.predict(new NDList(x));
      float[] probabilities = out.get(ModelFormat.OUTPUT_PROBABILITIES).toFloatArray();
      float[] theta = out.get(ModelFormat.OUTPUT_THETA).toFloatArray();
      float[] warped = out.get(ModelFormat.OUTPUT_WARPED).toFloatArray();
      out.close();
      return probabilities[0] + theta[0] + warped[0];
    }
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
  }
}
