package dev.stn4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.RepositoryRoot;
import dev.stn4j.sdk.StnClassifier;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EmbeddingExampleTest {
  private static final Path TMP = Path.of("/tmp");
  private static final int ATTEMPTS = 3;

  @Test
  void printsClassConfidenceAndThetaOfASampleImage() throws Exception {
    Path image = sampleImage();
    // The SDK ships its model: failing to load it fails this test, it is no reason to skip.
    try (StnClassifier classifier = StnClassifier.createDefault()) {
      Prediction p = classifier.predict(image);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      EmbeddingExample.describe(p, new PrintStream(bytes, true, StandardCharsets.UTF_8));
      String text = bytes.toString(StandardCharsets.UTF_8);
      assertTrue(text.contains("class      " + p.label()), text);
      assertTrue(text.contains(String.format(Locale.ROOT, "%.3f", p.theta().a())), text);
      assertTrue(text.contains("rotation"), text);
    }
  }

  /**
   * An application that embeds the SDK, started the plainest way: {@code java -cp} with this
   * module's runtime classpath, the default {@code java.io.tmpdir}, no {@code -D} option. ONNX
   * Runtime on its own unpacks its native libraries into a new {@code /tmp/onnxruntime-java*}
   * directory at every start and leaves it there; the SDK must keep that from happening.
   */
  @Test
  void twoRunsByPlainJavaLeaveNothingInTmp() throws Exception {
    assumeTrue(Files.isDirectory(TMP), "no /tmp on this system");
    Path image = sampleImage();
    String label;
    try (StnClassifier classifier = StnClassifier.createDefault()) {
      label = classifier.predict(image).label();
    }
    for (int run = 1; run <= 2; run++) {
      // Other processes share /tmp (parallel builds start JVMs that unpack ONNX Runtime there), so
      // a name without this run's pid may be theirs: such a run is repeated, and only a leak that
      // every attempt shows fails. A name with the pid (mat-debug-PID.log) is this run's.
      Set<String> left = Set.of();
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        left = leftInTmp(image, label, "run " + run + " attempt " + attempt);
        if (left.isEmpty()) {
          break;
        }
      }
      assertEquals(Set.of(), left, "run " + run + ", " + ATTEMPTS + " attempts, left in /tmp");
    }
  }

  /** Runs the example once, checks its answer, and returns what it may have left in /tmp. */
  private static Set<String> leftInTmp(Path image, String label, String run) throws Exception {
    Set<String> before = tmpNames();
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                runtimeClasspath(),
                EmbeddingExample.class.getName(),
                image.toString())
            .redirectErrorStream(true);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), run + " did not finish");
    assertEquals(0, process.exitValue(), run + ":\n" + output);
    assertTrue(output.contains("class      " + label + " ("), run + ":\n" + output);

    Set<String> added = new TreeSet<>(tmpNames());
    added.removeAll(before);
    String pid = Long.toString(process.pid());
    added.removeIf(name -> !couldBeFromTheRun(name, pid));
    for (String name : added) {
      assertFalse(name.contains(pid), run + " (pid " + pid + ") left /tmp/" + name);
    }
    return added;
  }

  private static boolean couldBeFromTheRun(String name, String pid) {
    if (name.startsWith("hsperfdata")) {
      return false; // the JVM's own performance-data directory, shared by every JVM of the user
    }
    return name.startsWith("onnxruntime")
        || name.startsWith("stn4j")
        || name.startsWith("mat-debug")
        || name.contains(pid);
  }

  private static Set<String> tmpNames() throws IOException {
    try (Stream<Path> files = Files.list(TMP)) {
      return new TreeSet<>(files.map(p -> p.getFileName().toString()).toList());
    }
  }

  /** This module's classes and its runtime dependencies, as the build wrote them (pom.xml). */
  private static String runtimeClasspath() throws IOException {
    Path module = RepositoryRoot.get().resolve("examples/cli");
    Path file = module.resolve("target/runtime-classpath.txt");
    assertTrue(Files.isRegularFile(file), file + " is written by the Maven build (mvn test)");
    return module.resolve("target/classes") + File.pathSeparator + Files.readString(file).strip();
  }

  private static Path sampleImage() {
    Path image = RepositoryRoot.get().resolve("examples/images/ship/test-01013.png");
    assertTrue(Files.isRegularFile(image), "sample image not found: " + image);
    return image;
  }
}
