package dev.stn4j.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Gradients are a function of their arguments, whatever freed memory held before. On AMD Zen 5
 * machines, the oneDNN kernels bundled with PyTorch 2.7.1 (AVX2 and AVX-512, and AVX more rarely)
 * leave parts of a convolution's input gradient unwritten, so it holds whatever memory held (NaN
 * here: training died within 50 steps). The build and {@code ./stn train} cap oneDNN at SSE4.1
 * ({@code ONEDNN_MAX_CPU_ISA=SSE41}); these tests fail wherever that cap is missing and needed.
 */
class GradientDeterminismTest {
  private static final Engine ENGINE = Engine.getEngine("PyTorch");

  @Test
  void convolutionInputGradient() {
    Shape input = new Shape(64, 8, 13, 13); // the localization's second convolution
    Shape weight = new Shape(10, 8, 5, 5);
    SplittableRandom random = new SplittableRandom(7);
    float[] x = uniform(random, (int) input.size());
    float[] w = uniform(random, (int) weight.size());
    repeat(
        150,
        scope -> {
          NDArray xs = StnModel.engineOwned(scope.create(x, input));
          NDArray ws = StnModel.engineOwned(scope.create(w, weight));
          xs.setRequiresGradient(true);
          ws.setRequiresGradient(true);
          try (GradientCollector collector = ENGINE.newGradientCollector()) {
            collector.backward(Conv2d.conv2d(xs, ws).singletonOrThrow().sum());
          }
          return Map.of("input", xs.getGradient().toFloatArray());
        });
  }

  @Test
  void wholeModelParameterGradients() {
    int n = 32;
    SplittableRandom random = new SplittableRandom(11);
    float[] images = uniform(random, n * 3 * 32 * 32);
    long[] labels = random.longs(n, 0, 10).toArray();
    try (NDManager manager = ENGINE.newBaseManager();
        StnModel model = StnModel.create(manager, StnWeights.initial(3))) {
      for (StnParameter p : StnParameter.values()) {
        model.parameter(p).setRequiresGradient(true);
      }
      repeat(
          40,
          scope -> {
            NDArray x = StnModel.engineOwned(scope.create(images, new Shape(n, 3, 32, 32)));
            NDArray y = StnModel.engineOwned(scope.create(labels)).reshape(n, 1);
            try (GradientCollector collector = ENGINE.newGradientCollector()) {
              NDArray logits = model.forward(x, false).logits();
              collector.backward(logits.logSoftmax(1).gather(y, 1).mean().neg());
            }
            Map<String, float[]> gradients = new TreeMap<>();
            for (StnParameter p : StnParameter.values()) {
              NDArray parameter = model.parameter(p);
              gradients.put(p.key(), parameter.getGradient().toFloatArray());
              JniUtils.zeroGrad((PtNDArray) parameter);
            }
            return gradients;
          });
    }
  }

  /** Runs {@code step} {@code rounds} times, each after filling freed memory with NaN. */
  private static void repeat(int rounds, Function<NDManager, Map<String, float[]>> step) {
    Map<String, float[]> first = null;
    try (NDManager manager = ENGINE.newBaseManager()) {
      for (int round = 0; round < rounds; round++) {
        try (NDManager scope = manager.newSubManager()) {
          scope.full(new Shape(200_000 + 997L * round), Float.NaN).close();
          Map<String, float[]> gradients = step.apply(scope);
          if (first == null) {
            first = gradients;
            first.forEach((name, g) -> assertEquals(0, countNaN(g), name + " has NaN"));
            continue;
          }
          for (Map.Entry<String, float[]> e : gradients.entrySet()) {
            if (!Arrays.equals(first.get(e.getKey()), e.getValue())) {
              fail(
                  "round "
                      + round
                      + ": the gradient of "
                      + e.getKey()
                      + " changed ("
                      + countNaN(e.getValue())
                      + " NaN); ONEDNN_MAX_CPU_ISA is "
                      + System.getenv("ONEDNN_MAX_CPU_ISA"));
            }
          }
        }
      }
    }
  }

  private static float[] uniform(SplittableRandom random, int size) {
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) random.nextDouble(-1, 1);
    }
    return values;
  }

  private static long countNaN(float[] values) {
    long count = 0;
    for (float v : values) {
      if (Float.isNaN(v)) {
        count++;
      }
    }
    return count;
  }
}
