package dev.stn4j.train.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import java.util.function.BinaryOperator;

/** Sampler forward+backward at batch 64: four gathers vs one, alternating in blocks of 5 calls. */
public class SamplerProfile {
  static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  public static void main(String[] args) {
    int blocks = Integer.parseInt(args[0]);
    int threads = Integer.parseInt(args[1]);
    System.setProperty("ai.djl.pytorch.num_threads", "" + threads);
    Engine engine = Engine.getEngine("PyTorch");
    ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    SplittableRandom r = new SplittableRandom(3);
    float[] img = new float[64 * 3072];
    for (int i = 0; i < img.length; i++) img[i] = (float) r.nextDouble(-2, 2);
    float[] th = new float[64 * 6];
    float[] id = {1, 0, 0, 0, 1, 0};
    for (int i = 0; i < th.length; i++) th[i] = id[i % 6] + (float) r.nextDouble(-0.2, 0.2);
    long[][] acc = new long[2][2];
    try (NDManager m = engine.newBaseManager()) {
      for (int b = -4; b < blocks; b++) {
        for (int v = 0; v < 2; v++) {
          long w0 = System.nanoTime(), c0 = OS.getProcessCpuTime();
          for (int i = 0; i < 5; i++) {
            once(engine, m, v == 0 ? ReferenceAffineSampler::sample : AffineSampler::sample, img, th);
          }
          if (b >= 0) {
            acc[v][0] += System.nanoTime() - w0;
            acc[v][1] += OS.getProcessCpuTime() - c0;
          }
        }
      }
    }
    int n = blocks * 5;
    System.out.printf("threads %d, %d calls each: four-gather %.2f ms wall %.2f ms cpu; fused %.2f ms wall %.2f ms cpu; ratio wall %.2f cpu %.2f%n",
        threads, n, acc[0][0] / 1e6 / n, acc[0][1] / 1e6 / n, acc[1][0] / 1e6 / n, acc[1][1] / 1e6 / n,
        (double) acc[1][0] / acc[0][0], (double) acc[1][1] / acc[0][1]);
  }

  static void once(Engine engine, NDManager m, BinaryOperator<NDArray> s, float[] img, float[] th) {
    try (NDManager scope = m.newSubManager()) {
      NDArray x = StnModel.engineOwned(scope.create(img, new Shape(64, 3, 32, 32)));
      NDArray t = StnModel.engineOwned(scope.create(th, new Shape(64, 2, 3)));
      x.setRequiresGradient(true);
      t.setRequiresGradient(true);
      try (GradientCollector c = engine.newGradientCollector()) {
        c.backward(s.apply(x, t).sum());
      }
      t.getGradient().toFloatArray();
    }
  }
}
