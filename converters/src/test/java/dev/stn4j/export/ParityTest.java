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
import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.RepositoryRoot;
import dev.stn4j.sdk.internal.ArgMax;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.data.TrainingImages;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnModel;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exported model computes what the DJL model computes: same weights, same images, ONNX Runtime
 * against {@code StnModel.forward(images, false)}: at CIFAR-10's shape on the 1,000 sample-set
 * images, and at other image sizes and class counts on those images resized.
 */
class ParityTest {
  private static final int CHUNK = 250;

  /** Images compared at the shapes other than CIFAR-10's: enough for every θ to differ. */
  private static final int OTHER_SHAPE_IMAGES = 200;

  private static final Path ROOT = RepositoryRoot.get();
  private static final Path SHIPPED =
      ROOT.resolve("sdk/src/main/resources/dev/stn4j/sdk/default-model.onnx");

  /** Statistics unlike CIFAR-10's, so a graph that ignored the model's own would show. */
  static final Normalization OTHER_STATISTICS =
      new Normalization(new float[] {0.55f, 0.4f, 0.3f}, new float[] {0.2f, 0.3f, 0.25f});

  private static CifarBatch sample;
  private static Images cifar;

  /** Images of one size, {@code 3·S·S} floats each, concatenated. */
  record Images(int count, int size, float[] chw) {}

  @BeforeAll
  static void readSampleSet() throws Exception {
    sample = CifarBatch.read(ROOT.resolve(SampleAnswers.DEFAULT_PATH));
    cifar = new Images(sample.size(), 32, TrainingImages.of(sample).chw(0, sample.size()));
  }

  @Test
  void perturbedThetaWeightsAgreeOnTheSampleSet() throws Exception {
    StnWeights weights = PerturbedWeights.of(11);
    byte[] onnx = StnOnnxExporter.toBytes(weights, ExportMetadata.builder().build());
    Outputs ort = ort(onnx, cifar);
    assertNonTrivialWarp(ort.theta);
    assertParity("perturbed initial weights", djl(weights, Normalization.CIFAR10, cifar), ort);
  }

  @ParameterizedTest(name = "S={0}, K={1}")
  @CsvSource({"64, 3", "28, 20"})
  void perturbedThetaWeightsAgreeAtOtherShapes(int imageSize, int classes) throws Exception {
    StnShape shape = new StnShape(imageSize, classes);
    StnWeights weights = PerturbedWeights.of(shape, 11);
    ExportMetadata meta =
        ExportMetadata.builder()
            .classNames(classNames(classes))
            .normalization(OTHER_STATISTICS)
            .build();
    byte[] onnx = StnOnnxExporter.toBytes(weights, meta);
    Images images = resized(cifar, OTHER_SHAPE_IMAGES, imageSize);
    Outputs ort = ort(onnx, images);
    assertEquals(OTHER_SHAPE_IMAGES * classes, ort.probabilities.length);
    assertNonTrivialWarp(ort.theta);
    assertParity("perturbed weights, " + shape, djl(weights, OTHER_STATISTICS, images), ort);
  }

