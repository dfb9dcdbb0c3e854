package dev.stn4j.sdk;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Not a test: a quick latency and throughput check of the SDK against a raw {@link OrtSession}
 * baseline with the same options. The benchmarks module measures properly (JMH); this is for the
 * SDK engineer while changing the hot path.
 *
 * <pre>
 * java -cp sdk/target/classes:sdk/target/test-classes:$(cat cp.txt) dev.stn4j.sdk.LatencyProbe \
 *     [model.onnx] [intraOpThreads]
 * </pre>
 */
public final class LatencyProbe {
  private LatencyProbe() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("stn4j.root", "."));
    CifarBatch sample = CifarBatch.read(root.resolve("data/sample-set/test_batch_first1000.bin"));
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    StnClassifier.Builder builder =
        StnClassifier.builder().intraOpThreads(threads).provider(Provider.cpu());
    byte[] modelBytes;
    if (args.length > 0 && !args[0].equals("default")) {
      builder.model(Path.of(args[0]));
      modelBytes = Files.readAllBytes(Path.of(args[0]));
    } else {
      modelBytes = ModelBytes.defaultModel().bytes();
    }
    List<float[]> images = new ArrayList<>();
    for (int i = 0; i < sample.size(); i++) {
      images.add(sample.image(i));
    }
    try (StnClassifier c = builder.build()) {
      System.out.println("provider " + c.providerSelection() + ", intra threads " + threads);
      long[] t = new long[20_000];
      for (int i = 0; i < 5_000; i++) {
        c.predict(images.get(i % 1000));
      }
      for (int i = 0; i < t.length; i++) {
        long s = System.nanoTime();
        c.predict(images.get(i % 1000));
        t[i] = System.nanoTime() - s;
      }
      report("SDK predict batch 1", t);
      List<float[]> batch = images.subList(0, 256);
      for (int i = 0; i < 20; i++) {
        c.predictAll(batch);
      }
      int reps = 100;
      long s = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        c.predictAll(batch);
      }
      double secs = (System.nanoTime() - s) / 1e9;
      System.out.printf("SDK predictAll batch 256: %.0f img/s%n", reps * 256 / secs);
    }
    raw(modelBytes, threads, images);
  }

  /** The baseline: one session, preallocated input tensors, outputs left in ORT's buffers. */
  private static void raw(byte[] model, int threads, List<float[]> images) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      o.setIntraOpNumThreads(threads);
      o.setInterOpNumThreads(1);
      try (OrtSession session = env.createSession(model, o)) {
        for (int n : new int[] {1, 256}) {
          FloatBuffer buf =
              ByteBuffer.allocateDirect(n * Cifar10.IMAGE_VALUES * 4)
                  .order(ByteOrder.nativeOrder())
                  .asFloatBuffer();
          for (int i = 0; i < n; i++) {
            buf.put(i * Cifar10.IMAGE_VALUES, images.get(i));
          }
          try (OnnxTensor in = OnnxTensor.createTensor(env, buf, new long[] {n, 3, 32, 32})) {
            Map<String, OnnxTensor> inputs = Map.of(ModelFormat.INPUT_IMAGE, in);
            int reps = n == 1 ? 20_000 : 100;
            long[] t = new long[reps];
            for (int i = 0; i < reps / 4; i++) {
              session.run(inputs).close();
            }
            for (int i = 0; i < reps; i++) {
              long s = System.nanoTime();
              session.run(inputs).close();
              t[i] = System.nanoTime() - s;
            }
            if (n == 1) {
              report("raw OrtSession.run batch 1", t);
            } else {
              double secs = Arrays.stream(t).sum() / 1e9;
              System.out.printf("raw OrtSession.run batch 256: %.0f img/s%n", reps * 256 / secs);
            }
          }
        }
      }
    }
  }

  private static void report(String what, long[] nanos) {
    long[] t = nanos.clone();
    Arrays.sort(t);
    System.out.printf(
        "%s: p50 %.1f us, p90 %.1f us, p99 %.1f us%n",
        what, t[t.length / 2] / 1e3, t[t.length * 9 / 10] / 1e3, t[t.length * 99 / 100] / 1e3);
  }
}
