package dev.stn4j.sdk;

import dev.stn4j.sdk.internal.OrtSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@link LongCommandLineTest} runs in a child JVM: an application embedding the SDK that
 * classifies every PNG under a folder, one line each, then how ORT's libraries were found.
 */
public final class LongCommandLineProbe {
  private LongCommandLineProbe() {}

  public static void main(String[] args) throws IOException {
    List<Path> images;
    try (Stream<Path> files = Files.walk(Path.of(args[0]))) {
      images = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    try (StnClassifier classifier = StnClassifier.builder().build()) {
      for (Path image : images) {
        System.out.println(
            "predicted " + image.getFileName() + " " + classifier.predict(image).label());
      }
    } catch (StnException e) {
      System.out.println("refused " + e.code() + ": " + e.getMessage());
      System.exit(3);
    }
    System.out.println("native libraries " + OrtSetup.nativeLibraries());
  }
}
