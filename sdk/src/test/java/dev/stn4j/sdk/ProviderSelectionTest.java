package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.ProviderSelection.GridSampleKernel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderSelectionTest {
  @Test
  void theNativeKernelIsDescribedWithItsLibrary() {
    Path library = Path.of("/cache/stn4j-ops-0123/libstn4j_ops.so");
    ProviderSelection s =
        new ProviderSelection("CPU", List.of(), new GridSampleKernel.Native(library));
    assertTrue(s.nativeGridSample());
    assertEquals("stn4j native kernel (" + library + ")", s.gridSample().description());
  }

  @Test
  void onnxRuntimesKernelIsDescribedWithTheReason() {
    ProviderSelection s =
        new ProviderSelection(
            "CUDA:0", List.of(), new GridSampleKernel.OnnxRuntime("the native kernel is CPU-only"));
    assertFalse(s.nativeGridSample());
    assertEquals("ONNX Runtime: the native kernel is CPU-only", s.gridSample().description());
  }

  @Test
  void neitherKernelHoldsNull() {
    assertThrows(NullPointerException.class, () -> new GridSampleKernel.Native(null));
    assertThrows(NullPointerException.class, () -> new GridSampleKernel.OnnxRuntime(null));
    assertThrows(NullPointerException.class, () -> new ProviderSelection("CPU", List.of(), null));
  }
}
