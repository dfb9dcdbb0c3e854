package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.internal.ModelFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Models of contract version 2 at other image sizes and class counts than CIFAR-10's. */
class OtherShapesTest {
  @TempDir Path dir;

  private static StnClassifier open(byte[] onnx, String name) throws StnException {
    return StnClassifier.builder().model(onnx, name).provider(Provider.cpu()).build();
  }

  @ParameterizedTest
  @CsvSource({"64, 3", "28, 20", "16, 1000"})
  void followsTheModelsSizeAndClasses(int size, int k) throws Exception {
    List<String> names = TestModels.classNames(k);
    try (StnClassifier c = open(TestModels.v2(size, names, 8), "m" + size)) {
      ModelInfo info = c.modelInfo();
      assertEquals(size, info.imageSize());
      assertEquals(names, info.classNames());
      assertEquals("2", info.formatVersion());
      assertEquals("stn", info.architecture());
      assertEquals(List.of(0.5, 0.4, 0.3), info.normalization().mean());
      assertEquals(size, c.preprocessor().size());
      SampleSet samples = info.sampleSet().orElseThrow();
      assertEquals(8, samples.size());
      assertEquals(3 * size * size, samples.image(7).length);
      assertEquals(8, c.verifySamples());

      int k2 = k - 1;
      Path png = dir.resolve("last.png");
      ImageIO.write(TestModels.image(size * 2 + 1, k2), "png", png.toFile());
      Prediction p = c.predict(png);
      assertEquals(k2, p.classIndex());
      assertEquals(names.get(k2), p.label());
      assertEquals(k, p.probabilities().length);
      assertEquals(size, p.warped().width());
      assertEquals(size, p.warped().toBufferedImage().getHeight());

      List<float[]> inputs = new ArrayList<>();
      inputs.add(c.preprocessor().chw(TestModels.image(size, 0)));
      inputs.add(new float[3 * 32 * 32 + (size == 32 ? 1 : 0)]);
      inputs.add(c.preprocessor().chw(TestModels.image(size, k2)));
      List<PredictionResult> each = c.predictEach(inputs);
      assertEquals(0, each.get(0).get().classIndex());
      assertFalse(each.get(1).succeeded());
      assertEquals(
          String.format(
              "input 1: expected %d floats (3x%dx%d RGB, channel-major), got 3072",
              3 * size * size, size, size),
          assertThrows(StnException.class, () -> each.get(1).get()).getMessage());
      assertEquals(k2, each.get(2).get().classIndex());
    }
  }

  @Test
  void aModelWhoseRecordedAnswersAreWrongIsRefusedUnlessTheCheckIsOff() throws Exception {
    List<String> names = TestModels.classNames(3);
    Map<String, String> meta = TestModels.v2Metadata(64, names, 6);
    String set = meta.get(ModelFormat.KEY_SAMPLE_SET);
    int[] predicted = answers(set);
    int[] wrong = predicted.clone();
    wrong[4] = (wrong[4] + 1) % 3;
    meta.put(
        ModelFormat.KEY_SAMPLE_SET,
        set.replace(
            "\"predicted\":" + TestModels.json(predicted),
            "\"predicted\":" + TestModels.json(wrong)));
    byte[] onnx = TestModels.build(64, 3, meta);
    StnException e = assertThrows(StnException.class, () -> open(onnx, "wrong.onnx"));
    assertEquals(ErrorCode.INVALID_MODEL, e.code());
    assertEquals(
        "wrong.onnx: 1 of its 6 embedded sample images get another class than the trainer"
            + " recorded; first: image 4, expected class "
            + wrong[4]
            + ", got "
            + predicted[4],
        e.getMessage());
    try (StnClassifier c =
        StnClassifier.builder()
            .model(onnx, "wrong.onnx")
            .provider(Provider.cpu())
            .verifySamples(false)
            .build()) {
      assertThrows(StnException.class, c::verifySamples);
    }
  }

  private static int[] answers(String sampleSetJson) throws Exception {
    var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(sampleSetJson);
    int[] p = new int[node.get("predicted").size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = node.get("predicted").get(i).asInt();
    }
    return p;
  }

  @Test
  void invalidVersion2MetadataIsRefusedNamingModelKeyAndProblem() {
    List<String> names = TestModels.classNames(3);
    Object[][] cases = {
      {ModelFormat.KEY_CLASS_NAMES, null, "is missing"},
      {ModelFormat.KEY_CLASS_NAMES, "[\"a\",\"b\"]", "has shape"},
      {ModelFormat.KEY_INPUT_SIZE, "[3,32,32]", "the model's input is [N,3,64,64]"},
      {ModelFormat.KEY_INPUT_SIZE, "[3,64]", "expected [3,S,S]"},
      {ModelFormat.KEY_NORMALIZATION, null, "is missing"},
      {ModelFormat.KEY_NORMALIZATION, "{\"mean\":[1,2,3],\"std\":[1,0,1]}", "std > 0"},
      {ModelFormat.KEY_ARCHITECTURE, null, "is missing"},
      {ModelFormat.KEY_ARCHITECTURE, "resnet", "architectures 'stn' and 'cnn'"},
      {ModelFormat.KEY_SAMPLE_PIXELS, "AAAA", "holds 3 bytes, expected"},
      {ModelFormat.KEY_SAMPLE_PIXELS, null, "is missing"},
    };
    for (Object[] c : cases) {
      Map<String, String> meta = TestModels.v2Metadata(64, names, 2);
      if (c[1] == null) {
        meta.remove((String) c[0]);
      } else {
        meta.put((String) c[0], (String) c[1]);
      }
      byte[] onnx = TestModels.build(64, 3, meta);
      StnException e = assertThrows(StnException.class, () -> open(onnx, "bad.onnx"), c[0] + "");
      assertEquals(ErrorCode.INVALID_MODEL, e.code());
      assertTrue(e.getMessage().startsWith("bad.onnx: "), e.getMessage());
      assertTrue(e.getMessage().contains((String) c[2]), c[0] + ": " + e.getMessage());
    }
  }

  @Test
  void changedSamplePixelsFailTheirChecksum() throws Exception {
    Map<String, String> meta = TestModels.v2Metadata(28, TestModels.classNames(20), 3);
    byte[] pixels = java.util.Base64.getDecoder().decode(meta.get(ModelFormat.KEY_SAMPLE_PIXELS));
    pixels[5]++;
    meta.put(ModelFormat.KEY_SAMPLE_PIXELS, java.util.Base64.getEncoder().encodeToString(pixels));
    StnException e =
        assertThrows(
            StnException.class, () -> open(TestModels.build(28, 20, meta), "changed.onnx"));
    assertTrue(e.getMessage().contains("SHA-256 differs"), e.getMessage());
  }

  @Test
  void theShippedModelIsStillVersion1Cifar10() throws Exception {
    try (StnClassifier c = StnClassifier.builder().provider(Provider.cpu()).build()) {
      ModelInfo info = c.modelInfo();
      assertEquals(32, info.imageSize());
      assertEquals(10, info.classNames().size());
      assertEquals("stn", info.architecture());
      assertTrue(info.sampleSet().isEmpty());
      assertEquals(0, c.verifySamples());
      assertArrayEquals(
          new double[] {0.4914, 0.4822, 0.4465},
          info.normalization().mean().stream().mapToDouble(Double::doubleValue).toArray(),
          1e-6);
      assertTrue(Files.exists(dir));
    }
  }
}
