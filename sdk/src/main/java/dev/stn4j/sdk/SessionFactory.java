package dev.stn4j.sdk;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.stn4j.sdk.ProviderSelection.GridSampleKernel;
import dev.stn4j.sdk.internal.SessionSettings;
import java.util.List;

/**
 * Opens an {@link OrtSession} with options from {@link SessionSettings} on the requested provider,
 * and records which provider runs and why the others were skipped. An explicit GPU provider that
 * cannot be used is an error, never a silent CPU session.
 */
final class SessionFactory {
  private final OrtEnvironment env;
  private final byte[] model;
  private final String modelName;
  private final SessionSettings settings;

  /**
   * @param settings everything but the provider, which {@link #open} chooses
   */
  SessionFactory(OrtEnvironment env, byte[] model, String modelName, SessionSettings settings) {
    this.env = env;
    this.model = model;
    this.modelName = modelName;
    this.settings = settings;
  }

  /** A session and the options it was built with; the caller owns and closes both. */
  record Opened(OrtSession session, SessionOptions options, ProviderSelection selection) {}

  Opened open(Provider provider) throws StnException {
    if (provider instanceof Provider.Cpu) {
      return openCpu(List.of());
    }
    if (provider instanceof Provider.Auto) {
      try {
        return openGpu(Provider.cuda(0));
      } catch (StnException e) {
        if (e.code() != ErrorCode.PROVIDER_UNAVAILABLE) {
          throw e;
        }
        return openCpu(List.of("CUDA:0: " + reason(e)));
      }
    }
    return openGpu(provider);
  }

  private Opened openCpu(List<String> skipped) throws StnException {
    SessionSettings cpu = settings.withProvider(Provider.cpu());
    GridSampleKernel gridSample = cpu.gridSample();
    if (gridSample instanceof GridSampleKernel.Native) {
      SessionOptions options = null;
      try {
        options = cpu.toSessionOptions();
        OrtSession session = env.createSession(model, options);
        return new Opened(session, options, new ProviderSelection("CPU", skipped, gridSample));
      } catch (StnException | OrtException e) {
        // E.g. a GridSample the kernel does not implement, or a library that does not load:
        // ORT's own kernel takes it, below.
        if (options != null) {
          options.close();
        }
        gridSample =
            new GridSampleKernel.OnnxRuntime("the native kernel was refused: " + e.getMessage());
        cpu = cpu.toBuilder().nativeKernels(false).build();
      }
    }
    SessionOptions options = cpu.toSessionOptions();
    try {
      OrtSession session = env.createSession(model, options);
      return new Opened(session, options, new ProviderSelection("CPU", skipped, gridSample));
    } catch (OrtException e) {
      options.close();
      throw new StnException(
          ErrorCode.INVALID_MODEL,
          modelName + ": ONNX Runtime cannot load the model: " + e.getMessage(),
          e);
    }
  }

  private Opened openGpu(Provider provider) throws StnException {
    SessionSettings gpu = settings.withProvider(provider);
    SessionOptions options = gpu.toSessionOptions();
    try {
      OrtSession session = env.createSession(model, options);
      return new Opened(
          session,
          options,
          new ProviderSelection(provider.displayName(), List.of(), gpu.gridSample()));
    } catch (OrtException e) {
      options.close();
      // The provider registered but the session failed: tell a provider failure from a bad model
      // by loading the same bytes on the CPU.
      closeQuietly(openCpu(List.of()));
      throw new StnException(
          ErrorCode.PROVIDER_UNAVAILABLE,
          provider.displayName() + " cannot run " + modelName + ": " + e.getMessage(),
          e);
    }
  }

  private static String reason(StnException e) {
    return e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
  }

  private static void closeQuietly(Opened opened) {
    try {
      opened.session().close();
    } catch (OrtException ignored) {
      // Closing a session that just loaded; nothing useful to report on top of the real error.
    }
    opened.options().close();
  }
}
