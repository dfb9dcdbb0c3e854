package dev.stn4j.train.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;

public class TimedDriver {
  public static void main(String[] args) {
    int threads = Integer.parseInt(args[0]);
    System.setProperty("ai.djl.pytorch.num_threads", "" + threads);
    Engine engine = Engine.getEngine("PyTorch");
    ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    SplittableRandom r = new SplittableRandom(3);
    float[] img = new float[64 * 3072];
    for (int i = 0; i < img.length; i++) img[i] = (float) r.nextDouble(-2, 2);
    float[] th = new float[64 * 6];
    float[] id = {1, 0, 0, 0, 1, 0};
    for (int i = 0; i < th.length; i++) th[i] = id[i % 6] + (float) r.nextDouble(-0.2, 0.2);
    int iters = 150; long bwd = 0, fwd = 0;
    try (NDManager m = engine.newBaseManager()) {
      for (int i = 0; i < iters + 30; i++) {
        if (i == 30) java.util.Arrays.fill(TimedSampler.t, 0);
        try (NDManager s = m.newSubManager()) {
          NDArray x = StnModel.engineOwned(s.create(img, new Shape(64, 3, 32, 32)));
          NDArray t = StnModel.engineOwned(s.create(th, new Shape(64, 2, 3)));
          x.setRequiresGradient(true); t.setRequiresGradient(true);
          try (GradientCollector c = engine.newGradientCollector()) {
            long t0 = System.nanoTime();
            NDArray out = TimedSampler.sample(x, t).sum();
            long t1 = System.nanoTime();
            c.backward(out);
            long t2 = System.nanoTime();
            if (i >= 30) { fwd += t1 - t0; bwd += t2 - t1; }
          }
        }
      }
    }
    String[] names = {"base+scale+matMul+add+mul+sub -> pixels", "ix get", "iy get", "x0 floor+stop", "y0", "wx1 sub", "wx0 neg+add", "wy1", "wy0", "pad+reshape", "left clip+add", "right add+clip+add", "top clip+add+mul", "bottom", "corner1 (add,toType,reshape,broadcast,gather)+mul+mul+reshape", "corner2 + add", "corner3 + add", "corner4 + add"};
    for (int k = 0; k < names.length; k++) System.out.printf("%-70s %7.1f us%n", names[k], TimedSampler.t[k] / 1e3 / iters);
    System.out.printf("forward total %.2f ms, backward %.2f ms (threads %d)%n", fwd / 1e6 / iters, bwd / 1e6 / iters, threads);
  }
}