  @Test
  void shippedDefaultModelAgreesAndRecordsTheTrainersAnswers() throws Exception {
    byte[] onnx = Files.readAllBytes(SHIPPED);
    StnWeights weights =
        OnnxInitializers.stnWeights(ModelProto.parseFrom(onnx), SHIPPED.toString());
    Outputs ort = ort(onnx, cifar);
    Outputs djl = djl(weights, Normalization.CIFAR10, cifar);
    assertParity("shipped " + SHIPPED.getFileName(), djl, ort);
    try (OrtSession s = OrtEnvironment.getEnvironment().createSession(onnx)) {
      Map<String, String> meta = s.getMetadata().getCustomMetadata();
      assertEquals(weights.sha256(), meta.get(ModelFormat.KEY_PARAMETERS_SHA256));
      // A version-1 model: one digit per record.
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

  static List<String> classNames(int k) {
    List<String> names = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      names.add("class-" + c);
    }
    return names;
  }

  /** The first {@code n} images, resized to {@code size} by nearest neighbour. */
  static Images resized(Images from, int n, int size) {
    int s = from.size();
    float[] out = new float[n * 3 * size * size];
    int k = 0;
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < 3; ch++) {
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            out[k++] = from.chw()[((i * 3 + ch) * s + y * s / size) * s + x * s / size];
          }
        }
      }
    }
    return new Images(n, size, out);
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
    System.out.printf(
        Locale.ROOT,
        "parity [%s] on %d images: max|dP|=%.3g max|dTheta|=%.3g max|dWarped|=%.3g,"
            + " classes differing=%d, min top-2 margin=%.3g, mean|theta-I|=%.3g%n",
        what,
        a.length,
        dp,
        dt,
        dw,
        differ,
        djl.minMargin(),
        djl.meanDistanceFromIdentity());
    assertTrue(dp <= 1e-4, what + ": probabilities differ by " + dp);
    assertTrue(dt <= 1e-4, what + ": theta differs by " + dt);
    assertTrue(dw <= 1e-3, what + ": warped differs by " + dw);
    assertEquals(0, differ, what + ": predicted classes differ");
  }

  static Outputs ort(byte[] onnx, Images images) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int n = images.count();
    int s = images.size();
    try (OrtSession session = env.createSession(onnx);
        OnnxTensor in =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(images.chw()), new long[] {n, 3, s, s});
        OrtSession.Result r = session.run(Map.of(ModelFormat.INPUT_IMAGE, in))) {
      float[] p = StnOnnxExporterTest.floats(r, ModelFormat.OUTPUT_PROBABILITIES);
      return new Outputs(
          p.length / n,
          p,
          StnOnnxExporterTest.floats(r, ModelFormat.OUTPUT_THETA),
          StnOnnxExporterTest.floats(r, ModelFormat.OUTPUT_WARPED));
    }
  }

  static Outputs djl(StnWeights weights, Normalization normalization, Images images) {
    int n = images.count();
    int s = images.size();
    int values = 3 * s * s;
    int k = weights.shape().classes();
    float[] p = new float[n * k];
    float[] theta = new float[n * 6];
    float[] warped = new float[n * values];
    float[] mean = normalization.mean();
    float[] std = normalization.std();
    try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
        StnModel model = StnModel.create(manager, weights, normalization)) {
      for (int from = 0; from < n; from += CHUNK) {
        int m = Math.min(CHUNK, n - from);
        try (NDManager step = manager.newSubManager()) {
          float[] chunk = new float[m * values];
          System.arraycopy(images.chw(), from * values, chunk, 0, chunk.length);
          StnModel.Output out = model.forward(step.create(chunk, new Shape(m, 3, s, s)), false);
          System.arraycopy(out.probabilities().toFloatArray(), 0, p, from * k, m * k);
          System.arraycopy(out.theta().toFloatArray(), 0, theta, from * 6, m * 6);
          float[] w = out.warped().toFloatArray();
          for (int v = 0; v < w.length; v++) {
            int channel = (v / (s * s)) % 3;
            w[v] = w[v] * std[channel] + mean[channel];
          }
          System.arraycopy(w, 0, warped, from * values, w.length);
        }
      }
    }
    return new Outputs(k, p, theta, warped);
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double max = 0;
    for (int k = 0; k < a.length; k++) {
      max = Math.max(max, Math.abs((double) a[k] - b[k]));
    }
    return max;
  }

  record Outputs(int k, float[] probabilities, float[] theta, float[] warped) {
    int[] classes() {
      int[] c = new int[probabilities.length / k];
      for (int i = 0; i < c.length; i++) {
        c[i] = ArgMax.of(probabilities, i * k, k);
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
      for (int i = 0; i < probabilities.length / k; i++) {
        float[] sorted = Arrays.copyOfRange(probabilities, i * k, i * k + k);
        Arrays.sort(sorted);
        min = Math.min(min, sorted[k - 1] - sorted[k - 2]);
      }
      return min;
    }
  }
}
