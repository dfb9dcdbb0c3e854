package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.stn4j.sdk.internal.OrtSetup;
import dev.stn4j.sdk.internal.SessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckTest {
  @TempDir Path dir;

  @Test
  void theTinyModelIsValidOnnx() throws Exception {
    byte[] model =
        TinyOnnx.identity("image", "probabilities", new long[] {10}, "stn4j.producer", "tiny");
    OrtEnvironment env = OrtSetup.environment();
    try (OrtSession.SessionOptions o = SessionSettings.builder().build().toSessionOptions();
        OrtSession s = env.createSession(model, o)) {
      assertEquals(Map.of("stn4j.producer", "tiny"), s.getMetadata().getCustomMetadata());
      assertEquals(16, OnnxHeader.defaultOpset(model));
    }
  }

  @Test
  void aValidOnnxModelWithoutTheStnOutputsIsRefusedNamingWhatIsMissing() throws Exception {
    Path file = dir.resolve("other.onnx");
    Files.write(file, TinyOnnx.identity("image", "logits", new long[] {3, 32, 32}));
    StnException e = assertThrows(StnException.class, () -> build(file));
    assertEquals(ErrorCode.INVALID_MODEL, e.code());
    assertTrue(e.getMessage().startsWith(file + ": not an stn4j model"), e.getMessage());
    assertTrue(e.getMessage().contains("no output named 'probabilities'"), e.getMessage());
  }

  @Test
  void aWrongInputNameOrShapeIsRefused() throws Exception {
    Path named = dir.resolve("named.onnx");
    Files.write(named, TinyOnnx.identity("pixels", "x", new long[] {3, 32, 32}));
    StnException e = assertThrows(StnException.class, () -> build(named));
    assertTrue(e.getMessage().contains("no input named 'image'"), e.getMessage());

    Path shaped = dir.resolve("shaped.onnx");
    Files.write(shaped, TinyOnnx.identity("image", "x", new long[] {3, 64, 64}));
    e = assertThrows(StnException.class, () -> build(shaped));
    assertEquals(ErrorCode.INVALID_MODEL, e.code());
    assertTrue(e.getMessage().contains("expected [N,3,32,32]"), e.getMessage());
  }

  private static StnClassifier build(Path model) throws StnException {
    return StnClassifier.builder().model(model).intraOpThreads(1).build();
  }
}
