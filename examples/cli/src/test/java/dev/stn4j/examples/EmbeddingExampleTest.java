package dev.stn4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.RepositoryRoot;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class EmbeddingExampleTest {
  @Test
  void printsClassConfidenceAndThetaOfASampleImage() throws Exception {
    Path root = RepositoryRoot.get();
    Path image = root.resolve("examples/images/ship/test-01013.png");
    assumeTrue(Files.isRegularFile(image), "sample image not found: " + image);
    StnClassifier classifier;
    try {
      classifier = StnClassifier.createDefault();
    } catch (StnException e) {
      assumeTrue(false, "no default model: " + e.getMessage());
      return;
    }
    try (classifier) {
      Prediction p = classifier.predict(image);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      EmbeddingExample.describe(p, new PrintStream(bytes, true, StandardCharsets.UTF_8));
      String text = bytes.toString(StandardCharsets.UTF_8);
      assertTrue(text.contains("class      " + p.label()), text);
      assertTrue(text.contains(String.format(Locale.ROOT, "%.3f", p.theta().a())), text);
      assertTrue(text.contains("rotation"), text);
    }
  }
}
