package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code dev.stn4j.sdk.internal} is the SDK's plumbing, not its API: the apps run on the class
 * path, where nothing enforces a package boundary, so this test does. It fails when main code
 * outside the SDK imports an internal class, except what the sibling modules below must reach.
 */
class InternalPackageBoundaryTest {
  private static final Pattern IMPORT =
      Pattern.compile(
          "^import\\s+(?:static\\s+)?dev\\.stn4j\\.sdk\\.internal\\.(\\w+)", Pattern.MULTILINE);

  /** The modules that may, the classes each may import, and why. */
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          // --version of every command prints the version the SDK was stamped with.
          "cli-support",
          Set.of("Stn4jVersion"),
          // The oneDNN verdict is cached in stn4j's per-user cache directory.
          "trainer",
          Set.of("UserCacheDir"),
          // The exporter writes the model contract the SDK reads, scores what it wrote with the
          // classifier's own session options and rule, and reads the checkout's sample set.
          "converters",
          Set.of(
              "ArgMax", "Checkout", "ModelFormat", "OrtSetup", "SessionSettings", "Stn4jVersion"),
          // The raw ONNX Runtime baseline must run exactly the classifier's session options and
          // call the class by the classifier's rule; the inputs are the checkout's sample set.
          "benchmarks",
          Set.of("ArgMax", "Checkout", "ModelFormat", "OrtSetup", "SessionSettings"),
          // The KServe v2 metadata names the model's tensors, which the contract defines.
          "examples/serve",
          Set.of("ModelFormat"));

  @Test
  void onlyTheNamedSiblingsImportTheSdksInternals() throws IOException {
    Path root = RepositoryRoot.get();
    Map<String, Set<String>> found = new TreeMap<>();
    List<String> modules =
        List.of(
            "cli-support",
            "trainer",
            "converters",
            "benchmarks",
            "examples/cli",
            "examples/serve",
            "examples/spark");
    for (String module : modules) {
      Path dir = root.resolve(module).resolve("src/main/java");
      assertTrue(Files.isDirectory(dir), dir + " exists: a scan of nothing proves nothing");
      found.put(module, imports(dir));
    }
    // The converters' use shows that the scan finds real imports.
    assertTrue(found.get("converters").contains("ModelFormat"), found.toString());
    for (String module : modules) {
      Set<String> outside = new TreeSet<>(found.get(module));
      outside.removeAll(ALLOWED.getOrDefault(module, Set.of()));
      assertEquals(
          Set.of(),
          outside,
          module
              + " imports dev.stn4j.sdk.internal classes it has no reason to; use the SDK's API");
    }
  }

  private static Set<String> imports(Path dir) throws IOException {
    Set<String> classes = new TreeSet<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          classes.add(m.group(1));
        }
      }
    }
    return classes;
  }
}
