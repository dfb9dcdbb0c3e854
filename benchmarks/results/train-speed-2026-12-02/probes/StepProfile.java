package dev.stn4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.stn4j.train.model.StnModel;
import dev.stn4j.train.model.StnWeights;
import java.util.SplittableRandom;

/** Where a training step's time goes: forward+loss, backward, optimizer, bookkeeping. */
public class StepProfile {
  public static void main(String[] args) {
    int steps = Integer.parseInt(args[0]);
    int threads = Integer.parseInt(args[1]);
    TrainCommand.startEngine(threads);
    Engine engine = Engine.getEngine("PyTorch");
    TrainSettings settings = TrainSettings.builder().build();
    SplittableRandom r = new SplittableRandom(1);
    int n = 64;
    float[] img = new float[n * 3072];
    for (int i = 0; i < img.length; i++) img[i] = (float) r.nextDouble();
    long[] lab = r.longs(n, 0, 10).toArray();
    long[] t = new long[5];
    try (NDManager manager = engine.newBaseManager();
        StnModel model = StnModel.create(manager, StnWeights.initial(42));
        Sgd sgd = new Sgd(manager, model, settings, null)) {
      for (int s = 0; s < steps + 50; s++) {
        long t0 = System.nanoTime();
        try (NDManager scope = manager.newSubManager()) {
          NDArray x = StnModel.engineOwned(scope.create(img, new Shape(n, 3, 32, 32)));
          NDArray y = scope.create(lab);
          long t1, t2;
          NDArray logits, loss;
          try (GradientCollector c = engine.newGradientCollector()) {
            logits = model.forward(x, true).logits();
            loss = CrossEntropy.loss(logits, y, 0);
            t1 = System.nanoTime();
            c.backward(loss);
            t2 = System.nanoTime();
          }
          float l = loss.getFloat();
          long t3 = System.nanoTime();
          sgd.step(0.001);
          long t4 = System.nanoTime();
          long correct = logits.argMax(1).eq(y).sum().getLong();
          long t5 = System.nanoTime();
          if (s >= 50) {
            t[0] += t1 - t0; t[1] += t2 - t1; t[2] += t3 - t2; t[3] += t4 - t3; t[4] += t5 - t4;
          }
        }
      }
    }
    String[] names = {"forward+loss", "backward", "loss.getFloat", "sgd.step", "argmax/acc+close"};
    long total = 0;
    for (long v : t) total += v;
    System.out.printf("ISA=%s threads=%d steps=%d: %.2f ms/step%n", System.getenv("ONEDNN_MAX_CPU_ISA"), threads, steps, total / 1e6 / steps);
    for (int i = 0; i < 5; i++) System.out.printf("  %-18s %.3f ms%n", names[i], t[i] / 1e6 / steps);
  }
}
