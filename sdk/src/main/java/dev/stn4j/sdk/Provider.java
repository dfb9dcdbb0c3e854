package dev.stn4j.sdk;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ONNX Runtime execution provider a classifier asks for.
 *
 * <ul>
 *   <li>{@link #auto()}: the classifier's default; CUDA device 0 if it can be used, otherwise the
 *       CPU; the classifier's {@link StnClassifier#providerSelection()} says which one runs and why
 *       CUDA was skipped. With the CPU-only ONNX Runtime jar that is always the CPU.
 *   <li>{@link #cpu()}: always available.
 *   <li>{@link #cuda(int)}, {@link #tensorRt(int)}: exactly that provider; if it cannot be used
 *       (CPU-only ONNX Runtime jar, no CUDA libraries, no such device), building the classifier
 *       fails with {@link ErrorCode#PROVIDER_UNAVAILABLE} and ONNX Runtime's error text. There is
 *       never a silent CPU run. They need the {@code onnxruntime_gpu} jar ({@code -Pgpu}). TensorRT
 *       builds an engine for each new batch size it sees, so the first call at a new size is slow;
 *       nodes TensorRT cannot take run on CUDA.
 * </ul>
 *
 * <pre>{@code
 * Provider p = Provider.parse("cuda:1");   // same as Provider.cuda(1)
 * StnClassifier c = StnClassifier.builder().defaultModel().provider(p).build();
 * }</pre>
 */
public sealed interface Provider {
  /** CUDA if usable, else CPU. */
  static Provider auto() {
    return new Auto();
  }

  /** The CPU provider. */
  static Provider cpu() {
    return new Cpu();
  }

  /** The CUDA provider on GPU {@code device} (0-based). */
  static Provider cuda(int device) {
    return new Cuda(device);
  }

  /** The TensorRT provider on GPU {@code device} (0-based). */
  static Provider tensorRt(int device) {
    return new TensorRt(device);
  }

  /**
   * Parses {@code auto}, {@code cpu}, {@code cuda}, {@code cuda:N}, {@code tensorrt}, {@code
   * tensorrt:N} (case-insensitive; no device means device 0).
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  static Provider parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("provider is null; expected " + Forms.ACCEPTED);
    }
    String s = text.trim().toLowerCase(Locale.ROOT);
    int colon = s.indexOf(':');
    String name = colon < 0 ? s : s.substring(0, colon);
    Integer device = null;
    if (colon >= 0) {
      try {
        device = Integer.parseInt(s.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "bad provider '" + text + "': device is not a number; expected " + Forms.ACCEPTED, e);
      }
      if (device < 0) {
        throw new IllegalArgumentException(
            "bad provider '" + text + "': device must be >= 0; expected " + Forms.ACCEPTED);
      }
    }
    int dev = device == null ? 0 : device;
    switch (name) {
      case "auto":
      case "cpu":
        if (device != null) {
          throw new IllegalArgumentException(
              "bad provider '"
                  + text
                  + "': "
                  + name
                  + " takes no device; expected "
                  + Forms.ACCEPTED);
        }
        return name.equals("auto") ? auto() : cpu();
      case "cuda":
        return cuda(dev);
      case "tensorrt":
        return tensorRt(dev);
      default:
        throw new IllegalArgumentException(
            "unknown provider '" + text + "'; expected " + Forms.ACCEPTED);
    }
  }

  /**
   * The execution providers compiled into the ONNX Runtime jar on the classpath, as ONNX Runtime
   * names them (e.g. {@code [CPU]}, or {@code [CPU, CUDA, TENSOR_RT]} with {@code
   * onnxruntime_gpu}). Compiled in does not mean usable: CUDA also needs a GPU and its libraries.
   */
  static List<String> availableInBuild() {
    List<String> names = new ArrayList<>();
    for (OrtProvider p : OrtEnvironment.getAvailableProviders()) {
      names.add(p.name());
    }
    return List.copyOf(names);
  }

  /** A short display name, e.g. {@code CPU}, {@code CUDA:0}; {@link #parse} reads it back. */
  String displayName();

  /** CUDA if usable, else CPU. */
  record Auto() implements Provider {
    @Override
    public String displayName() {
      return "auto";
    }
  }

  /** The CPU provider. */
  record Cpu() implements Provider {
    @Override
    public String displayName() {
      return "CPU";
    }
  }

  /** The CUDA provider on one GPU. */
  record Cuda(int device) implements Provider {
    public Cuda {
      if (device < 0) {
        throw new IllegalArgumentException("CUDA device must be >= 0, got " + device);
      }
    }

    @Override
    public String displayName() {
      return "CUDA:" + device;
    }
  }

  /** The TensorRT provider on one GPU. */
  record TensorRt(int device) implements Provider {
    public TensorRt {
      if (device < 0) {
        throw new IllegalArgumentException("TensorRT device must be >= 0, got " + device);
      }
    }

    @Override
    public String displayName() {
      return "TensorRT:" + device;
    }
  }
}

/** Interfaces cannot hold private constants; this holds the help text of {@link Provider#parse}. */
final class Forms {
  static final String ACCEPTED = "auto, cpu, cuda, cuda:N, tensorrt or tensorrt:N";

  private Forms() {}
}
