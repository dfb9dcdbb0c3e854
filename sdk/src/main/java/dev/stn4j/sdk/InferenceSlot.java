package dev.stn4j.sdk;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.stn4j.sdk.internal.ArgMax;
import dev.stn4j.sdk.internal.ModelFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * Direct buffers for one in-flight run: the input and the three outputs, wrapped as ONNX Runtime
 * tensors without copying. ONNX Runtime reads the input from, and writes the outputs (pinned) into,
 * these buffers, so a run allocates no tensors. One thread uses a slot at a time; the classifier
 * pools them.
 */
final class InferenceSlot implements AutoCloseable {
  static final int THETA_VALUES = 6;

  private final OrtEnvironment env;
  private final int capacity;
  private final int classes;
  private final int size;
  private final int imageValues;
  final FloatBuffer input;
  final FloatBuffer probabilities;
  final FloatBuffer theta;
  final FloatBuffer warped;

  private int batch = -1;
  private OnnxTensor[] tensors = new OnnxTensor[0];
  private Map<String, OnnxTensor> inputs;
  private Map<String, OnnxTensor> outputs;

  InferenceSlot(OrtEnvironment env, int capacity, int classes, int size) {
    this.env = env;
    this.capacity = capacity;
    this.classes = classes;
    this.size = size;
    this.imageValues = 3 * size * size;
    input = direct(capacity * imageValues);
    probabilities = direct(capacity * classes);
    theta = direct(capacity * THETA_VALUES);
    warped = direct(capacity * imageValues);
  }

  /** Floats in one input image: 3×S×S. */
  int imageValues() {
    return imageValues;
  }

  int capacity() {
    return capacity;
  }

  /** Makes the tensors describe a batch of {@code n} images (reused while n stays the same). */
  void prepare(int n) throws OrtException {
    if (n == batch) {
      return;
    }
    closeTensors();
    OnnxTensor[] made = new OnnxTensor[4];
    try {
      made[0] = wrap(input, n, 3, size, size);
      made[1] = wrap(probabilities, n, classes);
      made[2] = wrap(theta, n, 2, 3);
      made[3] = wrap(warped, n, 3, size, size);
    } catch (OrtException | RuntimeException e) {
      for (OnnxTensor tensor : made) {
        if (tensor != null) {
          tensor.close();
        }
      }
      throw e;
    }
    tensors = made;
    inputs = Map.of(ModelFormat.INPUT_IMAGE, made[0]);
    outputs =
        Map.of(
            ModelFormat.OUTPUT_PROBABILITIES, made[1],
            ModelFormat.OUTPUT_THETA, made[2],
            ModelFormat.OUTPUT_WARPED, made[3]);
    batch = n;
  }

  /** Copies image {@code i}'s outputs of the last run out of the native buffers. */
  Prediction prediction(int i, List<String> labels) {
    float[] p = new float[classes];
    probabilities.get(i * classes, p);
    int best = ArgMax.of(p, 0, classes);
    int t = i * THETA_VALUES;
    Theta th =
        new Theta(
            theta.get(t),
            theta.get(t + 1),
            theta.get(t + 2),
            theta.get(t + 3),
            theta.get(t + 4),
            theta.get(t + 5));
    float[] w = new float[imageValues];
    warped.get(i * imageValues, w);
    return new Prediction(best, labels.get(best), p[best], p, th, new WarpedImage(w));
  }

  Map<String, OnnxTensor> inputs() {
    return inputs;
  }

  Map<String, OnnxTensor> outputs() {
    return outputs;
  }

  /** A tensor of shape {@code [n, dims...]} over the first values of {@code buffer}. */
  private OnnxTensor wrap(FloatBuffer buffer, int n, long... dims) throws OrtException {
    long[] shape = new long[dims.length + 1];
    shape[0] = n;
    long values = n;
    for (int i = 0; i < dims.length; i++) {
      shape[i + 1] = dims[i];
      values *= dims[i];
    }
    FloatBuffer view = buffer.duplicate();
    view.position(0).limit((int) values);
    return OnnxTensor.createTensor(env, view, shape);
  }

  private static FloatBuffer direct(int floats) {
    return ByteBuffer.allocateDirect(floats * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  private void closeTensors() {
    for (OnnxTensor t : tensors) {
      t.close();
    }
    tensors = new OnnxTensor[0];
    batch = -1;
  }

  @Override
  public void close() {
    closeTensors();
  }
}
