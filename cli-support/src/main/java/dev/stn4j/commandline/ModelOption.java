package dev.stn4j.commandline;

import dev.stn4j.sdk.StnClassifier;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --model FILE}: the ONNX model a command runs, the SDK's shipped model when absent. Used as
 * a picocli {@code @Mixin}.
 */
public final class ModelOption {
  @Option(
      names = "--model",
      paramLabel = "FILE",
      description = "ONNX model file (default: the model shipped in the SDK)")
  private Path model;

  /** The file named, or empty for the shipped model. */
  public Optional<Path> model() {
    return Optional.ofNullable(model);
  }

  /** Points {@code builder} at this model: the file named, or the shipped one. */
  public StnClassifier.Builder applyTo(StnClassifier.Builder builder) {
    return model == null ? builder.defaultModel() : builder.model(model);
  }
}
