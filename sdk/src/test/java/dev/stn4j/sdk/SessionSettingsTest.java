package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.image.TestImages;
import dev.stn4j.sdk.ProviderSelection.GridSampleKernel;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.sdk.internal.NativeKernels;
import dev.stn4j.sdk.internal.OrtSetup;
import dev.stn4j.sdk.internal.SessionSettings;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionSettingsTest {
  @Test
  void theDefaultsAreTheClassifiers() {
    SessionSettings s = SessionSettings.builder().build();
    assertEquals(Provider.cpu(), s.provider());
    assertEquals(Runtime.getRuntime().availableProcessors(), s.intraOpThreads());
    assertEquals(1, s.interOpThreads());
    assertEquals(ExecutionMode.SEQUENTIAL, s.executionMode());
    assertEquals(OptLevel.ALL_OPT, s.optimizationLevel());
    assertTrue(s.memoryPattern());
    assertEquals(Map.of(), s.config());
    assertTrue(s.nativeKernels());
  }

  @Test
  void aVariationLeavesTheOriginalAsItWas() {
    SessionSettings base =
        SessionSettings.builder().intraOpThreads(2).config("a", "1").nativeKernels(false).build();
    SessionSettings varied =
        base.toBuilder()
            .optimizationLevel(OptLevel.BASIC_OPT)
            .memoryPattern(false)
            .interOpThreads(2)
            .config("b", "2")
            .build();
    assertEquals(OptLevel.ALL_OPT, base.optimizationLevel());
    assertEquals(Map.of("a", "1"), base.config());
    assertEquals(OptLevel.BASIC_OPT, varied.optimizationLevel());
    assertFalse(varied.memoryPattern());
    assertEquals(ExecutionMode.PARALLEL, varied.executionMode());
    assertEquals(List.of("a", "b"), List.copyOf(varied.config().keySet()));
    assertEquals(2, varied.intraOpThreads());
    assertFalse(varied.nativeKernels());
    assertThrows(UnsupportedOperationException.class, () -> varied.config().put("c", "3"));
  }

  @Test
  void badValuesAreRefusedNamingThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SessionSettings.builder().intraOpThreads(0).build());
    assertEquals("intraOpThreads must be in 1..1024, got 0", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SessionSettings.builder().interOpThreads(-1).build());
    assertEquals("interOpThreads must be in 1..1024, got -1", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SessionSettings.builder().provider(Provider.auto()));
    assertTrue(e.getMessage().contains("got auto"), e.getMessage());
  }

  @Test
  void theGridSampleKernelFollowsTheProviderAndTheSwitch() {
    NativeKernels.Availability kernels = NativeKernels.find();
    GridSampleKernel cpu = SessionSettings.builder().build().gridSample();
    if (kernels instanceof NativeKernels.Available available) {
      assertEquals(new GridSampleKernel.Native(available.library()), cpu);
    } else {
      assertEquals(
          new GridSampleKernel.OnnxRuntime(((NativeKernels.Unavailable) kernels).reason()), cpu);
    }
    assertEquals(
        new GridSampleKernel.OnnxRuntime("the native kernel is turned off (nativeKernels(false))"),
        SessionSettings.builder().nativeKernels(false).build().gridSample());
    assertEquals(
        new GridSampleKernel.OnnxRuntime("the native kernel is CPU-only"),
        SessionSettings.builder().provider(Provider.cuda(0)).build().gridSample());
  }

  @Test
  void aGpuProviderThisRuntimeCannotAddIsProviderUnavailable() throws Exception {
    SessionSettings cuda = SessionSettings.builder().provider(Provider.cuda(0)).build();
    SessionOptions options;
    try {
      options = cuda.toSessionOptions();
    } catch (StnException e) {
      assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, e.code(), e.getMessage());
      assertTrue(e.getMessage().startsWith("CUDA:0 is not available: "), e.getMessage());
      return;
    }
    options.close();
    assertTrue(Provider.availableInBuild().contains("CUDA"), "added CUDA without it in the build");
  }

  /** "Same session options" as the classifier's: a raw session gives its answers bit for bit. */
  @Test
  void aRawSessionFromTheSettingsGivesTheClassifiersOutputs() throws Exception {
    CifarBatch sample = TestImages.sampleSet();
    OrtEnvironment env = OrtSetup.environment();
    SessionSettings settings = SessionSettings.builder().intraOpThreads(1).build();
    try (StnClassifier classifier =
            StnClassifier.builder().provider(Provider.cpu()).intraOpThreads(1).build();
        SessionOptions options = settings.toSessionOptions();
        OrtSession raw = env.createSession(ModelBytes.defaultModel().bytes(), options)) {
      assertEquals(settings.gridSample(), classifier.providerSelection().gridSample());
      for (int i = 0; i < 20; i++) {
        float[] image = sample.image(i);
        try (OnnxTensor input =
                OnnxTensor.createTensor(env, FloatBuffer.wrap(image), new long[] {1, 3, 32, 32});
            OrtSession.Result result = raw.run(Map.of(ModelFormat.INPUT_IMAGE, input))) {
          float[] probabilities =
              ((float[][]) result.get(ModelFormat.OUTPUT_PROBABILITIES).get().getValue())[0];
          assertArrayEquals(
              classifier.predict(image).probabilities(), probabilities, 0f, "image " + i);
        }
      }
    }
  }
}
