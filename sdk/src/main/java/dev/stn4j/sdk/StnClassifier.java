package dev.stn4j.sdk;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.stn4j.image.ImageLoader;
import dev.stn4j.image.Preprocessor;
import dev.stn4j.sdk.internal.OrtSetup;
import dev.stn4j.sdk.internal.SessionSettings;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Classifies images with a spatial transformer network exported to ONNX, on ONNX Runtime: the
 * shipped CIFAR-10 model (10 classes, 32×32) or any stn4j model, whose image size S and classes it
 * follows ({@link #modelInfo()}, {@link #preprocessor()}).
 *
 * <p><b>Thread-safe:</b> build one and share it; calls run concurrently (each takes its own
 * pre-allocated buffers from a pool; nothing serialises callers). {@link #close()} waits for calls
 * in flight, releases the native session and is idempotent; any call after it throws {@link
 * IllegalStateException}.
 *
 * <pre>{@code
 * try (StnClassifier classifier = StnClassifier.builder()
 *     .defaultModel()                 // or .model(Path.of("stn.onnx"))
 *     .provider(Provider.auto())      // CUDA if usable, else CPU
 *     .build()) {
 *   Prediction p = classifier.predict(Path.of("cat.png"));
 *   System.out.println(p.label() + " " + p.confidence() + " " + p.theta());
 * }
 * }</pre>
 */
public final class StnClassifier implements AutoCloseable {
  private final OrtSession session;
  private final SessionOptions options;
  private final String name;
  private final ModelInfo info;
  private final ProviderSelection selection;
  private final int maxBatchSize;
  private final List<String> labels;
  private final Preprocessor preprocessor;
  private final int size;
  private final SlotPool singles;
  private final SlotPool batches;
  // Read side: every call in flight; write side: close(), so it never frees what a call still uses.
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  // Volatile for predict(Path), which checks it before decoding, outside the lock.
  private volatile boolean closed;

  private StnClassifier(
      OrtEnvironment env,
      SessionFactory.Opened opened,
      String name,
      ModelInfo info,
      int maxBatchSize) {
    this.name = name;
    this.session = opened.session();
    this.options = opened.options();
    this.selection = opened.selection();
    this.info = info;
    this.maxBatchSize = maxBatchSize;
    this.labels = info.classNames();
    this.size = info.imageSize();
    this.preprocessor = Preprocessor.ofSize(size);
    this.singles = new SlotPool(env, labels.size(), size);
    this.batches = new SlotPool(env, labels.size(), size);
  }

  /**
   * A builder; without {@link Builder#model(Path)} it loads the shipped default model, and without
   * {@link Builder#provider(Provider)} it runs on {@link Provider#auto()}, as {@link
   * #createDefault()}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The shipped default model on {@link Provider#auto()} (CUDA when usable, else the CPU, with the
   * reason in {@link ProviderSelection#skipped()}), every other option at its default: the same as
   * {@code builder().build()}.
   */
  public static StnClassifier createDefault() throws StnException {
    return builder().build();
  }

  /**
   * Classifies one image given as 3×S×S floats (S = {@code modelInfo().imageSize()}, 32 for the
   * CIFAR-10 model), RGB in [0,1], channel-major (R plane, G plane, B plane).
   *
   * @throws StnException {@link ErrorCode#INVALID_INPUT} for a wrong length, NaN or infinity
   */
  public Prediction predict(float[] chw) throws StnException {
    Inputs.checkLength(chw, -1, size);
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      InferenceSlot slot = singles.acquire(1);
      try {
        slot.input.put(0, chw);
        // Scanned for NaN/∞ after the copy, which has just brought it into the cache, rather
        // than reading a fresh image from memory twice.
        Inputs.checkFinite(chw, -1, size);
        run(slot, 1, "input");
        return slot.prediction(0, labels);
      } finally {
        singles.release(slot);
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Classifies an image of any size and colour model, pre-processed to the model's size by {@link
   * #preprocessor()}.
   */
  public Prediction predict(BufferedImage image) throws StnException {
    Objects.requireNonNull(image, "image");
    return predict(preprocessor.chw(image));
  }

  /**
   * The pre-processing to this model's input: {@code Preprocessor.ofSize(S)}, S being {@code
   * modelInfo().imageSize()}. Use it to prepare the float arrays of {@link #predictAll}.
   */
  public Preprocessor preprocessor() {
    return preprocessor;
  }

  /**
   * Reads, decodes (with {@link ImageLoader#defaults()}, a large JPEG at reduced resolution for the
   * model's size), pre-processes and classifies an image file.
   *
   * @throws StnException {@link ErrorCode#INVALID_INPUT} naming the file when it cannot be read
   */
  public Prediction predict(Path imageFile) throws StnException {
    ensureOpen();
    return predict(ImageLoader.defaults().read(imageFile, preprocessor.size()));
  }

  /**
   * Classifies many images, running them in batches of at most {@link Builder#maxBatchSize}; the
   * results are in input order. Every input is checked before any runs: one bad input fails the
   * whole call. {@link #predictEach} instead gives every good input its prediction.
   *
   * @throws StnException {@link ErrorCode#INVALID_INPUT} naming a bad input by its index
   */
  public List<Prediction> predictAll(List<float[]> chwImages) throws StnException {
    // The first batch is checked while it is copied in (one pass over memory instead of two);
    // the rest up front, so a bad input anywhere fails before anything runs.
    for (int i = maxBatchSize; i < chwImages.size(); i++) {
      Inputs.check(chwImages.get(i), i, size);
    }
    List<Prediction> results = new ArrayList<>(chwImages.size());
    inBatches(
        chwImages.size(),
        (slot, start, n) -> {
          for (int i = 0; i < n; i++) {
            float[] chw = chwImages.get(start + i);
            if (start == 0) {
              Inputs.check(chw, i, size);
            }
            slot.input.put(i * slot.imageValues(), chw);
          }
          run(slot, n, "inputs " + start + ".." + (start + n - 1));
          for (int i = 0; i < n; i++) {
            results.add(slot.prediction(i, labels));
          }
        });
    return List.copyOf(results);
  }

  /**
   * The bytes of the model shipped in the SDK jar (a copy), e.g. to checksum it or send it to
   * workers with {@link Builder#model(byte[], String)}.
   *
   * @throws StnException {@link ErrorCode#MODEL_NOT_FOUND} if this SDK jar holds no model
   */
  public static byte[] defaultModelBytes() throws StnException {
    return ModelBytes.defaultModel().bytes();
  }

  /**
   * The bytes of a model file, read with the checks and messages of {@link Builder#model(Path)}:
   * for a program that reads the model once and sends it to workers with {@link
   * Builder#model(byte[], String)}, naming the file in its errors as a classifier would.
   *
   * <pre>{@code
   * byte[] model = StnClassifier.modelBytes(Path.of("my-model.onnx"));
   * }</pre>
   *
   * @throws StnException {@link ErrorCode#MODEL_NOT_FOUND} naming the file: missing, a directory or
   *     unreadable (whether it is a model is for {@link Builder#build()} to say)
   */
  public static byte[] modelBytes(Path onnxFile) throws StnException {
    return ModelBytes.read(Objects.requireNonNull(onnxFile, "onnxFile")).bytes();
  }

  /**
   * Runs the sample images embedded in the model (contract version 2) and compares the answers with
   * those the trainer recorded, as {@link Builder#build()} does unless told not to ({@link
   * Builder#verifySamples(boolean)}).
   *
   * @return the number of images checked; 0 for a model without embedded samples
   * @throws StnException {@link ErrorCode#INVALID_MODEL} naming the model, how many of the N images
   *     disagree and the first of them with its expected and actual class
   */
  public int verifySamples() throws StnException {
    return SampleCheck.run(this, name);
  }

  /** The model's metadata: class names, image size, statistics, accuracy, provenance. */
  public ModelInfo modelInfo() {
    return info;
  }

  /** Which execution provider runs and why the ones tried before it were skipped. */
  public ProviderSelection providerSelection() {
    return selection;
  }

  /** The most images one ONNX Runtime run takes. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /** Waits for calls in flight, then releases the session; later calls fail; idempotent. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      singles.closeAll();
      batches.closeAll();
      try {
        session.close();
      } catch (OrtException e) {
        throw new IllegalStateException("closing the ONNX Runtime session failed", e);
      } finally {
        options.close();
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this StnClassifier is closed");
    }
  }

  /**
   * Classifies many images as {@link #predictAll} does, but with one result per input, in input
   * order: a bad input (wrong length, NaN, infinity, null) gets its own {@link
   * ErrorCode#INVALID_INPUT} naming its index, and the others are batched and predicted as if it
   * were not there. Should ONNX Runtime fail on a batch, each input of that batch gets the {@link
   * ErrorCode#RUNTIME} error and the other batches still run.
   */
  public List<PredictionResult> predictEach(List<float[]> chwImages) {
    PredictionResult[] results = new PredictionResult[chwImages.size()];
    List<Integer> good = new ArrayList<>(chwImages.size());
    for (int i = 0; i < chwImages.size(); i++) {
      try {
        Inputs.check(chwImages.get(i), i, size);
        good.add(i);
      } catch (StnException e) {
        results[i] = new PredictionResult.Failure(e);
      }
    }
    inBatches(
        good.size(),
        (slot, start, n) -> predictBatch(slot, chwImages, good.subList(start, start + n), results));
    return List.of(results);
  }

  /** One batch of a multi-image call: {@code n} of its inputs from position {@code start}. */
  private interface BatchStep<E extends Exception> {
    void run(InferenceSlot slot, int start, int n) throws E;
  }

  /**
   * Walks {@code count} inputs in batches of at most {@link Builder#maxBatchSize} through one batch
   * slot, with the classifier held open.
   */
  private <E extends Exception> void inBatches(int count, BatchStep<E> step) throws E {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      if (count == 0) {
        return;
      }
      InferenceSlot slot = batches.acquire(Math.min(maxBatchSize, count));
      try {
        for (int start = 0; start < count; start += maxBatchSize) {
          step.run(slot, start, Math.min(maxBatchSize, count - start));
        }
      } finally {
        batches.release(slot);
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Runs the inputs at these indices (already checked) as one batch, into their results. */
  private void predictBatch(
      InferenceSlot slot, List<float[]> images, List<Integer> indices, PredictionResult[] results) {
    for (int i = 0; i < indices.size(); i++) {
      slot.input.put(i * slot.imageValues(), images.get(indices.get(i)));
    }
    try {
      int first = indices.get(0);
      int last = indices.get(indices.size() - 1);
      run(slot, indices.size(), "the batch of inputs " + first + ".." + last);
      for (int i = 0; i < indices.size(); i++) {
        results[indices.get(i)] = new PredictionResult.Success(slot.prediction(i, labels));
      }
    } catch (StnException e) {
      for (int index : indices) {
        results[index] = new PredictionResult.Failure(e);
      }
    }
  }

  private void run(InferenceSlot slot, int n, String what) throws StnException {
    try {
      slot.prepare(n);
      session.run(slot.inputs(), slot.outputs()).close();
    } catch (OrtException e) {
      throw new StnException(
          ErrorCode.RUNTIME, what + ": ONNX Runtime failed: " + e.getMessage(), e);
    }
  }

  /**
   * Options of a {@link StnClassifier}, checked in {@link #build()}.
   *
   * <pre>{@code
   * StnClassifier c = StnClassifier.builder().model(Path.of("stn.onnx"))
   *     .provider(Provider.cpu()).intraOpThreads(2).maxBatchSize(256).build();
   * }</pre>
   */
  /** The most images one ONNX Runtime run may take ({@link Builder#maxBatchSize}). */
  public static final int MAX_BATCH_SIZE = 65_536;

  public static final class Builder {
    private Path model;
    private ModelBytes modelBytes;
    private Provider provider = Provider.auto();
    private int maxBatchSize = 256;
    private boolean verifySamples = true;
    // The provider aside (auto is tried one provider at a time), the session is configured here.
    private final SessionSettings.Builder session = SessionSettings.builder();

    private Builder() {}

    /** An ONNX model file in the stn4j format. */
    public Builder model(Path onnxFile) {
      this.model = Objects.requireNonNull(onnxFile, "onnxFile");
      this.modelBytes = null;
      return this;
    }

    /**
     * An ONNX model in the stn4j format, already in memory: for a program that ships the model to
     * its workers itself (a Spark broadcast, say) rather than as a file every worker can read.
     *
     * @param onnx the model file's bytes (copied)
     * @param name what messages call the model, e.g. the file it came from
     */
    public Builder model(byte[] onnx, String name) {
      this.modelBytes =
          new ModelBytes(
              Objects.requireNonNull(name, "name"), Objects.requireNonNull(onnx, "onnx").clone());
      this.model = null;
      return this;
    }

    /** The model shipped in the SDK jar (the default). */
    public Builder defaultModel() {
      this.model = null;
      this.modelBytes = null;
      return this;
    }

    /**
     * The execution provider; default {@link Provider#auto()}: CUDA device 0 when it can be used,
     * else the CPU, with why CUDA was skipped in {@link ProviderSelection#skipped()}. {@link
     * Provider#cpu()} skips the CUDA attempt.
     */
    public Builder provider(Provider p) {
      this.provider = Objects.requireNonNull(p, "provider");
      return this;
    }

    /** Threads ONNX Runtime uses inside one run; default: the available processors. */
    public Builder intraOpThreads(int n) {
      session.intraOpThreads(n);
      return this;
    }

    /** Most images per ONNX Runtime run in {@link #predictAll}; default 256. */
    public Builder maxBatchSize(int n) {
      this.maxBatchSize = n;
      return this;
    }

    /**
     * An ONNX Runtime session configuration entry, passed through as is (the escape hatch), e.g.
     * {@code sessionConfig("session.intra_op.allow_spinning", "0")}.
     */
    public Builder sessionConfig(String key, String value) {
      session.config(key, value);
      return this;
    }

    /**
     * Whether the CPU provider uses stn4j's native GridSample kernel where this build has one
     * (Linux x86-64 built with gcc): outputs bit-identical to ONNX Runtime's kernel, and faster.
     * Default true; {@link ProviderSelection#gridSample()} says which kernel runs and, if not the
     * native one, why.
     */
    public Builder nativeKernels(boolean use) {
      session.nativeKernels(use);
      return this;
    }

    /**
     * Whether {@link #build()} runs the sample images embedded in a model (contract version 2) and
     * refuses the model if any answer differs from the one the trainer recorded ({@link
     * StnClassifier#verifySamples()}). Default true; models without embedded samples (the shipped
     * CIFAR-10 one) have nothing to check.
     */
    public Builder verifySamples(boolean verify) {
      this.verifySamples = verify;
      return this;
    }

    /**
     * Loads the model and opens the session.
     *
     * @throws IllegalArgumentException for an option out of range, naming it and its value
     * @throws StnException {@link ErrorCode#MODEL_NOT_FOUND}, {@link ErrorCode#INVALID_MODEL} or
     *     {@link ErrorCode#PROVIDER_UNAVAILABLE}, naming the model or provider
     */
    public StnClassifier build() throws StnException {
      SessionSettings settings = session.build();
      if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE) {
        throw new IllegalArgumentException(
            "maxBatchSize must be in 1.." + MAX_BATCH_SIZE + ", got " + maxBatchSize);
      }
      ModelBytes bytes =
          modelBytes != null
              ? modelBytes
              : model == null ? ModelBytes.defaultModel() : ModelBytes.read(model);
      OrtEnvironment env = environment();
      SessionFactory.Opened opened =
          new SessionFactory(env, bytes.bytes(), bytes.name(), settings).open(provider);
      StnClassifier classifier;
      try {
        ModelInfo info = ModelCheck.check(bytes, opened.session());
        classifier = new StnClassifier(env, opened, bytes.name(), info, maxBatchSize);
      } catch (StnException | RuntimeException e) {
        try {
          opened.session().close();
        } catch (OrtException suppressed) {
          e.addSuppressed(suppressed);
        }
        opened.options().close();
        throw e;
      }
      if (verifySamples) {
        try {
          classifier.verifySamples();
        } catch (StnException | RuntimeException e) {
          classifier.close();
          throw e;
        }
      }
      return classifier;
    }

    private static OrtEnvironment environment() throws StnException {
      // JVM-wide and never closed, as ONNX Runtime intends. Default settings: asking for another
      // log level or name makes ORT warn whenever other code in the JVM (benchmarks, tests)
      // uses the default environment. With the GPU jar, ORT's log names a missing CUDA library.
      return OrtSetup.environment();
    }
  }
}
