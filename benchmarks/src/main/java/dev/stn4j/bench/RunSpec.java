package dev.stn4j.bench;

import dev.stn4j.sdk.internal.SessionSettings;
import java.nio.file.Path;

/**
 * One benchmark configuration: which runtime runs the model, on which provider, how many images per
 * call and how many intra-op threads.
 */
public record RunSpec(
    RuntimeKind runtime, ProviderKind provider, int batch, int threads, Path model) {
  public RunSpec {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
  }

  /**
   * The SDK classifier's session settings on this provider with this many intra-op threads: what
   * the raw ONNX Runtime baseline runs with, so that it compares like with like.
   */
  public SessionSettings sessionSettings() {
    return SessionSettings.builder()
        .provider(provider.toProvider())
        .intraOpThreads(threads)
        .build();
  }

  @Override
  public String toString() {
    return runtime + "/" + provider + "/batch " + batch + "/threads " + threads;
  }
}
