package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.RepositoryRoot;
import dev.stn4j.sdk.internal.ArgMax;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.model.StnModel;
import dev.stn4j.train.model.StnWeights;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exported model computes what the DJL model computes: same weights, the 1,000 sample-set
 * images, ONNX Runtime against {@code StnModel.forward(images, false)}.
 */
class ParityTest {
  private static final int CHUNK = 250;
  private static final int N = Cifar10.NUM_CLASSES;
  private static final Path ROOT = RepositoryRoot.get();
  private static final Path SHIPPED =
      ROOT.resolve("sdk/src/main/resources/dev/stn4j/sdk/default-model.onnx");
  private static CifarBatch sample;
  private static float[] images;

  @BeforeAll
  static void readSampleSet() throws Exception {
    sample = CifarBatch.read(ROOT.resolve(SampleAnswers.DEFAULT_PATH));
    images = new float[sample.size() * Cifar10.IMAGE_VALUES];
    for (int i = 0; i < sample.size(); i++) {
      sample.copyImage(i, images, i * Cifar10.IMAGE_VALUES);
    }
  }

  @Test
  void perturbedThetaWeightsAgreeOnTheSampleSet() throws Exception {
    StnWeights weights = PerturbedWeights.of(11);
    byte[] onnx = StnOnnxExporter.toBytes(weights, ExportMetadata.builder().build());
    Outputs ort = ort(onnx);
    assertNonTrivialWarp(ort.theta);
    assertParity("perturbed initial weights", djl(weights), ort);
  }

  @Test
  void shippedDefaultModelAgreesAndRecordsTheTrainersAnswers() throws Exception {
    byte[] onnx = Files.readAllBytes(SHIPPED);
    StnWeights weights =
        OnnxInitializers.stnWeights(ModelProto.parseFrom(onnx), SHIPPED.toString());
    Outputs ort = ort(onnx);
    Outputs djl = djl(weights);
    assertParity("shipped " + SHIPPED.getFileName(), djl, ort);
    try (OrtSession s = OrtEnvironment.getEnvironment().createSession(onnx)) {
      Map<String, String> meta = s.getMetadata().getCustomMetadata();
      assertEquals(weights.sha256(), meta.get(ModelFormat.KEY_PARAMETERS_SHA256));
      String predicted =
          new ObjectMapper()
              .readTree(meta.get(ModelFormat.KEY_SAMPLE_SET))
              .path("predicted")
              .asText("");
      if (!predicted.isEmpty()) {
        int[] recorded = predicted.chars().map(ch -> ch - '0').toArray();
        assertArrayEquals(djl.classes(), recorded, "recorded sample answers vs DJL");
      }
    }
  }

  private static void assertNonTrivialWarp(float[] theta) {
    double minDistance = Double.MAX_VALUE;
    float[] identity = {1, 0, 0, 0, 1, 0};
    double spread = 0;
    for (int i = 0; i < theta.length / 6; i++) {
      double d = 0;
      for (int k = 0; k < 6; k++) {
        d += Math.abs(theta[i * 6 + k] - identity[k]);
        spread += Math.abs(theta[i * 6 + k] - theta[k]);
      }
      minDistance = Math.min(minDistance, d);
    }
    assertTrue(minDistance > 0.5, "theta too close to the identity: " + minDistance);
    assertTrue(spread / (theta.length / 6) > 0.01, "theta does not depend on the image: " + spread);
  }

