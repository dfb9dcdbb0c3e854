package dev.stn4j.spark;

import dev.stn4j.sdk.Provider;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The JVM-wide classifiers of an executor: one {@link StnClassifier} per model checksum, provider
 * and intra-op thread count, shared by every task that runs in this JVM (a classifier is
 * thread-safe and meant to be shared; one per task or per row would load the model again and
 * multiply ONNX Runtime's thread pools). Closed by a shutdown hook when the JVM exits.
 *
 * <p>This is the one piece of static mutable state of the module, on purpose: Spark gives a task no
 * other place that lives as long as the executor.
 */
final class ClassifierCache {
  /** What makes two classifiers interchangeable. */
  record Key(String modelSha256, String provider, int intraOpThreads) {}

  private static final Map<Key, StnClassifier> OPEN = new ConcurrentHashMap<>();
  private static final AtomicInteger BUILT = new AtomicInteger();

  static {
    Thread hook = new Thread(ClassifierCache::closeAll, "stn4j-classifier-cache-close");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  private ClassifierCache() {}

  /**
   * The classifier for {@code key}, built from {@code model} the first time this JVM asks for it.
   *
   * @throws StnException if the classifier cannot be built (nothing is cached then)
   */
  static StnClassifier get(Key key, Supplier<byte[]> model, String modelName) throws StnException {
    StnClassifier open = OPEN.get(key);
    if (open != null) {
      return open;
    }
    synchronized (OPEN) {
      open = OPEN.get(key);
      if (open == null) {
        open =
            StnClassifier.builder()
                .model(model.get(), modelName)
                .provider(Provider.parse(key.provider()))
                .intraOpThreads(key.intraOpThreads())
                // Tasks hand whole batches to predictEach, which splits larger ones itself.
                .maxBatchSize(256)
                // Executors run one task per core: idle ORT threads must not spin on those cores.
                .sessionConfig("session.intra_op.allow_spinning", "0")
                .build();
        BUILT.incrementAndGet();
        OPEN.put(key, open);
      }
      return open;
    }
  }

  /** How many classifiers this JVM has built (not looked up): for tests and logs. */
  static int built() {
    return BUILT.get();
  }

  private static void closeAll() {
    synchronized (OPEN) {
      OPEN.values().forEach(StnClassifier::close);
      OPEN.clear();
    }
  }
}
