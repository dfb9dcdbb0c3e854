package dev.stn4j.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Gradients are a function of their arguments, whatever freed memory held before. On some machines
 * (see the README's "Known issues") the oneDNN kernels bundled with PyTorch 2.7.1 leave parts of a
 * convolution's input gradient unwritten, so it holds whatever memory held (NaN here: training died
 * within 50 steps). The build runs these tests under the oneDNN cap that the trainer's probe chose
 * for this machine ({@code ONEDNN_MAX_CPU_ISA}, forced with {@code -Donednn.max.cpu.isa=...}); they
 * fail wherever the cap is missing and needed. They run the probe's own checks ({@link
 * GradientRepeatProbe}), in this JVM.
 */
class GradientDeterminismTest {
  private final GradientRepeatProbe probe = new GradientRepeatProbe(Engine.getEngine("PyTorch"));

  @Test
  void convolutionInputGradient() {
    assertRepeatable(probe.convolutionInputGradient(GradientRepeatProbe.CONVOLUTION_ROUNDS));
  }

  @Test
  void wholeModelParameterGradients() {
    assertRepeatable(probe.wholeModelGradients(GradientRepeatProbe.MODEL_ROUNDS));
  }

  private static void assertRepeatable(Optional<String> changed) {
    assertEquals(
        Optional.empty(), changed, "ONEDNN_MAX_CPU_ISA is " + System.getenv("ONEDNN_MAX_CPU_ISA"));
  }
}
