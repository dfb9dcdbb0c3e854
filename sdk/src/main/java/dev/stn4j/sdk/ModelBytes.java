package dev.stn4j.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The bytes of a model file or of the shipped default model, and a name for messages. */
record ModelBytes(String name, byte[] bytes) {
  /** Classpath location of the model shipped inside the SDK jar. */
  static final String DEFAULT_RESOURCE = "/dev/stn4j/sdk/default-model.onnx";

  static ModelBytes read(Path file) throws StnException {
    String name = file.toString();
    if (Files.isDirectory(file)) {
      throw new StnException(ErrorCode.MODEL_NOT_FOUND, name + ": is a directory, not a model");
    }
    try {
      return new ModelBytes(name, Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new StnException(ErrorCode.MODEL_NOT_FOUND, name + ": model file not found", e);
    } catch (IOException | OutOfMemoryError e) {
      throw new StnException(
          ErrorCode.MODEL_NOT_FOUND, name + ": cannot read the model file: " + e, e);
    }
  }

  static ModelBytes defaultModel() throws StnException {
    String name = "default model (classpath " + DEFAULT_RESOURCE + ")";
    try (InputStream in = ModelBytes.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new StnException(
            ErrorCode.MODEL_NOT_FOUND,
            name + ": not on the classpath; this SDK jar was built without a model");
      }
      return new ModelBytes(name, in.readAllBytes());
    } catch (IOException e) {
      throw new StnException(ErrorCode.MODEL_NOT_FOUND, name + ": cannot read: " + e, e);
    }
  }
}
