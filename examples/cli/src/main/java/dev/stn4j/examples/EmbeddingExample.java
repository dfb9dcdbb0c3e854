package dev.stn4j.examples;

import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import dev.stn4j.sdk.Theta;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Embedding stn4j in a program: load the shipped classifier, classify one image file, print the
 * class, the confidence and the affine transform θ the spatial transformer chose.
 *
 * <pre>{@code
 * java -cp examples/cli/target/stn4j-cli.jar dev.stn4j.examples.EmbeddingExample examples/images/cat/cat-1.png
 * }</pre>
 */
public final class EmbeddingExample {
  private EmbeddingExample() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: EmbeddingExample IMAGE");
      System.exit(2);
    }
    // One classifier per program: it is thread-safe and holds the ONNX Runtime session.
    try (StnClassifier classifier = StnClassifier.createDefault()) {
      describe(classifier.predict(Path.of(args[0])), System.out);
    } catch (StnException e) {
      // The message names the file or model and what is wrong; code() tells them apart.
      System.err.println(e.code() + ": " + e.getMessage());
      System.exit(1);
    }
  }

  /** Prints what the model said about one image. */
  static void describe(Prediction p, PrintStream out) {
    Theta t = p.theta();
    out.printf(Locale.ROOT, "class      %s (%.1f %%)%n", p.label(), 100 * p.confidence());
    out.printf(
        Locale.ROOT,
        "theta      [[%.3f, %.3f, %.3f], [%.3f, %.3f, %.3f]]%n",
        t.a(),
        t.b(),
        t.tx(),
        t.c(),
        t.d(),
        t.ty());
    out.printf(
        Locale.ROOT,
        "that is    scale %.2f × %.2f, rotation %.1f°, shift (%.2f, %.2f)%n",
        t.scaleX(),
        t.scaleY(),
        t.rotationDegrees(),
        t.translationX(),
        t.translationY());
  }
}