  static void assertParity(String what, Outputs djl, Outputs ort) {
    double dp = maxAbsDiff(djl.probabilities, ort.probabilities);
    double dt = maxAbsDiff(djl.theta, ort.theta);
    double dw = maxAbsDiff(djl.warped, ort.warped);
    int[] a = djl.classes();
    int[] b = ort.classes();
    int differ = 0;
    for (int i = 0; i < a.length; i++) {
      differ += a[i] != b[i] ? 1 : 0;
    }
    int correct = 0;
    for (int i = 0; i < a.length; i++) {
      correct += a[i] == sample.label(i) ? 1 : 0;
    }
    System.out.printf(
        Locale.ROOT,
        "parity [%s] on %d images: max|dP|=%.3g max|dTheta|=%.3g max|dWarped|=%.3g,"
            + " classes differing=%d, min top-2 margin=%.3g, mean|theta-I|=%.3g, accuracy=%.1f%%%n",
        what,
        a.length,
        dp,
        dt,
        dw,
        differ,
        djl.minMargin(),
        djl.meanDistanceFromIdentity(),
        100.0 * correct / a.length);
    assertTrue(dp <= 1e-4, what + ": probabilities differ by " + dp);
    assertTrue(dt <= 1e-4, what + ": theta differs by " + dt);
    assertTrue(dw <= 1e-3, what + ": warped differs by " + dw);
    assertEquals(0, differ, what + ": predicted classes differ");
  }

  static Outputs ort(byte[] onnx) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int n = sample.size();
    try (OrtSession session = env.createSession(onnx);
        OnnxTensor in =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(images), new long[] {n, 3, 32, 32});
        OrtSession.Result r = session.run(Map.of(ModelFormat.INPUT_IMAGE, in))) {
      return new Outputs(
          StnOnnxExporterTest.floats(r, ModelFormat.OUTPUT_PROBABILITIES),
          StnOnnxExporterTest.floats(r, ModelFormat.OUTPUT_THETA),
          StnOnnxExporterTest.floats(r, ModelFormat.OUTPUT_WARPED));
    }
  }

  static Outputs djl(StnWeights weights) {
    int n = sample.size();
    float[] p = new float[n * N];
    float[] theta = new float[n * 6];
    float[] warped = new float[n * Cifar10.IMAGE_VALUES];
    try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
        StnModel model = StnModel.create(manager, weights)) {
      for (int from = 0; from < n; from += CHUNK) {
        int m = Math.min(CHUNK, n - from);
        try (NDManager step = manager.newSubManager()) {
          float[] chunk = new float[m * Cifar10.IMAGE_VALUES];
          System.arraycopy(images, from * Cifar10.IMAGE_VALUES, chunk, 0, chunk.length);
          StnModel.Output out = model.forward(step.create(chunk, new Shape(m, 3, 32, 32)), false);
          System.arraycopy(out.probabilities().toFloatArray(), 0, p, from * N, m * N);
          System.arraycopy(out.theta().toFloatArray(), 0, theta, from * 6, m * 6);
          float[] w = out.warped().toFloatArray();
          for (int k = 0; k < w.length; k++) {
            int channel = (k / (Cifar10.HEIGHT * Cifar10.WIDTH)) % Cifar10.CHANNELS;
            w[k] = w[k] * Cifar10.std(channel) + Cifar10.mean(channel);
          }
          System.arraycopy(w, 0, warped, from * Cifar10.IMAGE_VALUES, w.length);
        }
      }
    }
    return new Outputs(p, theta, warped);
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double max = 0;
    for (int k = 0; k < a.length; k++) {
      max = Math.max(max, Math.abs((double) a[k] - b[k]));
    }
    return max;
  }

  record Outputs(float[] probabilities, float[] theta, float[] warped) {
    int[] classes() {
      int[] c = new int[probabilities.length / N];
      for (int i = 0; i < c.length; i++) {
        c[i] = ArgMax.of(probabilities, i * N, N);
      }
      return c;
    }

    /** Mean over images of the summed |θ − identity| of the six entries. */
    double meanDistanceFromIdentity() {
      float[] identity = {1, 0, 0, 0, 1, 0};
      double sum = 0;
      for (int k = 0; k < theta.length; k++) {
        sum += Math.abs(theta[k] - identity[k % 6]);
      }
      return sum / (theta.length / 6);
    }

    double minMargin() {
      double min = Double.MAX_VALUE;
      for (int i = 0; i < probabilities.length / N; i++) {
        float[] sorted = java.util.Arrays.copyOfRange(probabilities, i * N, i * N + N);
        java.util.Arrays.sort(sorted);
        min = Math.min(min, sorted[N - 1] - sorted[N - 2]);
      }
      return min;
    }
  }
}
