package dev.stn4j.sdk;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.sdk.internal.OrtSetup;
import dev.stn4j.sdk.internal.SessionSettings;
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
 * Not a test: a quick check of the SDK's batch-1 latency and batch-256 throughput against a raw
 * {@link OrtSession} baseline with the same session options ({@link SessionSettings}, as the
 * classifier's CPU session) and a preallocated input tensor. SDK and raw calls alternate in blocks
 * so that load from other processes hits both alike. The benchmarks module measures properly (JMH);
 * this is for whoever changes the SDK's hot path.
 *
 * <pre>
 * ./mvnw -q -o -pl sdk test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp sdk/target/classes:sdk/target/test-classes:$(cat sdk/cp.txt) \
 *     [-Dprobe.blocks=20] dev.stn4j.sdk.LatencyProbe [model.onnx|default] [intraOpThreads]
 * </pre>
 */
public final class LatencyProbe {
  private static final int BLOCKS = Integer.getInteger("probe.blocks", 20);

  private LatencyProbe() {}

  public static void main(String[] args) throws Exception {
    Path root = RepositoryRoot.get();
    CifarBatch sample = CifarBatch.read(root.resolve("data/sample-set/test_batch_first1000.bin"));
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    StnClassifier.Builder builder =
        StnClassifier.builder().intraOpThreads(threads).provider(Provider.cpu());
    SessionSettings settings = SessionSettings.builder().intraOpThreads(threads).build();
    byte[] model;
    if (args.length > 0 && !args[0].equals("default")) {
      builder.model(Path.of(args[0]));
      model = Files.readAllBytes(Path.of(args[0]));
    } else {
      model = ModelBytes.defaultModel().bytes();
    }
    List<float[]> images = new ArrayList<>();
    for (int i = 0; i < sample.size(); i++) {
      images.add(sample.image(i));
    }
    OrtEnvironment env = OrtSetup.environment();
    try (StnClassifier sdk = builder.build();
        OrtSession.SessionOptions options = settings.toSessionOptions();
        OrtSession raw = env.createSession(model, options);
        OnnxTensor one = tensor(env, images, 1);
        OnnxTensor many = tensor(env, images, 256)) {
      System.out.println("SDK: " + sdk.providerSelection() + "; raw: " + settings);
      List<float[]> batch = images.subList(0, 256);
      long[] sdkOne = new long[BLOCKS * 1000];
      long[] rawOne = new long[BLOCKS * 1000];
      long sdkMany = 0;
      long rawMany = 0;
      for (int block = -2; block < BLOCKS; block++) { // two warm-up blocks
        boolean measure = block >= 0;
        for (int i = 0; i < 1000; i++) {
          long s = System.nanoTime();
          sdk.predict(images.get(i));
          long m = System.nanoTime();
          raw.run(Map.of(ModelFormat.INPUT_IMAGE, one)).close();
          long e = System.nanoTime();
          if (measure) {
            sdkOne[block * 1000 + i] = m - s;
            rawOne[block * 1000 + i] = e - m;
          }
        }
        // Alternate which goes first, so neither always runs on the other's warm caches.
        for (int k = 0; k < 2; k++) {
          boolean sdkTurn = (block + k) % 2 == 0;
          long s = System.nanoTime();
          if (sdkTurn) {
            sdk.predictAll(batch);
          } else {
            runBatch(raw, many);
          }
          long took = System.nanoTime() - s;
          if (measure && sdkTurn) {
            sdkMany += took;
          } else if (measure) {
            rawMany += took;
          }
        }
      }
      double sdkP50 = median(sdkOne);
      double rawP50 = median(rawOne);
      System.out.printf(
          "batch 1 p50: SDK predict %.1f us, raw run %.1f us, ratio %.3f%n",
          sdkP50 / 1e3, rawP50 / 1e3, sdkP50 / rawP50);
      System.out.printf(
          "batch 256: SDK predictAll %.0f img/s, raw run %.0f img/s, time ratio %.3f%n",
          BLOCKS * 256 / (sdkMany / 1e9),
          BLOCKS * 256 / (rawMany / 1e9),
          (double) sdkMany / rawMany);
    }
  }

  private static void runBatch(OrtSession raw, OnnxTensor many) throws OrtException {
    raw.run(Map.of(ModelFormat.INPUT_IMAGE, many)).close();
  }

  private static OnnxTensor tensor(OrtEnvironment env, List<float[]> images, int n)
      throws OrtException {
    FloatBuffer buf =
        ByteBuffer.allocateDirect(n * Cifar10.IMAGE_VALUES * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    for (int i = 0; i < n; i++) {
      buf.put(i * Cifar10.IMAGE_VALUES, images.get(i));
    }
    return OnnxTensor.createTensor(env, buf, new long[] {n, 3, 32, 32});
  }

  private static double median(long[] nanos) {
    long[] t = nanos.clone();
    Arrays.sort(t);
    return t[t.length / 2];
  }
}
