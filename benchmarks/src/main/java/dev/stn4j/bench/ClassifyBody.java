package dev.stn4j.bench;

import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * An image file posted as every {@code /v1/classify} request of {@code bench serve
 * --classify-image}: its bytes, the content type its name suggests and the class the SDK gives it
 * in process with the default model, which every answer must name.
 *
 * @param bytes the file's bytes, sent as they are
 * @param contentType {@code image/jpeg} or {@code image/png} by the file's extension, else {@code
 *     application/octet-stream} (the service finds the format from the content anyway)
 * @param expectedClass the SDK's class of the file
 */
record ClassifyBody(byte[] bytes, String contentType, int expectedClass) {
  /**
   * Reads {@code file} and classifies it once in process.
   *
   * @throws IOException naming the file when it cannot be read or decoded
   */
  static ClassifyBody read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String type =
        name.endsWith(".jpg") || name.endsWith(".jpeg")
            ? "image/jpeg"
            : name.endsWith(".png") ? "image/png" : "application/octet-stream";
    try (StnClassifier classifier = StnClassifier.builder().intraOpThreads(1).build()) {
      return new ClassifyBody(bytes, type, classifier.predict(file).classIndex());
    } catch (StnException e) {
      throw new IOException(file + ": cannot classify it in process: " + e.getMessage(), e);
    }
  }
}
