package dev.stn4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import dev.stn4j.train.model.AffineSampler;
import dev.stn4j.train.model.StnModel;
import dev.stn4j.train.model.StnWeights;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

/** One JVM, alternating blocks of 5: full training step, the model's 4 convs fwd+bwd, the sampler fwd+bwd. */
public class ComponentProfile {
  static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  static Engine engine;
  static SplittableRandom r = new SplittableRandom(5);

  static float[] u(long n) { float[] a = new float[(int) n]; for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1); return a; }

  public static void main(String[] args) {
    int blocks = Integer.parseInt(args[0]);
    boolean step = !args[1].equals("nostep");
    TrainCommand.startEngine(2);
    engine = Engine.getEngine("PyTorch");
    float[] img = new float[64 * 3072];
    for (int i = 0; i < img.length; i++) img[i] = (float) r.nextDouble();
    long[] lab = r.longs(64, 0, 10).toArray();
    // conv shapes as in the model; input gradient needed for all but loc.conv1
    long[][][] convs = {{{64,3,32,32},{8,3,7,7}}, {{64,8,13,13},{10,8,5,5}}, {{64,3,32,32},{10,3,5,5}}, {{64,10,14,14},{20,10,5,5}}};
    boolean[] inGrad = {false, true, true, true};
    float[][] cx = new float[4][], cw = new float[4][];
    for (int k = 0; k < 4; k++) { cx[k] = u(new Shape(convs[k][0]).size()); cw[k] = u(new Shape(convs[k][1]).size()); }
    float[] th = u(64 * 6);
    for (int i = 0; i < th.length; i++) th[i] = th[i] * 0.2f + new float[] {1, 0, 0, 0, 1, 0}[i % 6];
    float[] sx = u(64 * 3072);
    long[][] acc = new long[3][2];
    TrainSettings settings = TrainSettings.builder().build();
    try (NDManager manager = engine.newBaseManager();
        StnModel model = StnModel.create(manager, StnWeights.initial(42));
        Sgd sgd = new Sgd(manager, model, settings, null)) {
      for (int b = -3; b < blocks; b++) {
        for (int v = step ? 0 : 1; v < 3; v++) {
          long w0 = System.nanoTime(), c0 = OS.getProcessCpuTime();
          for (int i = 0; i < 5; i++) {
            try (NDManager s = manager.newSubManager()) {
              if (v == 0) {
                NDArray x = StnModel.engineOwned(s.create(img, new Shape(64, 3, 32, 32)));
                NDArray y = s.create(lab);
                try (GradientCollector c = engine.newGradientCollector()) {
                  NDArray logits = model.forward(x, true).logits();
                  NDArray loss = CrossEntropy.loss(logits, y, 0);
                  c.backward(loss);
                  loss.getFloat();
                }
                sgd.step(0.0004);
              } else if (v == 1) {
                for (int k = 0; k < 4; k++) {
                  NDArray x = StnModel.engineOwned(s.create(cx[k], new Shape(convs[k][0])));
                  NDArray wt = StnModel.engineOwned(s.create(cw[k], new Shape(convs[k][1])));
                  NDArray bias = s.zeros(new Shape(convs[k][1][0]));
                  x.setRequiresGradient(inGrad[k]);
                  wt.setRequiresGradient(true);
                  bias.setRequiresGradient(true);
                  try (GradientCollector c = engine.newGradientCollector()) {
                    c.backward(Conv2d.conv2d(x, wt, bias).singletonOrThrow().sum());
                  }
                }
              } else {
                NDArray x = StnModel.engineOwned(s.create(sx, new Shape(64, 3, 32, 32)));
                NDArray t = StnModel.engineOwned(s.create(th, new Shape(64, 2, 3)));
                x.setRequiresGradient(true);
                t.setRequiresGradient(true);
                try (GradientCollector c = engine.newGradientCollector()) {
                  c.backward(AffineSampler.sample(x, t).sum());
                }
              }
            }
          }
          if (b >= 0) { acc[v][0] += System.nanoTime() - w0; acc[v][1] += OS.getProcessCpuTime() - c0; }
        }
      }
    }
    int n = blocks * 5;
    String[] names = {"full step (fwd+loss+bwd+sgd)", "4 convs fwd+bwd", "sampler fwd+bwd"};
    for (int v = step ? 0 : 1; v < 3; v++) {
      System.out.printf("ISA=%s %-30s %7.2f ms wall %7.2f ms cpu per call (%d calls)%n", System.getenv("ONEDNN_MAX_CPU_ISA"), names[v], acc[v][0] / 1e6 / n, acc[v][1] / 1e6 / n, n);
    }
  }
}
