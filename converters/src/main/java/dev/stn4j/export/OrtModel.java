package dev.stn4j.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.stn4j.sdk.StnException;
import dev.stn4j.sdk.internal.ArgMax;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.sdk.internal.OrtSetup;
import dev.stn4j.sdk.internal.SessionSettings;
import dev.stn4j.train.data.TrainingImages;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX model held in memory and run with ONNX Runtime on labelled images ({@link
 * TrainingImages}), for the quantizer: the calibration graph's tapped tensors, the int8 model's
 * answers and accuracy. Sessions are configured by the SDK's {@link SessionSettings}, like every
 * stn4j session.
 */
final class OrtModel implements AutoCloseable {
  /** Images per run at 32×32: a few MB of input, and the calibration outputs of as many images. */
  static final int CHUNK = 250;

  /**
   * Images per run at {@code imageSize}: {@link #CHUNK} at 32×32, fewer for larger images so that a
   * run's input and calibration outputs stay about as large (at least one image).
   */
  static int chunk(int imageSize) {
    long pixels = (long) imageSize * imageSize;
    return (int) Math.max(1, Math.min(CHUNK, CHUNK * 32L * 32L / pixels));
  }

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
   * Runs images {@code [from, from+n)} of {@code images} and returns the named float outputs,
   * flattened in image order.
   */
  Map<String, float[]> run(TrainingImages images, int from, int n, Set<String> outputs)
      throws OrtException {
    int s = images.imageSize();
    Map<String, float[]> values = new HashMap<>();
    try (OnnxTensor input =
            OnnxTensor.createTensor(
                OrtEnvironment.getEnvironment(),
                FloatBuffer.wrap(images.chw(from, n)),
                new long[] {n, 3, s, s});
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

  /** The arg-max class of every image, ties to the lower index. */
  int[] classes(TrainingImages images) throws OrtException {
    int[] classes = new int[images.size()];
    int chunk = chunk(images.imageSize());
    for (int from = 0; from < images.size(); from += chunk) {
      int n = Math.min(chunk, images.size() - from);
      float[] p =
          run(images, from, n, Set.of(ModelFormat.OUTPUT_PROBABILITIES))
              .get(ModelFormat.OUTPUT_PROBABILITIES);
      int k = p.length / n;
      for (int i = 0; i < n; i++) {
        classes[from + i] = ArgMax.of(p, i * k, k);
      }
    }
    return classes;
  }

  /** Fraction of the images whose class is their label. */
  double accuracy(TrainingImages images) throws OrtException {
    int[] classes = classes(images);
    int right = 0;
    for (int i = 0; i < classes.length; i++) {
      if (classes[i] == images.label(i)) {
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
