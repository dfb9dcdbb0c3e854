package dev.stn4j.cli;

import dev.stn4j.sdk.Provider;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options that pick a model and where it runs, shared by every command as a mixin. */
final class ModelOptions {
  @Option(
      names = "--model",
      paramLabel = "FILE",
      description = "ONNX model file (default: the model shipped in the SDK)")
  Path model;

  @Option(
      names = "--provider",
      paramLabel = "PROVIDER",
      defaultValue = "auto",
      converter = ProviderConverter.class,
      description =
          "auto, cpu, cuda[:DEVICE] or tensorrt[:DEVICE] (default: ${DEFAULT-VALUE}: CUDA when"
              + " it works, else CPU)")
  Provider provider;

  /**
   * Opens the classifier these options describe; {@code threads} ≤ 0 leaves the SDK's default.
   *
   * @param spin whether ONNX Runtime's idle intra-op threads may spin-wait for the next run: good
   *     for back-to-back inference, but when other threads decode images at the same time the
   *     spinning takes their cores
   */
  StnClassifier open(int threads, int maxBatchSize, boolean spin) throws StnException {
    StnClassifier.Builder builder = StnClassifier.builder().provider(provider);
    if (model != null) {
      builder.model(model);
    } else {
      builder.defaultModel();
    }
    if (threads > 0) {
      builder.intraOpThreads(threads);
    }
    if (!spin) {
      builder.sessionConfig("session.intra_op.allow_spinning", "0");
    }
    if (maxBatchSize > 0) {
      builder.maxBatchSize(maxBatchSize);
    }
    return builder.build();
  }

  /** Parses {@code --provider} with the SDK's own syntax, so the two never drift apart. */
  static final class ProviderConverter implements ITypeConverter<Provider> {
    @Override
    public Provider convert(String value) {
      try {
        return Provider.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
