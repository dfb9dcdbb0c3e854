package dev.stn4j.train.model;

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
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Whether this process's PyTorch computes the STN's convolution gradients as a function of their
 * arguments alone. On some machines the oneDNN kernels bundled with PyTorch 2.7.1 leave parts of a
 * convolution's input gradient unwritten, so it holds whatever the memory held before; each round
 * here fills freed memory with NaN first, so such a gap shows as a gradient that changes.
 *
 * <p>The trainer runs {@link #main} in a child JVM before training, with oneDNN uncapped, to decide
 * whether to cap it; {@code GradientDeterminismTest} runs the same checks in the test JVM.
 */
final class GradientRepeatProbe {
  /** Exit code of {@link #main} when a gradient changed from one round to the next. */
  static final int EXIT_CHANGED = 3;

  /** Rounds of {@link #convolutionInputGradient}: enough to catch the defect where it was seen. */
  static final int CONVOLUTION_ROUNDS = 150;

  /** Rounds of {@link #wholeModelGradients}. */
  static final int MODEL_ROUNDS = 40;

  private final Engine engine;

  GradientRepeatProbe(Engine engine) {
    this.engine = engine;
  }

  /**
   * Prints {@code repeatable} and exits 0, or prints what changed and exits {@link #EXIT_CHANGED}.
   * Any other exit (a crash, an exception) means the probe could not tell.
   */
  public static void main(String[] args) {
    GradientRepeatProbe probe = new GradientRepeatProbe(Engine.getEngine("PyTorch"));
    Optional<String> changed =
        probe
            .convolutionInputGradient(CONVOLUTION_ROUNDS)
            .or(() -> probe.wholeModelGradients(MODEL_ROUNDS));
    System.out.println(changed.map(c -> "changed: " + c).orElse("repeatable"));
    System.out.flush();
    System.exit(changed.isPresent() ? EXIT_CHANGED : 0);
  }

  /**
   * The localization's second convolution (its input gradient is where the defect showed most),
   * forward and backward {@code rounds} times on the same arguments.
   *
   * @return what changed, or empty when every round gave the first round's gradient
   */
  Optional<String> convolutionInputGradient(int rounds) {
    Shape input = new Shape(64, 8, 13, 13);
    Shape weight = new Shape(10, 8, 5, 5);
    SplittableRandom random = new SplittableRandom(7);
    float[] x = uniform(random, (int) input.size());
    float[] w = uniform(random, (int) weight.size());
    return repeat(
        rounds,
        scope -> {
          NDArray xs = StnModel.engineOwned(scope.create(x, input));
          NDArray ws = StnModel.engineOwned(scope.create(w, weight));
          xs.setRequiresGradient(true);
          ws.setRequiresGradient(true);
          try (GradientCollector collector = engine.newGradientCollector()) {
            collector.backward(Conv2d.conv2d(xs, ws).singletonOrThrow().sum());
          }
          return Map.of("input", xs.getGradient().toFloatArray());
        });
  }

  /**
   * Every parameter gradient of the whole STN (both convolution stacks, the sampler, the linear
   * layers) for one batch, {@code rounds} times.
   *
   * @return what changed, or empty when every round gave the first round's gradients
   */
  Optional<String> wholeModelGradients(int rounds) {
    int n = 32;
    // CIFAR-10's shape: the layers, hence the kernels probed, are the same at every shape.
    StnShape shape = StnShape.CIFAR10;
    int s = shape.imageSize();
    SplittableRandom random = new SplittableRandom(11);
    float[] images = uniform(random, n * shape.imageValues());
    long[] labels = random.longs(n, 0, shape.classes()).toArray();
    try (NDManager manager = engine.newBaseManager();
        StnModel model = StnModel.create(manager, StnWeights.initial(shape, 3))) {
      for (StnParameter p : StnParameter.values()) {
        model.parameter(p).setRequiresGradient(true);
      }
      return repeat(
          rounds,
          scope -> {
            NDArray x = StnModel.engineOwned(scope.create(images, new Shape(n, 3, s, s)));
            NDArray y = StnModel.engineOwned(scope.create(labels)).reshape(n, 1);
            try (GradientCollector collector = engine.newGradientCollector()) {
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
  Optional<String> repeat(int rounds, Function<NDManager, Map<String, float[]>> step) {
    Map<String, float[]> first = null;
    try (NDManager manager = engine.newBaseManager()) {
      for (int round = 0; round < rounds; round++) {
        try (NDManager scope = manager.newSubManager()) {
          scope.full(new Shape(200_000 + 997L * round), Float.NaN).close();
          Map<String, float[]> gradients = step.apply(scope);
          if (first == null) {
            first = gradients;
            for (Map.Entry<String, float[]> e : first.entrySet()) {
              long nan = countNaN(e.getValue());
              if (nan > 0) {
                return Optional.of(
                    "the gradient of " + e.getKey() + " has " + nan + " NaN in the first round");
              }
            }
            continue;
          }
          for (Map.Entry<String, float[]> e : gradients.entrySet()) {
            if (!Arrays.equals(first.get(e.getKey()), e.getValue())) {
              return Optional.of(
                  String.format(
                      "round %d of %d: the gradient of %s changed (%d NaN)",
                      round + 1, rounds, e.getKey(), countNaN(e.getValue())));
            }
          }
        }
      }
    }
    return Optional.empty();
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
