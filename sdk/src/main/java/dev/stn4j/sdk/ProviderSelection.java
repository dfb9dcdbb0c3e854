package dev.stn4j.sdk;

import java.util.List;
import java.util.Objects;

/**
 * Which execution provider a classifier runs on, why the providers tried before it were skipped,
 * and which GridSample kernel runs.
 *
 * <pre>{@code
 * ProviderSelection s = classifier.providerSelection();
 * System.out.println("running on " + s.active());   // "CPU"
 * s.skipped().forEach(System.out::println);         // "CUDA: <ONNX Runtime's error text>"
 * System.out.println(s.gridSample());               // "stn4j native kernel"
 * }</pre>
 *
 * @param active the provider that runs, e.g. {@code "CPU"}, {@code "CUDA:0"}
 * @param skipped one line per provider tried and skipped: {@code "<name>: <reason>"}, in the order
 *     they were tried
 * @param gridSample the sampler's kernel: {@value #NATIVE_GRID_SAMPLE} (CPU only, outputs
 *     bit-identical to ONNX Runtime's), or {@code "ONNX Runtime: <why not the native one>"}
 */
public record ProviderSelection(String active, List<String> skipped, String gridSample) {
  /** {@link #gridSample()} when stn4j's native kernel runs. */
  public static final String NATIVE_GRID_SAMPLE = "stn4j native kernel";

  public ProviderSelection {
    Objects.requireNonNull(active, "active");
    skipped = List.copyOf(skipped);
    Objects.requireNonNull(gridSample, "gridSample");
  }

  /** True when stn4j's native GridSample kernel runs. */
  public boolean nativeGridSample() {
    return gridSample.equals(NATIVE_GRID_SAMPLE);
  }
}
