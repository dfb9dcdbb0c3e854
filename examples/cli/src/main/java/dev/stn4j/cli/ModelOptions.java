package dev.stn4j.cli;

import dev.stn4j.commandline.ModelOption;
import dev.stn4j.commandline.ProviderOption;
import dev.stn4j.sdk.Provider;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import picocli.CommandLine.Mixin;

/** The options that pick a model and where it runs, shared by every command as a mixin. */
final class ModelOptions {
  @Mixin ModelOption model = new ModelOption();

  @Mixin ProviderOption provider = new ProviderOption();

  /**
   * Opens the classifier these options describe; {@code threads} ≤ 0 leaves the SDK's default.
   *
   * @param spin whether ONNX Runtime's idle intra-op threads may spin-wait for the next run: good
   *     for back-to-back inference, but when other threads decode images at the same time the
   *     spinning takes their cores
   */
  StnClassifier open(int threads, int maxBatchSize, boolean spin) throws StnException {
    return open(threads, maxBatchSize, spin, true);
  }

  /** As {@link #open(int, int, boolean)}, with or without the self-check of embedded samples. */
  StnClassifier open(int threads, int maxBatchSize, boolean spin, boolean verifySamples)
      throws StnException {
    return model
        .applyTo(builder(provider.provider(), threads, maxBatchSize, spin))
        .verifySamples(verifySamples)
        .build();
  }

  /**
   * A builder with these settings and no model yet, for commands that open several models. {@code
   * threads} or {@code maxBatchSize} ≤ 0 leave the SDK's defaults.
   */
  static StnClassifier.Builder builder(
      Provider provider, int threads, int maxBatchSize, boolean spin) {
    StnClassifier.Builder builder = StnClassifier.builder().provider(provider);
    if (threads > 0) {
      builder.intraOpThreads(threads);
    }
    if (!spin) {
      builder.sessionConfig("session.intra_op.allow_spinning", "0");
    }
    if (maxBatchSize > 0) {
      builder.maxBatchSize(maxBatchSize);
    }
    return builder;
  }
}
