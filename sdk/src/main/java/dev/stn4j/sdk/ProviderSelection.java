package dev.stn4j.sdk;

import java.util.List;
import java.util.Objects;

/**
 * Which execution provider a classifier runs on, and why the providers tried before it were
 * skipped.
 *
 * <pre>{@code
 * ProviderSelection s = classifier.providerSelection();
 * System.out.println("running on " + s.active());   // "CPU"
 * s.skipped().forEach(System.out::println);         // "CUDA: <ONNX Runtime's error text>"
 * }</pre>
 *
 * @param active the provider that runs, e.g. {@code "CPU"}, {@code "CUDA:0"}
 * @param skipped one line per provider tried and skipped: {@code "<name>: <reason>"}, in the order
 *     they were tried
 */
public record ProviderSelection(String active, List<String> skipped) {
  public ProviderSelection {
    Objects.requireNonNull(active, "active");
    skipped = List.copyOf(skipped);
  }
}
