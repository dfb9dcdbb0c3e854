package dev.stn4j.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.StnException;
import dev.stn4j.sdk.internal.ArgMax;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.sdk.internal.OrtSetup;
import dev.stn4j.sdk.internal.SessionSettings;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX model held in memory and run with ONNX Runtime on CIFAR-10 records, for the quantizer:
 * the calibration graph's tapped tensors, the int8 model's answers and accuracy. Sessions are
 * configured by the SDK's {@link SessionSettings}, like every stn4j session.
 */
final class OrtModel implements AutoCloseable {
  /** Images per run: a few MB of input, and the calibration outputs of as many images. */
  static final int CHUNK = 250;

  private final SessionOptions options;
  private final OrtSession session;

  /**
   * @param model the serialized model
   * @param name what to call it in errors
   */
  OrtModel(byte[] model, String name) throws IOException {
    SessionOptions opts;
    try {
      OrtSetup.environment();
      opts = SessionSettings.builder().build().toSessionOptions();
    } catch (StnException e) {
      throw new IOException("ONNX Runtime: " + e.getMessage(), e);
    }
    try {
      this.session = OrtSetup.environment().createSession(model, opts);
    } catch (OrtException | StnException e) {
      opts.close();
      throw new IOException(name + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
    }
    this.options = opts;
  }

  /**
   * Runs records {@code [from, from+n)} of {@code batch} (pixels {@code byte/255}) and returns the
   * named float outputs, flattened in record order.
   */
  Map<String, float[]> run(CifarBatch batch, int from, int n, Set<String> outputs)
      throws OrtException {
    float[] chw = new float[n * Cifar10.IMAGE_VALUES];
    for (int i = 0; i < n; i++) {
      batch.copyImage(from + i, chw, i * Cifar10.IMAGE_VALUES);
    }
    Map<String, float[]> values = new HashMap<>();
    try (OnnxTensor input =
            OnnxTensor.createTensor(
                OrtEnvironment.getEnvironment(),
                FloatBuffer.wrap(chw),
                new long[] {n, Cifar10.CHANNELS, Cifar10.HEIGHT, Cifar10.WIDTH});
        OrtSession.Result result = session.run(Map.of(ModelFormat.INPUT_IMAGE, input), outputs)) {
      for (Map.Entry<String, OnnxValue> e : result) {
        FloatBuffer b = ((OnnxTensor) e.getValue()).getFloatBuffer();
        float[] a = new float[b.remaining()];
        b.get(a);
        values.put(e.getKey(), a);
      }
    }
    return values;
  }

  /** The arg-max class of every record of {@code batch}, ties to the lower index. */
  int[] classes(CifarBatch batch) throws OrtException {
    int[] classes = new int[batch.size()];
    for (int from = 0; from < batch.size(); from += CHUNK) {
      int n = Math.min(CHUNK, batch.size() - from);
      float[] p =
          run(batch, from, n, Set.of(ModelFormat.OUTPUT_PROBABILITIES))
              .get(ModelFormat.OUTPUT_PROBABILITIES);
      for (int i = 0; i < n; i++) {
        classes[from + i] = ArgMax.of(p, i * Cifar10.NUM_CLASSES, Cifar10.NUM_CLASSES);
      }
    }
    return classes;
  }

  /** Fraction of the records of {@code batch} whose class is their label. */
  double accuracy(CifarBatch batch) throws OrtException {
    int[] classes = classes(batch);
    int right = 0;
    for (int i = 0; i < classes.length; i++) {
      if (classes[i] == batch.label(i)) {
        right++;
      }
    }
    return (double) right / classes.length;
  }

  @Override
  public void close() throws OrtException {
    try {
      session.close();
    } finally {
      // After the session: ONNX Runtime unloads the native GridSample kernel with its options.
      options.close();
    }
  }
}
