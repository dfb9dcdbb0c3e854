package dev.stn4j.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import dev.stn4j.sdk.ErrorCode;
import dev.stn4j.sdk.StnException;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.sdk.internal.OrtSetup;
import dev.stn4j.sdk.internal.SessionSettings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * The baseline: {@code OrtSession.run} with one preallocated input tensor (the batch is copied in
 * from {@code float[]}, as the SDK must) and preallocated, pinned output tensors, so ONNX Runtime
 * writes the outputs straight into Java-visible direct buffers. Nothing is allocated per call
 * except ORT's small result wrapper.
 */
final class OrtRawRunner extends SampleRunner {
  private final SessionOptions options;
  private final OrtSession session;
  private final FloatBuffer input;
  private final OnnxTensor inputTensor;
  private final FloatBuffer probabilities;
  private final FloatBuffer theta;
  private final FloatBuffer warped;
  private final OnnxTensor[] outputs;
  private final Map<String, OnnxTensor> inputs;
  private final Map<String, OnnxTensor> pinned;

  OrtRawRunner(RunSpec spec, SessionSettings settings, SampleImages images)
      throws OrtException, StnException, UnavailableException {
    this(spec, sessionOptions(settings), images);
  }

  /** Takes ownership of {@code options} (closed with the runner, or on failure). */
  OrtRawRunner(RunSpec spec, SessionOptions options, SampleImages images) throws OrtException {
    super(spec, images);
    OrtEnvironment env = environment();
    this.options = options;
    OrtSession s = null;
    try {
      s = env.createSession(spec.model().toString(), options);
      int b = spec.batch();
      // The model's own S and K, so the pinned tensors fit any model of the contract.
      int side = dim(s.getInputInfo().get(ModelFormat.INPUT_IMAGE), 2);
      int classes = dim(s.getOutputInfo().get(ModelFormat.OUTPUT_PROBABILITIES), 1);
      if (side != imageSize()) {
        throw new IllegalArgumentException(
            String.format(
                "%s takes %dx%d images, the inputs are %dx%d",
                spec.model(), side, side, imageSize(), imageSize()));
      }
      int values = 3 * side * side;
      input = direct(b * values);
      inputTensor = OnnxTensor.createTensor(env, input, new long[] {b, 3, side, side});
      probabilities = direct(b * classes);
      theta = direct(b * 6);
      warped = direct(b * values);
      outputs =
          new OnnxTensor[] {
            OnnxTensor.createTensor(env, probabilities, new long[] {b, classes}),
            OnnxTensor.createTensor(env, theta, new long[] {b, 2, 3}),
            OnnxTensor.createTensor(env, warped, new long[] {b, 3, side, side})
          };
      inputs = Map.of(ModelFormat.INPUT_IMAGE, inputTensor);
      pinned =
          Map.of(
              ModelFormat.OUTPUT_PROBABILITIES, outputs[0],
              ModelFormat.OUTPUT_THETA, outputs[1],
              ModelFormat.OUTPUT_WARPED, outputs[2]);
      session = s;
    } catch (OrtException | RuntimeException e) {
      if (s != null) {
        s.close();
      }
      options.close();
      throw e;
    }
  }

  /** Dimension {@code index} of a tensor input or output, which must be static. */
  private static int dim(NodeInfo node, int index) {
    long[] shape = ((TensorInfo) node.getInfo()).getShape();
    if (index >= shape.length || shape[index] < 1) {
      throw new IllegalArgumentException(
          node.getName() + ": dimension " + index + " is not static in " + Arrays.toString(shape));
    }
    return (int) shape[index];
  }

  private static FloatBuffer direct(int floats) {
    return ByteBuffer.allocateDirect(floats * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  @Override
  public Object run(int step) throws OrtException {
    float[] flat = batch(step).flat();
    input.clear();
    input.put(flat);
    session.run(inputs, pinned).close();
    return probabilities.get(0);
  }

  /** Copies of the last run's probabilities, θ and warped image (for parity checks). */
  float[][] lastOutputs() {
    return new float[][] {copy(probabilities), copy(theta), copy(warped)};
  }

  private static float[] copy(FloatBuffer buffer) {
    float[] a = new float[buffer.capacity()];
    buffer.duplicate().clear().get(a);
    return a;
  }

  /** Ends ONNX Runtime profiling (if enabled in the options) and returns the profile file. */
  String endProfiling() throws OrtException {
    return session.endProfiling();
  }

  @Override
  public void close() throws OrtException {
    for (OnnxTensor t : outputs) {
      t.close();
    }
    inputTensor.close();
    session.close();
    options.close();
  }

  /**
   * The options the SDK builds from these settings; the caller owns (closes) them.
   *
   * @throws UnavailableException when the provider cannot be added here (ORT's text as reason)
   */
  static SessionOptions sessionOptions(SessionSettings settings)
      throws StnException, UnavailableException {
    try {
      return settings.toSessionOptions();
    } catch (StnException e) {
      if (e.code() == ErrorCode.PROVIDER_UNAVAILABLE) {
        throw new UnavailableException(e.getMessage(), e);
      }
      throw e;
    }
  }

  /** ORT's environment as the SDK starts it (native-library cache, refusal of a crashing ORT). */
  static OrtEnvironment environment() {
    try {
      return OrtSetup.environment();
    } catch (StnException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
