package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.SampleImages;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A model with an embedded sample set carries its images and the trainer's answers on them: the
 * pixels decode to the same bytes, their checksum is recorded, and the answers are the DJL model's
 * and ONNX Runtime's on {@code byte / 255}.
 */
class EmbeddedSampleSetTest {
  private static final StnShape SHAPE = new StnShape(28, 20);
  private static final StnWeights WEIGHTS = PerturbedWeights.of(SHAPE, 21);
  private static SampleImages images;
  private static ModelProto model;
  private static Map<String, String> metadata;

  @BeforeAll
  static void exportWithEmbeddedSamples() throws Exception {
    int n = SampleImages.limit(SHAPE.imageSize());
    Random random = new Random(4);
    byte[] pixels = new byte[n * SHAPE.imageValues()];
    random.nextBytes(pixels);
    int[] labels = random.ints(n, 0, SHAPE.classes()).toArray();
    images = new SampleImages(SHAPE.imageSize(), labels, pixels);
    ExportMetadata meta =
        ExportMetadata.builder()
            .classNames(ParityTest.classNames(SHAPE.classes()))
            .normalization(ParityTest.OTHER_STATISTICS)
            .sampleAnswers(
                SampleAnswers.computeEmbedded(WEIGHTS, ParityTest.OTHER_STATISTICS, images))
            .build();
    model = ModelProto.parseFrom(StnOnnxExporter.toBytes(WEIGHTS, meta));
    metadata = new HashMap<>();
    for (StringStringEntryProto e : model.getMetadataPropsList()) {
      metadata.put(e.getKey(), e.getValue());
    }
  }

  @Test
  void pixelsRoundTripAndTheirChecksumIsRecorded() throws Exception {
    JsonNode set = new ObjectMapper().readTree(metadata.get(ModelFormat.KEY_SAMPLE_SET));
    assertEquals("embedded", set.get("source").asText());
    assertEquals(100, set.get("records").asInt());
    assertEquals(28, set.get("image_size").asInt());
    byte[] decoded = Base64.getDecoder().decode(metadata.get(ModelFormat.KEY_SAMPLE_PIXELS));
    assertArrayEquals(images.pixels(), decoded);
    assertEquals(SampleAnswers.sha256(decoded), set.get("sha256").asText());
    assertArrayEquals(images.labels(), ints(set.get("labels")));
  }

  @Test
  void predictedIsWhatDjlAndOnnxRuntimePredictOnTheDecodedPixels() throws Exception {
    JsonNode set = new ObjectMapper().readTree(metadata.get(ModelFormat.KEY_SAMPLE_SET));
    int[] recorded = ints(set.get("predicted"));
    byte[] decoded = Base64.getDecoder().decode(metadata.get(ModelFormat.KEY_SAMPLE_PIXELS));
    float[] chw = new float[decoded.length];
    for (int k = 0; k < chw.length; k++) {
      chw[k] = (decoded[k] & 0xff) / 255f;
    }
    ParityTest.Images inputs = new ParityTest.Images(recorded.length, 28, chw);
    ParityTest.Outputs djl = ParityTest.djl(WEIGHTS, ParityTest.OTHER_STATISTICS, inputs);
    assertArrayEquals(djl.classes(), recorded);
    assertArrayEquals(ParityTest.ort(model.toByteArray(), inputs).classes(), recorded);
    // Not a constant answer: the check would catch a model that differs.
    assertTrue(java.util.Arrays.stream(recorded).distinct().count() > 1);
  }

  @Test
  void readsBackAndRefusesPixelsThatDoNotMatchTheirChecksum() throws Exception {
    SampleAnswers back = SampleAnswers.embeddedIn(metadata, "m.onnx").orElseThrow();
    assertEquals(SampleAnswers.embedded(images), back);
    Map<String, String> tampered = new HashMap<>(metadata);
    byte[] pixels = images.pixels().clone();
    pixels[7] ^= 1;
    tampered.put(ModelFormat.KEY_SAMPLE_PIXELS, Base64.getEncoder().encodeToString(pixels));
    IOException e =
        assertThrows(IOException.class, () -> SampleAnswers.embeddedIn(tampered, "m.onnx"));
    assertTrue(e.getMessage().startsWith("m.onnx: the embedded sample pixels' SHA-256"));
  }

  private static int[] ints(JsonNode array) {
    int[] a = new int[array.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = array.get(i).asInt();
    }
    return a;
  }
}
