package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
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
import dev.stn4j.sdk.RepositoryRoot;
import dev.stn4j.sdk.StnException;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.sdk.internal.SessionSettings;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StnOnnxExporterTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private static final StnWeights INITIAL = StnWeights.initial(StnShape.CIFAR10, 7);
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
    assertEquals("2", m.get(ModelFormat.KEY_FORMAT_VERSION));
    assertEquals("stn", m.get(ModelFormat.KEY_ARCHITECTURE));
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
    assertEquals("[3,8,0]", sample.get("predicted").toString());
    assertFalse(m.containsKey(ModelFormat.KEY_SAMPLE_PIXELS), "the file form has no pixels");
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

  @Test
  void aThousandClassModelLoadsAndGivesAThousandProbabilitiesPerImage() throws Exception {
    StnShape shape = new StnShape(32, 1000);
    ExportMetadata meta = ExportMetadata.builder().classNames(ParityTest.classNames(1000)).build();
    byte[] bytes = StnOnnxExporter.toBytes(StnWeights.initial(shape, 3), meta);
    int n = 3;
    try (OrtSession s = ENV.createSession(bytes, options);
        OnnxTensor in = image(randomImages(n, 5), n);
        OrtSession.Result r = s.run(Map.of(ModelFormat.INPUT_IMAGE, in))) {
      assertArrayEquals(
          new long[] {-1, 1000}, shape(s.getOutputInfo().get(ModelFormat.OUTPUT_PROBABILITIES)));
      assertArrayEquals(new long[] {n, 1000}, shapeOf(r, ModelFormat.OUTPUT_PROBABILITIES));
      float[] p = floats(r, ModelFormat.OUTPUT_PROBABILITIES);
      double sum = 0;
      for (int c = 0; c < 1000; c++) {
        sum += p[c];
      }
      assertEquals(1.0, sum, 1e-4);
      JsonNode names =
          new ObjectMapper()
              .readTree(s.getMetadata().getCustomMetadata().get(ModelFormat.KEY_CLASS_NAMES));
      assertEquals(1000, names.size());
      assertEquals("class-999", names.get(999).asText());
    }
  }

  @Test
  void otherShapesDeclareTheirSizeAndRefuseMismatchedMetadata() throws Exception {
    StnShape shape = new StnShape(64, 3);
    StnWeights weights = StnWeights.initial(shape, 1);
    ExportMetadata meta = ExportMetadata.builder().classNames(List.of("a", "b", "c")).build();
    try (OrtSession s = ENV.createSession(StnOnnxExporter.toBytes(weights, meta), options)) {
      assertArrayEquals(
          new long[] {-1, 3, 64, 64}, shape(s.getInputInfo().get(ModelFormat.INPUT_IMAGE)));
      assertArrayEquals(
          new long[] {-1, 3}, shape(s.getOutputInfo().get(ModelFormat.OUTPUT_PROBABILITIES)));
      assertArrayEquals(
          new long[] {-1, 3, 64, 64}, shape(s.getOutputInfo().get(ModelFormat.OUTPUT_WARPED)));
      assertEquals(
          "[3,64,64]", s.getMetadata().getCustomMetadata().get(ModelFormat.KEY_INPUT_SIZE));
    }
    IllegalArgumentException names =
        assertThrows(
            IllegalArgumentException.class,
            () -> StnOnnxExporter.toBytes(weights, ExportMetadata.builder().build()));
    assertEquals("10 class names for a model of 3 classes", names.getMessage());
    ExportMetadata fileForm =
        ExportMetadata.builder()
            .classNames(List.of("a", "b", "c"))
            .sampleAnswers(new SampleAnswers("data/x.bin", 1, "ab", new int[] {0}))
            .build();
    IllegalArgumentException samples =
        assertThrows(
            IllegalArgumentException.class, () -> StnOnnxExporter.toBytes(weights, fileForm));
    assertTrue(samples.getMessage().contains("32x32 images, the model takes 64x64"));
    ExportMetadata outOfRange =
        ExportMetadata.builder()
            .sampleAnswers(new SampleAnswers("data/x.bin", 1, "ab", new int[] {10}))
            .build();
    IllegalArgumentException range =
        assertThrows(
            IllegalArgumentException.class, () -> StnOnnxExporter.toBytes(INITIAL, outOfRange));
    assertEquals("sample set predicted[0] is 10, the model has classes 0 to 9", range.getMessage());
  }

  @Test
  void aCifar10ExportDiffersFromTheShippedVersion1ModelInItsMetadataAlone() throws Exception {
    Path shipped =
        RepositoryRoot.get().resolve("sdk/src/main/resources/dev/stn4j/sdk/default-model.onnx");
    ModelProto v1 = ModelProto.parseFrom(Files.readAllBytes(shipped));
    Map<String, String> old = new LinkedHashMap<>();
    v1.getMetadataPropsList().forEach(e -> old.put(e.getKey(), e.getValue()));
    StnWeights weights = OnnxInitializers.stnWeights(v1, shipped.toString());
    JsonNode v1Samples = new ObjectMapper().readTree(old.get(ModelFormat.KEY_SAMPLE_SET));
    int[] digits = v1Samples.get("predicted").asText().chars().map(c -> c - '0').toArray();
    ExportMetadata meta =
        ExportMetadata.builder()
            .trainingData(old.get(ModelFormat.KEY_TRAINING_DATA))
            .testAccuracy(Double.parseDouble(old.get(ModelFormat.KEY_TEST_ACCURACY)))
            .trainingSettingsJson(old.get(ModelFormat.KEY_TRAINING))
            .created(Instant.parse(old.get(ModelFormat.KEY_CREATED)))
            .sampleAnswers(
                new SampleAnswers(
                    v1Samples.get("source").asText(),
                    v1Samples.get("records").asInt(),
                    v1Samples.get("sha256").asText(),
                    digits))
            .build();
    ModelProto v2 = StnOnnxExporter.toModel(weights, meta);

    assertEquals(v1.getGraph(), v2.getGraph(), "the graph is unchanged");
    Map<String, String> now = new LinkedHashMap<>();
    v2.getMetadataPropsList().forEach(e -> now.put(e.getKey(), e.getValue()));
    Map<String, String> expected = new LinkedHashMap<>();
    old.forEach(
        (k, v) -> {
          expected.put(k, v);
          if (k.equals(ModelFormat.KEY_FORMAT_VERSION)) {
            expected.put(k, "2");
            expected.put(ModelFormat.KEY_ARCHITECTURE, "stn");
          }
        });
    expected.put(ModelFormat.KEY_PRODUCER, StnOnnxExporter.producer());
    expected.put(
        ModelFormat.KEY_SAMPLE_SET,
        old.get(ModelFormat.KEY_SAMPLE_SET)
            .replace(
                "\"" + v1Samples.get("predicted").asText() + "\"",
                java.util.Arrays.toString(digits).replace(" ", "")));
    assertEquals(expected, now);
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(now.keySet()), "order");
    assertEquals(2, v2.getModelVersion());
  }

  static float[] randomImages(int n, long seed) {
    return randomImages(n, 32, seed);
  }

  static float[] randomImages(int n, int size, long seed) {
    Random random = new Random(seed);
    float[] images = new float[n * 3 * size * size];
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
