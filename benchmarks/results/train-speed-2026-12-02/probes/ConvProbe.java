package dev.stn4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import dev.stn4j.train.model.StnModel;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Per convolution of the STN: are input and weight gradients repeatable when freed memory is NaN? */
public class ConvProbe {
  public static void main(String[] args) {
    TrainCommand.startEngine(Integer.parseInt(args[0]));
    Engine engine = Engine.getEngine("PyTorch");
    long[][][] convs = {
      {{64, 3, 32, 32}, {8, 3, 7, 7}},
      {{64, 8, 13, 13}, {10, 8, 5, 5}},
      {{64, 3, 32, 32}, {10, 3, 5, 5}},
      {{64, 10, 14, 14}, {20, 10, 5, 5}},
    };
    String[] names = {"loc.conv1", "loc.conv2", "cls.conv1", "cls.conv2"};
    for (int k = 0; k < convs.length; k++) {
      Shape in = new Shape(convs[k][0]);
      Shape ws = new Shape(convs[k][1]);
      SplittableRandom r = new SplittableRandom(7);
      float[] x = new float[(int) in.size()];
      float[] w = new float[(int) ws.size()];
      for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-1, 1);
      for (int i = 0; i < w.length; i++) w[i] = (float) r.nextDouble(-1, 1);
      float[] gx0 = null, gw0 = null;
      int badX = 0, badW = 0, rounds = Integer.parseInt(args[1]);
      long nanos = 0;
      try (NDManager manager = engine.newBaseManager()) {
        for (int round = 0; round < rounds; round++) {
          try (NDManager scope = manager.newSubManager()) {
            scope.full(new Shape(200_000 + 997L * round), Float.NaN).close();
            NDArray xs = StnModel.engineOwned(scope.create(x, in));
            NDArray wt = StnModel.engineOwned(scope.create(w, ws));
            xs.setRequiresGradient(true);
            wt.setRequiresGradient(true);
            long t0 = System.nanoTime();
            try (GradientCollector c = engine.newGradientCollector()) {
              c.backward(Conv2d.conv2d(xs, wt).singletonOrThrow().sum());
            }
            nanos += System.nanoTime() - t0;
            float[] gx = xs.getGradient().toFloatArray();
            float[] gw = wt.getGradient().toFloatArray();
            if (gx0 == null) { gx0 = gx; gw0 = gw; continue; }
            if (!Arrays.equals(gx0, gx)) badX++;
            if (!Arrays.equals(gw0, gw)) badW++;
          }
        }
      }
      System.out.printf("ISA=%s %s: input-grad differs in %d/%d rounds, weight-grad in %d/%d; fwd+bwd %.3f ms%n",
          System.getenv("ONEDNN_MAX_CPU_ISA"), names[k], badX, rounds - 1, badW, rounds - 1, nanos / 1e6 / rounds);
    }
  }
}
