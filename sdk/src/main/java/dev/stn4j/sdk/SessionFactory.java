package dev.stn4j.sdk;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.stn4j.sdk.ProviderSelection.GridSampleKernel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Opens an {@link OrtSession} on the requested provider and records which provider runs and why the
 * others were skipped. An explicit GPU provider that cannot be used is an error, never a silent CPU
 * session.
 */
final class SessionFactory {
  private final OrtEnvironment env;
  private final byte[] model;
  private final String modelName;
  private final int intraOpThreads;
  private final Map<String, String> config;
  private final boolean nativeKernels;

  SessionFactory(
      OrtEnvironment env,
      byte[] model,
      String modelName,
      int intraOpThreads,
      Map<String, String> config,
      boolean nativeKernels) {
    this.env = env;
    this.model = model;
    this.modelName = modelName;
    this.intraOpThreads = intraOpThreads;
    this.config = config;
    this.nativeKernels = nativeKernels;
  }

  /** A session and the options it was built with; the caller owns and closes both. */
  record Opened(OrtSession session, SessionOptions options, ProviderSelection selection) {}

  Opened open(Provider provider) throws StnException {
    if (provider instanceof Provider.Cpu) {
      return openCpu(List.of());
    }
    if (provider instanceof Provider.Auto) {
      try {
        return openGpu(new Provider.Cuda(0));
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
    GridSampleKernel gridSample;
    if (!nativeKernels) {
      gridSample =
          new GridSampleKernel.OnnxRuntime(
              "the native kernel is turned off (nativeKernels(false))");
    } else if (NativeKernels.find() instanceof NativeKernels.Unavailable unavailable) {
      gridSample = new GridSampleKernel.OnnxRuntime(unavailable.reason());
    } else {
      Path library = ((NativeKernels.Available) NativeKernels.find()).library();
      SessionOptions options = baseOptions();
      try {
        options.registerCustomOpLibrary(library.toString());
        OrtSession session = env.createSession(model, options);
        return new Opened(
            session,
            options,
            new ProviderSelection("CPU", skipped, new GridSampleKernel.Native(library)));
      } catch (OrtException e) {
        // E.g. a GridSample the kernel does not implement; ORT's own takes it, below.
        options.close();
        gridSample =
            new GridSampleKernel.OnnxRuntime("the native kernel was refused: " + e.getMessage());
      }
    }
    SessionOptions options = baseOptions();
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
    String name = provider.displayName();
    SessionOptions options = baseOptions();
    try {
      if (provider instanceof Provider.TensorRt trt) {
        options.addTensorrt(trt.device());
        // TensorRT hands the nodes it cannot build to the next provider; keep those on the GPU.
        options.addCUDA(trt.device());
      } else if (provider instanceof Provider.Cuda cuda) {
        options.addCUDA(cuda.device());
      }
    } catch (OrtException e) {
      options.close();
      throw new StnException(
          ErrorCode.PROVIDER_UNAVAILABLE,
          name + " is not available: " + e.getMessage() + hint(e.getMessage()),
          e);
    }
    try {
      OrtSession session = env.createSession(model, options);
      return new Opened(
          session,
          options,
          new ProviderSelection(
              name, List.of(), new GridSampleKernel.OnnxRuntime("the native kernel is CPU-only")));
    } catch (OrtException e) {
      options.close();
      // The provider registered but the session failed: tell a provider failure from a bad model
      // by loading the same bytes on the CPU.
      Opened cpu = openCpu(new ArrayList<>());
      closeQuietly(cpu);
      throw new StnException(
          ErrorCode.PROVIDER_UNAVAILABLE,
          name + " cannot run " + modelName + ": " + e.getMessage(),
          e);
    }
  }

  private SessionOptions baseOptions() throws StnException {
    SessionOptions options = new SessionOptions();
    try {
      options.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(1);
      for (Map.Entry<String, String> entry : config.entrySet()) {
        options.addConfigEntry(entry.getKey(), entry.getValue());
      }
      return options;
    } catch (OrtException e) {
      options.close();
      throw new StnException(
          ErrorCode.RUNTIME, "cannot set ONNX Runtime session options: " + e.getMessage(), e);
    }
  }

  private static String reason(StnException e) {
    return e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
  }

  private static String hint(String ortMessage) {
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

  private static void closeQuietly(Opened opened) {
    try {
      opened.session().close();
    } catch (OrtException ignored) {
      // Closing a session that just loaded; nothing useful to report on top of the real error.
    }
    opened.options().close();
  }
}
