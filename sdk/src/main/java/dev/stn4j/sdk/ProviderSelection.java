package dev.stn4j.sdk;

import dev.stn4j.sdk.internal.NativeKernels;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Which execution provider a classifier runs on, why the providers tried before it were skipped,
 * and which GridSample kernel runs.
 *
 * <pre>{@code
 * ProviderSelection s = classifier.providerSelection();
 * System.out.println("running on " + s.active());   // "CPU"
 * s.skipped().forEach(System.out::println);         // "CUDA:0: <ONNX Runtime's error text>"
 * System.out.println(s.gridSample().description()); // "stn4j native kernel (/home/.../libstn4j_ops.so)"
 * if (s.gridSample() instanceof ProviderSelection.GridSampleKernel.OnnxRuntime ort) {
 *   System.out.println("not the native kernel: " + ort.reason());
 * }
 * }</pre>
 *
 * @param active the provider that runs, e.g. {@code "CPU"}, {@code "CUDA:0"}
 * @param skipped one line per provider tried and skipped: {@code "<name>: <reason>"}, in the order
 *     they were tried
 * @param gridSample the sampler's kernel
 */
public record ProviderSelection(String active, List<String> skipped, GridSampleKernel gridSample) {
  public ProviderSelection {
    Objects.requireNonNull(active, "active");
    skipped = List.copyOf(skipped);
    Objects.requireNonNull(gridSample, "gridSample");
  }

  /** True when stn4j's native GridSample kernel runs. */
  public boolean nativeGridSample() {
    return gridSample instanceof GridSampleKernel.Native;
  }

  /** The kernel that runs the model's GridSample: stn4j's native one, or ONNX Runtime's own. */
  public sealed interface GridSampleKernel {
    /** One line for people, e.g. {@code "ONNX Runtime: the native kernel is CPU-only"}. */
    String description();

    /**
     * stn4j's kernel ({@link NativeKernels}; CPU only, outputs bit-identical to ONNX Runtime's).
     *
     * @param library the custom-op library registered with the session
     */
    record Native(Path library) implements GridSampleKernel {
      public Native {
        Objects.requireNonNull(library, "library");
      }

      @Override
      public String description() {
        return "stn4j native kernel (" + library + ")";
      }
    }

    /**
     * ONNX Runtime's own kernel.
     *
     * @param reason why not the native one, e.g. {@code "the native kernel is CPU-only"}
     */
    record OnnxRuntime(String reason) implements GridSampleKernel {
      public OnnxRuntime {
        Objects.requireNonNull(reason, "reason");
      }

      @Override
      public String description() {
        return "ONNX Runtime: " + reason;
      }
    }
  }
}
