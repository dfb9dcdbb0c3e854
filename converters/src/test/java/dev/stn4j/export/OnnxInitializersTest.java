package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.stn4j.sdk.RepositoryRoot;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxInitializersTest {
  private static final Path SHIPPED =
      RepositoryRoot.get().resolve("sdk/src/main/resources/dev/stn4j/sdk/default-model.onnx");

  @Test
  void readsTheWeightsWhoseChecksumTheShippedModelRecords() throws IOException {
    StnWeights weights = OnnxInitializers.stnWeights(SHIPPED);
    String recorded = null;
    for (StringStringEntryProto e :
        ModelProto.parseFrom(Files.readAllBytes(SHIPPED)).getMetadataPropsList()) {
      if (e.getKey().equals(ModelFormat.KEY_PARAMETERS_SHA256)) {
        recorded = e.getValue();
      }
    }
    assertEquals(recorded, weights.sha256());
  }

  @Test
  void roundTripsWeightsThroughAnExportedModel(@TempDir Path tmp) throws IOException {
    StnWeights weights = StnWeights.initial(StnShape.CIFAR10, 7);
    Path file = tmp.resolve("m.onnx");
    Files.write(
        file,
        StnOnnxExporter.toBytes(weights, ExportMetadata.builder().trainingData("test").build()));
    StnWeights back = OnnxInitializers.stnWeights(file);
    for (StnParameter p : StnParameter.values()) {
      assertArrayEquals(weights.get(p), back.get(p), p.key());
    }
  }

  @Test
  void readsFloatDataAsWellAsRawData() {
    TensorProto asFloats =
        TensorProto.newBuilder().addFloatData(1.5f).addFloatData(-2f).addDims(2).build();
    assertArrayEquals(new float[] {1.5f, -2f}, OnnxInitializers.floats(asFloats));
    TensorProto raw = OnnxInitializers.floatTensor("t", new float[] {1.5f, -2f}, 2);
    assertArrayEquals(new float[] {1.5f, -2f}, OnnxInitializers.floats(raw));
    assertEquals(8, raw.getRawData().size());
  }

  @Test
  void namesTheFileWhenItIsNotAModel(@TempDir Path tmp) throws IOException {
    Path bad = tmp.resolve("garbage.onnx");
    Files.write(bad, new byte[] {(byte) 0xff, 0x01, 0x02, 0x03});
    IOException e = assertThrows(IOException.class, () -> OnnxInitializers.stnWeights(bad));
    assertTrue(e.getMessage().contains("garbage.onnx"), e.getMessage());
  }

  @Test
  void namesTheMissingParameter() {
    ModelProto empty = ModelProto.newBuilder().build();
    IOException e =
        assertThrows(IOException.class, () -> OnnxInitializers.stnWeights(empty, "x.onnx"));
    assertTrue(e.getMessage().contains("x.onnx") && e.getMessage().contains("loc.conv1.weight"));
  }
}
