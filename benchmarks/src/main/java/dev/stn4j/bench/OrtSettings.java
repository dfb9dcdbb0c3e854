package dev.stn4j.bench;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.stn4j.sdk.NativeKernels;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Runtime session settings for the raw baseline and the lever experiments: the provider,
 * threads, graph optimisation level and the config entries that matter for a small model.
 *
 * <pre>{@code
 * OrtSettings s = OrtSettings.of(ProviderKind.CPU, 1).withSpinning(false);
 * try (SessionOptions options = s.toSessionOptions()) { ... }
 * }</pre>
 *
 * @param configEntries extra {@code addConfigEntry} keys and values, e.g. {@code
 *     session.intra_op.allow_spinning=0}
 * @param customOpLibrary a custom-op library to register (stn4j's native GridSample), or null
 */
public record OrtSettings(
    ProviderKind provider,
    int intraOpThreads,
    int interOpThreads,
    OptLevel optLevel,
    ExecutionMode executionMode,
    boolean memoryPattern,
    Map<String, String> configEntries,
    Path customOpLibrary) {

  public OrtSettings {
    configEntries = Map.copyOf(configEntries);
  }

  /**
   * The baseline settings: all graph optimisations, sequential execution, one inter-op thread,
   * stn4j's native GridSample on the CPU where this build has it, ONNX Runtime's defaults
   * otherwise. Keep in step with the SDK's session options so the raw baseline compares like with
   * like.
   */
  public static OrtSettings of(ProviderKind provider, int intraOpThreads) {
    Path kernels =
        provider == ProviderKind.CPU
                && NativeKernels.find() instanceof NativeKernels.Available available
            ? available.library()
            : null;
    return new OrtSettings(
        provider,
        intraOpThreads,
        1,
        OptLevel.ALL_OPT,
        ExecutionMode.SEQUENTIAL,
        true,
        Map.of(),
        kernels);
  }

  public OrtSettings withOptLevel(OptLevel level) {
    return new OrtSettings(
        provider,
        intraOpThreads,
        interOpThreads,
        level,
        executionMode,
        memoryPattern,
        configEntries,
        customOpLibrary);
  }

  public OrtSettings withMemoryPattern(boolean on) {
    return new OrtSettings(
        provider,
        intraOpThreads,
        interOpThreads,
        optLevel,
        executionMode,
        on,
        configEntries,
        customOpLibrary);
  }

  public OrtSettings withConfig(String key, String value) {
    Map<String, String> entries = new LinkedHashMap<>(configEntries);
    entries.put(key, value);
    return new OrtSettings(
        provider,
        intraOpThreads,
        interOpThreads,
        optLevel,
        executionMode,
        memoryPattern,
        entries,
        customOpLibrary);
  }

  /** With this custom-op library registered, or none for null (ONNX Runtime's own kernels). */
  public OrtSettings withCustomOpLibrary(Path library) {
    return new OrtSettings(
        provider,
        intraOpThreads,
        interOpThreads,
        optLevel,
        executionMode,
        memoryPattern,
        configEntries,
        library);
  }

  /** Lets (or stops) idle intra-op worker threads spin while waiting for work. */
  public OrtSettings withSpinning(boolean spin) {
    return withConfig("session.intra_op.allow_spinning", spin ? "1" : "0");
  }

  /**
   * Fresh session options with these settings; the caller owns (closes) them.
   *
   * @throws UnavailableException when the provider cannot be added here (ORT's text as reason)
   */
  public SessionOptions toSessionOptions() throws OrtException, UnavailableException {
    OrtRawRunner.environment(); // first, so the SDK sets up ORT's loading as for its own sessions
    SessionOptions options = new SessionOptions();
    try {
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(interOpThreads);
      options.setOptimizationLevel(optLevel);
      options.setExecutionMode(executionMode);
      options.setMemoryPatternOptimization(memoryPattern);
      for (Map.Entry<String, String> e : configEntries.entrySet()) {
        options.addConfigEntry(e.getKey(), e.getValue());
      }
      if (customOpLibrary != null) {
        options.registerCustomOpLibrary(customOpLibrary.toString());
      }
      addProvider(options);
      return options;
    } catch (OrtException | UnavailableException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  private void addProvider(SessionOptions options) throws UnavailableException {
    try {
      switch (provider) {
        case CPU -> {}
        case CUDA -> options.addCUDA(0);
        case TENSORRT -> {
          options.addTensorrt(0);
          options.addCUDA(0); // TensorRT falls back to CUDA for unsupported nodes
        }
      }
    } catch (OrtException e) {
      throw new UnavailableException(provider.id() + " unavailable: " + e.getMessage(), e);
    }
  }

  /** A short label for tables, e.g. {@code opt=ALL_OPT spin=0}. */
  public String label() {
    StringBuilder s = new StringBuilder();
    s.append("opt=").append(optLevel).append(" intra=").append(intraOpThreads);
    s.append(" inter=").append(interOpThreads).append(" mode=").append(executionMode);
    s.append(" mempattern=").append(memoryPattern);
    configEntries.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
    s.append(customOpLibrary != null ? " gridsample=stn4j" : " gridsample=ort");
    return s.toString();
  }
}
