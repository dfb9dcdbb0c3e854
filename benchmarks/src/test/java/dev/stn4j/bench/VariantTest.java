package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.stn4j.sdk.internal.SessionSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VariantTest {
  private static final SessionSettings BASE =
      new RunSpec(RuntimeKind.ORT_RAW, ProviderKind.CPU, 1, 1, Path.of("m.onnx")).sessionSettings();

  @Test
  void theBaselineIsTheSdksSettings() {
    SessionSettings sdk = SessionSettings.builder().intraOpThreads(1).build();
    SessionSettings baseline = Variant.byName("baseline").settings(BASE);
    assertEquals(sdk.toString(), baseline.toString());
  }

  @Test
  void eachLeverChangesWhatItSays() {
    assertEquals(
        OptLevel.EXTENDED_OPT, Variant.byName("opt-extended").settings(BASE).optimizationLevel());
    assertEquals(
        OptLevel.BASIC_OPT, Variant.byName("opt-basic").settings(BASE).optimizationLevel());
    assertEquals(
        Map.of("session.intra_op.allow_spinning", "0"),
        Variant.byName("no-spin").settings(BASE).config());
    assertFalse(Variant.byName("no-mempattern").settings(BASE).memoryPattern());
    SessionSettings parallel = Variant.byName("parallel").settings(BASE);
    assertEquals(ExecutionMode.PARALLEL, parallel.executionMode());
    assertEquals(2, parallel.interOpThreads());
    assertFalse(Variant.byName("ort-gridsample").settings(BASE).nativeKernels());
  }

  @Test
  void everyVariantsSettingsMakeSessionOptions() throws Exception {
    for (Variant v : Variant.ALL) {
      try (SessionOptions options = v.settings(BASE).toSessionOptions()) {
        assertEquals(SessionOptions.class, options.getClass(), v.name());
      }
    }
  }
}
