package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.stn4j.sdk.ModelFormat;
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxWeightsTest {
  private static final Path ROOT = Path.of(System.getProperty("stn4j.root", "."));

  @Test
  void readsTheWeightsWhoseChecksumTheModelRecords() throws IOException {
    Path model = ModelLocator.resolve(null, ROOT);
    StnWeights weights = OnnxWeights.read(model);
    String recorded = null;
    for (OnnxMl.StringStringEntryProto e : GraphRewrites.read(model).getMetadataPropsList()) {
      if (e.getKey().equals(ModelFormat.KEY_PARAMETERS_SHA256)) {
        recorded = e.getValue();
      }
    }
    assertEquals(recorded, weights.sha256());
  }

  @Test
  void namesTheFileWhenItIsNotAModel(@TempDir Path tmp) throws IOException {
    Path bad = tmp.resolve("empty.onnx");
    Files.write(bad, new byte[0]);
    IOException e = assertThrows(IOException.class, () -> OnnxWeights.read(bad));
    assertTrue(e.getMessage().contains("empty.onnx"), e.getMessage());
  }
}
