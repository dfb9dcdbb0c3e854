package dev.stn4j.bench;

import dev.stn4j.sdk.internal.Checkout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Finds the model to benchmark when none is given: the SDK's shipped default model. */
final class ModelLocator {
  static final String DEFAULT_MODEL_SOURCE =
      "sdk/src/main/resources/dev/stn4j/sdk/default-model.onnx";
  private static final String DEFAULT_MODEL_RESOURCE = "/dev/stn4j/sdk/default-model.onnx";

  private ModelLocator() {}

  /**
   * The given model if any (it must exist), else the default model in the repository, else the copy
   * inside the SDK jar written to a temporary file (runtimes other than the SDK need a path).
   */
  static Path resolve(Path given, Path root) throws IOException {
    if (given != null) {
      if (!Files.isRegularFile(given)) {
        throw new IOException(given + ": model file not found");
      }
      return given;
    }
    Path inRepo = root.resolve(DEFAULT_MODEL_SOURCE);
    if (Files.isRegularFile(inRepo)) {
      return inRepo;
    }
    try (InputStream in = ModelLocator.class.getResourceAsStream(DEFAULT_MODEL_RESOURCE)) {
      if (in == null) {
        throw new IOException("no --model given and no default model on the classpath");
      }
      Path tmp = Files.createTempFile("stn4j-default-model", ".onnx");
      tmp.toFile().deleteOnExit();
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      return tmp;
    }
  }

  /** The repository root, by the one rule of {@link Checkout#root}. */
  static Path defaultRoot() {
    return Checkout.root(ModelLocator.class);
  }
}
