package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.data.Cifar10;
import dev.stn4j.sdk.internal.ModelFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelInfoTest {
  @Test
  void readsTheStn4jKeys() throws StnException {
    Map<String, String> meta = new HashMap<>();
    meta.put(ModelFormat.KEY_CLASS_NAMES, "[\"a\",\"b\",\"c\"]");
    meta.put(ModelFormat.KEY_TEST_ACCURACY, "0.7321");
    meta.put(ModelFormat.KEY_TRAINING_DATA, "CIFAR-10 (JPEG-q75 copy)");
    meta.put(ModelFormat.KEY_PRODUCER, "stn4j-converters 9.8.7");
    meta.put(ModelFormat.KEY_CREATED, "2026-11-24T00:00:00Z");
    meta.put(ModelFormat.KEY_PARAMETERS_SHA256, "ab12");
    meta.put(ModelFormat.KEY_SAMPLE_SET, "{\"records\":4,\"predicted\":\"3019\"}");
    ModelInfo info = ModelInfo.parse("m.onnx", meta, "ignored", 17);
    assertEquals(List.of("a", "b", "c"), info.classNames());
    assertEquals(0.7321, info.testAccuracy().getAsDouble(), 1e-12);
    assertEquals("CIFAR-10 (JPEG-q75 copy)", info.trainingData());
    assertEquals("stn4j-converters 9.8.7", info.producer());
    assertEquals("2026-11-24T00:00:00Z", info.created());
    assertEquals("ab12", info.parametersSha256());
    assertEquals(17, info.opset());
    assertArrayEquals(new int[] {3, 0, 1, 9}, info.samplePredictions().orElseThrow());
    info.samplePredictions().orElseThrow()[0] = 8;
    assertEquals(3, info.samplePredictions().orElseThrow()[0], "a fresh array each call");
    assertThrows(UnsupportedOperationException.class, () -> info.metadata().put("x", "y"));
  }

  @Test
  void absentKeysGiveDefaultsNotErrors() throws StnException {
    ModelInfo info = ModelInfo.parse("m.onnx", Map.of(), "some-producer", -1);
    assertEquals(Cifar10.CLASS_NAMES, info.classNames());
    assertTrue(info.testAccuracy().isEmpty());
    assertEquals("some-producer", info.producer());
    assertEquals("", info.trainingData());
    assertTrue(info.samplePredictions().isEmpty());
  }

  @Test
  void malformedValuesAreInvalidModelNamingFileAndKey() {
    for (Map<String, String> meta :
        List.of(
            Map.of(ModelFormat.KEY_CLASS_NAMES, "not json"),
            Map.of(ModelFormat.KEY_CLASS_NAMES, "{\"a\":1}"),
            Map.of(ModelFormat.KEY_CLASS_NAMES, "[1,2]"),
            Map.of(ModelFormat.KEY_TEST_ACCURACY, "high"),
            Map.of(ModelFormat.KEY_FORMAT_VERSION, "3"))) {
      StnException e =
          assertThrows(StnException.class, () -> ModelInfo.parse("bad.onnx", meta, "", -1));
      assertEquals(ErrorCode.INVALID_MODEL, e.code());
      String key = meta.keySet().iterator().next();
      assertTrue(e.getMessage().startsWith("bad.onnx: metadata " + key), e.getMessage());
    }
  }

  @Test
  void version2RequiresClassNamesStatisticsAndArchitecture() {
    Map<String, String> meta = new HashMap<>();
    meta.put(ModelFormat.KEY_FORMAT_VERSION, "2");
    for (String key :
        List.of(
            ModelFormat.KEY_CLASS_NAMES,
            ModelFormat.KEY_NORMALIZATION,
            ModelFormat.KEY_ARCHITECTURE)) {
      StnException e =
          assertThrows(StnException.class, () -> ModelInfo.parse("v2.onnx", meta, "", -1, 48));
      assertEquals(
          "v2.onnx: metadata " + key + " is missing; format version 2 requires it", e.getMessage());
      meta.put(
          key,
          key.equals(ModelFormat.KEY_CLASS_NAMES)
              ? "[\"a\",\"b\"]"
              : key.equals(ModelFormat.KEY_NORMALIZATION)
                  ? "{\"mean\":[0.1,0.2,0.3],\"std\":[1,2,3]}"
                  : "stn");
    }
  }

  @Test
  void version2AnswersAreAnArrayOfInts() throws StnException {
    ModelInfo info =
        ModelInfo.parse(
            "m.onnx", Map.of(ModelFormat.KEY_SAMPLE_SET, "{\"predicted\":[12,999,0]}"), "", -1);
    assertArrayEquals(new int[] {12, 999, 0}, info.samplePredictions().orElseThrow());
    assertEquals(32, info.imageSize());
    assertEquals("1", info.formatVersion());
  }

  @Test
  void sampleAnswersThatAreNotDigitsAreAbsent() throws StnException {
    ModelInfo info =
        ModelInfo.parse(
            "m.onnx", Map.of(ModelFormat.KEY_SAMPLE_SET, "{\"predicted\":\"12x\"}"), "", -1);
    assertTrue(info.samplePredictions().isEmpty());
  }

  @Test
  void opsetIsReadFromModelBytesAndGarbageGivesMinusOne() {
    // ModelProto: ir_version = 8 (field 1), opset_import (field 8) {domain "", version 17}.
    byte[] model = {0x08, 0x08, 0x42, 0x02, 0x10, 0x11};
    assertEquals(17, OnnxHeader.defaultOpset(model));
    byte[] otherDomain = {0x42, 0x0A, 0x0A, 0x06, 'c', 'u', 's', 't', 'o', 'm', 0x10, 0x01};
    assertEquals(-1, OnnxHeader.defaultOpset(otherDomain));
    assertEquals(-1, OnnxHeader.defaultOpset("this is not protobuf".getBytes()));
    assertEquals(-1, OnnxHeader.defaultOpset(new byte[] {(byte) 0xFF}));
  }
}
