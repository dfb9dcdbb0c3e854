package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.data.Cifar10;
import dev.stn4j.sdk.StnException;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.sdk.internal.SessionSettings;
import dev.stn4j.train.model.StnWeights;
import java.nio.FloatBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StnOnnxExporterTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private static final StnWeights INITIAL = StnWeights.initial(7);
  private static final Instant CREATED = Instant.parse("2026-11-24T23:30:00Z");
  // The SDK's session options; closed after every session made with them.
  private static SessionOptions options;
  private static OrtSession session;

  @BeforeAll
  static void export() throws OrtException, StnException {
    options = SessionSettings.builder().build().toSessionOptions();
    ExportMetadata meta =
        ExportMetadata.builder()
            .trainingData("synthetic test")
            .testAccuracy(0.125)
            .trainingSettingsJson("{ \"epochs\": 3, \"lr\": 0.01 }")
            .created(CREATED)
            .sampleAnswers(new SampleAnswers("data/x.bin", 3, "ab", new int[] {3, 8, 0}))
            .build();
    session = ENV.createSession(StnOnnxExporter.toBytes(INITIAL, meta), options);
  }

  @AfterAll
  static void close() throws OrtException {
    try {
      session.close();
    } finally {
      options.close();
    }
  }

  @Test
  void declaresTheContractsInputAndOutputsWithDynamicBatch() throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    assertEquals(java.util.Set.of(ModelFormat.INPUT_IMAGE), inputs.keySet());
    assertArrayEquals(new long[] {-1, 3, 32, 32}, shape(inputs.get(ModelFormat.INPUT_IMAGE)));
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    assertEquals(
        java.util.List.of(
            ModelFormat.OUTPUT_PROBABILITIES, ModelFormat.OUTPUT_THETA, ModelFormat.OUTPUT_WARPED),
        java.util.List.copyOf(outputs.keySet()));
    assertArrayEquals(new long[] {-1, 10}, shape(outputs.get(ModelFormat.OUTPUT_PROBABILITIES)));
    assertArrayEquals(new long[] {-1, 2, 3}, shape(outputs.get(ModelFormat.OUTPUT_THETA)));
    assertArrayEquals(new long[] {-1, 3, 32, 32}, shape(outputs.get(ModelFormat.OUTPUT_WARPED)));
  }

  @Test
  void runsBatchesOfOneAndSeven() throws OrtException {
    for (int n : new int[] {1, 7}) {
      float[] images = randomImages(n, n);
      try (OnnxTensor in = image(images, n);
          OrtSession.Result r = session.run(Map.of(ModelFormat.INPUT_IMAGE, in))) {
        assertArrayEquals(new long[] {n, 10}, shapeOf(r, ModelFormat.OUTPUT_PROBABILITIES));
        assertArrayEquals(new long[] {n, 2, 3}, shapeOf(r, ModelFormat.OUTPUT_THETA));
        assertArrayEquals(new long[] {n, 3, 32, 32}, shapeOf(r, ModelFormat.OUTPUT_WARPED));
      }
    }
  }

  @Test
  void identityThetaReturnsTheInputAndProbabilitiesSumToOne() throws OrtException {
    int n = 7;
    float[] images = randomImages(n, 42);
    try (OnnxTensor in = image(images, n);
        OrtSession.Result r = session.run(Map.of(ModelFormat.INPUT_IMAGE, in))) {
      float[] theta = floats(r, ModelFormat.OUTPUT_THETA);
      float[] identity = {1, 0, 0, 0, 1, 0};
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < 6; k++) {
          assertEquals(identity[k], theta[i * 6 + k], 1e-7, "theta of image " + i);
        }
      }
      float[] warped = floats(r, ModelFormat.OUTPUT_WARPED);
      float maxDiff = 0;
      for (int k = 0; k < images.length; k++) {
        maxDiff = Math.max(maxDiff, Math.abs(warped[k] - images[k]));
      }
      assertTrue(maxDiff <= 1e-5, "identity warp changed the image by " + maxDiff);
      float[] p = floats(r, ModelFormat.OUTPUT_PROBABILITIES);
      for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int c = 0; c < 10; c++) {
          assertTrue(p[i * 10 + c] > 0 && p[i * 10 + c] < 1);
          sum += p[i * 10 + c];
        }
        assertEquals(1.0, sum, 1e-5, "probabilities of image " + i);
      }
    }
  }

  @Test
  void metadataRoundTrips() throws Exception {
    Map<String, String> m = session.getMetadata().getCustomMetadata();
    ObjectMapper json = new ObjectMapper();
    assertEquals(ModelFormat.FORMAT_VERSION, m.get(ModelFormat.KEY_FORMAT_VERSION));
    JsonNode names = json.readTree(m.get(ModelFormat.KEY_CLASS_NAMES));
    for (int c = 0; c < Cifar10.NUM_CLASSES; c++) {
      assertEquals(Cifar10.CLASS_NAMES.get(c), names.get(c).asText());
    }
    assertEquals(Cifar10.NUM_CLASSES, names.size());
    JsonNode norm = json.readTree(m.get(ModelFormat.KEY_NORMALIZATION));
    for (int ch = 0; ch < 3; ch++) {
      assertEquals(Cifar10.mean(ch), norm.get("mean").get(ch).floatValue());
      assertEquals(Cifar10.std(ch), norm.get("std").get(ch).floatValue());
    }
    assertEquals("[3,32,32]", m.get(ModelFormat.KEY_INPUT_SIZE));
    assertEquals("synthetic test", m.get(ModelFormat.KEY_TRAINING_DATA));
    assertEquals(0.125, Double.parseDouble(m.get(ModelFormat.KEY_TEST_ACCURACY)));
    assertEquals("{\"epochs\":3,\"lr\":0.01}", m.get(ModelFormat.KEY_TRAINING));
    assertEquals(StnOnnxExporter.producer(), m.get(ModelFormat.KEY_PRODUCER));
    assertFalse(StnOnnxExporter.producer().endsWith("unknown"));
    assertEquals(CREATED.toString(), m.get(ModelFormat.KEY_CREATED));
    assertEquals(INITIAL.sha256(), m.get(ModelFormat.KEY_PARAMETERS_SHA256));
    JsonNode sample = json.readTree(m.get(ModelFormat.KEY_SAMPLE_SET));
    assertEquals("380", sample.get("predicted").asText());
    assertEquals(3, sample.get("records").asInt());
    assertEquals(StnOnnxExporter.OPSET, 16);
  }

  @Test
  void untrainedModelHasNoAccuracy() throws OrtException {
    byte[] bytes = StnOnnxExporter.toBytes(INITIAL, ExportMetadata.builder().build());
    try (OrtSession s = ENV.createSession(bytes, options)) {
      Map<String, String> m = s.getMetadata().getCustomMetadata();
      assertFalse(m.containsKey(ModelFormat.KEY_TEST_ACCURACY));
      assertEquals(ExportMetadata.UNTRAINED, m.get(ModelFormat.KEY_TRAINING_DATA));
    }
  }

  static float[] randomImages(int n, long seed) {
    Random random = new Random(seed);
    float[] images = new float[n * Cifar10.IMAGE_VALUES];
    for (int k = 0; k < images.length; k++) {
      images[k] = random.nextFloat();
    }
    return images;
  }

  static OnnxTensor image(float[] chw, int n) throws OrtException {
    return OnnxTensor.createTensor(ENV, FloatBuffer.wrap(chw), new long[] {n, 3, 32, 32});
  }

  static float[] floats(OrtSession.Result r, String name) {
    FloatBuffer b = ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer();
    float[] a = new float[b.remaining()];
    b.get(a);
    return a;
  }

  private static long[] shapeOf(OrtSession.Result r, String name) throws OrtException {
    return ((TensorInfo) r.get(name).orElseThrow().getInfo()).getShape();
  }

  private static long[] shape(NodeInfo info) {
    return ((TensorInfo) info.getInfo()).getShape();
  }
}
