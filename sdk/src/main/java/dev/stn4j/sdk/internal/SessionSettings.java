package dev.stn4j.sdk.internal;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.stn4j.sdk.ErrorCode;
import dev.stn4j.sdk.Provider;
import dev.stn4j.sdk.ProviderSelection;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How stn4j configures an ONNX Runtime session, in one place: {@link StnClassifier} builds its
 * sessions from these settings, and so can any code that wants a session configured exactly like
 * the classifier's (a raw-ORT baseline, a probe). The defaults are the classifier's: all graph
 * optimisations, sequential execution with one inter-op thread, the available processors as
 * intra-op threads, ONNX Runtime's memory pattern optimisation, and on the CPU provider stn4j's
 * native GridSample kernel ({@link NativeKernels}) where this build has one.
 *
 * <pre>{@code
 * SessionSettings settings = SessionSettings.builder().intraOpThreads(2).build();
 * try (SessionOptions options = settings.toSessionOptions();
 *     OrtSession session = OrtSetup.environment().createSession("stn.onnx", options)) {
 *   ...
 * } // close the session before its options: ONNX Runtime unloads the native kernel with them
 * }</pre>
 *
 * <p>Immutable; {@link #toBuilder()} starts a variation.
 */
public final class SessionSettings {
  private final Provider provider;
  private final int intraOpThreads;
  private final int interOpThreads;
  private final OptLevel optimizationLevel;
  private final boolean memoryPattern;
  private final Map<String, String> config;
  private final boolean nativeKernels;
  private final Path nativeKernelLibrary;
  private final ProviderSelection.GridSampleKernel gridSample;

  private SessionSettings(Builder b) {
    this.provider = b.provider;
    this.intraOpThreads = b.intraOpThreads;
    this.interOpThreads = b.interOpThreads;
    this.optimizationLevel = b.optimizationLevel;
    this.memoryPattern = b.memoryPattern;
    this.config = Collections.unmodifiableMap(new LinkedHashMap<>(b.config));
    this.nativeKernels = b.nativeKernels;
    this.nativeKernelLibrary = b.nativeKernelLibrary;
    this.gridSample = gridSampleKernel();
  }

  /** The classifier's settings, on the CPU provider. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to make a variation of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** {@link Provider#cpu()}, {@link Provider#cuda(int)} or {@link Provider#tensorRt(int)}. */
  public Provider provider() {
    return provider;
  }

  public int intraOpThreads() {
    return intraOpThreads;
  }

  /** 1 for sequential execution, more for parallel execution on that many threads. */
  public int interOpThreads() {
    return interOpThreads;
  }

  /** {@code SEQUENTIAL} with one inter-op thread, else {@code PARALLEL}. */
  public ExecutionMode executionMode() {
    return interOpThreads == 1 ? ExecutionMode.SEQUENTIAL : ExecutionMode.PARALLEL;
  }

  public OptLevel optimizationLevel() {
    return optimizationLevel;
  }

  public boolean memoryPattern() {
    return memoryPattern;
  }

  /** The session configuration entries, in the order they were given. */
  public Map<String, String> config() {
    return config;
  }

  /** Whether stn4j's native GridSample kernel is wanted (it runs on the CPU provider only). */
  public boolean nativeKernels() {
    return nativeKernels;
  }

  /** The GridSample kernel that sessions with these options run, and if not the native one, why. */
  public ProviderSelection.GridSampleKernel gridSample() {
    return gridSample;
  }

  /** These settings on another provider (auto is decided by the caller, one provider at a time). */
  public SessionSettings withProvider(Provider p) {
    return toBuilder().provider(p).build();
  }

  /**
   * Fresh ONNX Runtime session options with these settings; the caller owns and closes them, after
   * the sessions made with them. ONNX Runtime is started through {@link OrtSetup#environment()}
   * first.
   *
   * @throws StnException {@link ErrorCode#PROVIDER_UNAVAILABLE} when this ONNX Runtime cannot add
   *     the provider (ONNX Runtime's text, and a hint); {@link ErrorCode#INCOMPATIBLE_RUNTIME} as
   *     {@link OrtSetup#environment()}; {@link ErrorCode#RUNTIME} when ONNX Runtime refuses a
   *     setting, e.g. a config entry, or cannot load the native kernel
   */
  public SessionOptions toSessionOptions() throws StnException {
    OrtSetup.environment(); // before SessionOptions loads ORT's native library
    SessionOptions options = new SessionOptions();
    try {
      options.setOptimizationLevel(optimizationLevel);
      options.setExecutionMode(executionMode());
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(interOpThreads);
      options.setMemoryPatternOptimization(memoryPattern);
      for (Map.Entry<String, String> entry : config.entrySet()) {
        options.addConfigEntry(entry.getKey(), entry.getValue());
      }
    } catch (OrtException e) {
      options.close();
      throw new StnException(
          ErrorCode.RUNTIME, "cannot set ONNX Runtime session options: " + e.getMessage(), e);
    }
    if (gridSample instanceof ProviderSelection.GridSampleKernel.Native kernel) {
      try {
        options.registerCustomOpLibrary(kernel.library().toString());
      } catch (OrtException e) {
        options.close();
        throw new StnException(
            ErrorCode.RUNTIME,
            "cannot load stn4j's native kernels from " + kernel.library() + ": " + e.getMessage(),
            e);
      }
    }
    try {
      addProvider(options);
      return options;
    } catch (OrtException e) {
      options.close();
      throw new StnException(
          ErrorCode.PROVIDER_UNAVAILABLE,
          provider.displayName()
              + " is not available: "
              + e.getMessage()
              + providerHint(e.getMessage()),
          e);
    }
  }

  private void addProvider(SessionOptions options) throws OrtException {
    if (provider instanceof Provider.TensorRt trt) {
      options.addTensorrt(trt.device());
      // TensorRT hands the nodes it cannot build to the next provider; keep those on the GPU.
      options.addCUDA(trt.device());
    } else if (provider instanceof Provider.Cuda cuda) {
      options.addCUDA(cuda.device());
    }
  }

  private ProviderSelection.GridSampleKernel gridSampleKernel() {
    if (!(provider instanceof Provider.Cpu)) {
      return new ProviderSelection.GridSampleKernel.OnnxRuntime("the native kernel is CPU-only");
    }
    if (!nativeKernels) {
      return new ProviderSelection.GridSampleKernel.OnnxRuntime(
          "the native kernel is turned off (nativeKernels(false))");
    }
    if (nativeKernelLibrary != null) {
      return new ProviderSelection.GridSampleKernel.Native(nativeKernelLibrary);
    }
    NativeKernels.Availability kernels = NativeKernels.find();
    if (kernels instanceof NativeKernels.Available available) {
      return new ProviderSelection.GridSampleKernel.Native(available.library());
    }
    return new ProviderSelection.GridSampleKernel.OnnxRuntime(
        ((NativeKernels.Unavailable) kernels).reason());
  }

  private static String providerHint(String ortMessage) {
    List<String> built = Provider.availableInBuild();
    if (!built.contains("CUDA")) {
      return " (this ONNX Runtime build has "
          + built
          + "; GPU providers need the onnxruntime_gpu jar: build with -Pgpu)";
    }
    if (ortMessage != null && ortMessage.contains("Failed to load shared library")) {
      // ORT logs the missing library's name but does not put it in the exception.
      return " (the CUDA provider needs an NVIDIA driver and the CUDA 12 and cuDNN 9 libraries,"
          + " e.g. libcublasLt.so.12 and libcudnn.so.9, on the library path)";
    }
    return "";
  }

  @Override
  public String toString() {
    return "SessionSettings[provider="
        + provider.displayName()
        + ", intraOpThreads="
        + intraOpThreads
        + ", interOpThreads="
        + interOpThreads
        + ", optimizationLevel="
        + optimizationLevel
        + ", memoryPattern="
        + memoryPattern
        + ", config="
        + config
        + ", gridSample="
        + gridSample.description()
        + "]";
  }

  /**
   * Options of {@link SessionSettings}, checked in {@link #build()}; the defaults are the
   * classifier's.
   *
   * <pre>{@code
   * SessionSettings s = SessionSettings.builder().provider(Provider.cuda(0)).intraOpThreads(1)
   *     .config("session.intra_op.allow_spinning", "0").build();
   * }</pre>
   */
  public static final class Builder {
    private Provider provider = Provider.cpu();
    private int intraOpThreads = Runtime.getRuntime().availableProcessors();
    private int interOpThreads = 1;
    private OptLevel optimizationLevel = OptLevel.ALL_OPT;
    private boolean memoryPattern = true;
    private final Map<String, String> config = new LinkedHashMap<>();
    private boolean nativeKernels = true;
    private Path nativeKernelLibrary;

    private Builder() {}

    private Builder(SessionSettings s) {
      this.provider = s.provider;
      this.intraOpThreads = s.intraOpThreads;
      this.interOpThreads = s.interOpThreads;
      this.optimizationLevel = s.optimizationLevel;
      this.memoryPattern = s.memoryPattern;
      this.config.putAll(s.config);
      this.nativeKernels = s.nativeKernels;
      this.nativeKernelLibrary = s.nativeKernelLibrary;
    }

    /**
     * The execution provider: {@link Provider#cpu()} (the default), {@link Provider#cuda(int)} or
     * {@link Provider#tensorRt(int)}. Not {@link Provider#auto()}: that is a choice made while
     * opening a session ({@link StnClassifier.Builder#provider}), one provider at a time.
     *
     * @throws IllegalArgumentException for {@link Provider#auto()}
     */
    public Builder provider(Provider p) {
      Objects.requireNonNull(p, "provider");
      if (p instanceof Provider.Auto) {
        throw new IllegalArgumentException(
            "session settings take one provider (cpu, cuda:N or tensorrt:N), got auto");
      }
      this.provider = p;
      return this;
    }

    /** Threads ONNX Runtime uses inside one run, 1..1024; default: the available processors. */
    public Builder intraOpThreads(int n) {
      this.intraOpThreads = n;
      return this;
    }

    /**
     * 1 (the default) runs the graph's nodes one after another; more runs independent nodes in
     * parallel on that many threads (ONNX Runtime's {@code PARALLEL} execution mode; this model's
     * graph is a chain, so it gains nothing).
     */
    public Builder interOpThreads(int n) {
      this.interOpThreads = n;
      return this;
    }

    /** ONNX Runtime's graph optimisation level; default {@code ALL_OPT}. */
    public Builder optimizationLevel(OptLevel level) {
      this.optimizationLevel = Objects.requireNonNull(level, "level");
      return this;
    }

    /** ONNX Runtime's memory pattern optimisation; default on (ONNX Runtime's default). */
    public Builder memoryPattern(boolean on) {
      this.memoryPattern = on;
      return this;
    }

    /**
     * A session configuration entry, passed to ONNX Runtime as is (the escape hatch), e.g. {@code
     * config("session.intra_op.allow_spinning", "0")}; a later value for a key replaces the
     * earlier.
     */
    public Builder config(String key, String value) {
      config.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Whether the CPU provider registers stn4j's native GridSample kernel where this build has one;
     * default true.
     */
    public Builder nativeKernels(boolean use) {
      this.nativeKernels = use;
      return this;
    }

    /** Another build of the native kernel library than {@link NativeKernels#find()}'s (tests). */
    public Builder nativeKernelLibrary(Path library) {
      this.nativeKernelLibrary = library;
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException for a thread count out of range, naming it and its value
     */
    public SessionSettings build() {
      if (intraOpThreads < 1 || intraOpThreads > 1024) {
        throw new IllegalArgumentException(
            "intraOpThreads must be in 1..1024, got " + intraOpThreads);
      }
      if (interOpThreads < 1 || interOpThreads > 1024) {
        throw new IllegalArgumentException(
            "interOpThreads must be in 1..1024, got " + interOpThreads);
      }
      return new SessionSettings(this);
    }
  }
}
