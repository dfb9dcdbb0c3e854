package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.internal.SessionSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime's session options are built in one place, {@link SessionSettings}, so that the
 * classifier, the raw-ORT baseline and every probe run "the same session options" by construction.
 * This fails when any module's main or test code constructs them itself.
 */
class SessionOptionsOwnerTest {
  private static final Pattern CONSTRUCTION =
      Pattern.compile(
          "new\\s+(?:ai\\.onnxruntime\\.)?(?:OrtSession\\s*\\.\\s*)?SessionOptions\\s*\\(");
  private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");
  private static final String OWNER =
      "sdk/src/main/java/dev/stn4j/sdk/internal/SessionSettings.java";

  @Test
  void onlySessionSettingsConstructsSessionOptions() throws IOException {
    Path root = RepositoryRoot.get();
    List<String> modules = modules(root, root);
    // The reactor's modules, nested ones included: a scan that missed them would prove nothing.
    assertTrue(modules.contains("sdk") && modules.contains("examples/cli"), modules.toString());

    List<String> found = new ArrayList<>();
    for (String module : modules) {
      for (String tree : List.of("src/main/java", "src/test/java")) {
        Path dir = root.resolve(module).resolve(tree);
        if (Files.isDirectory(dir)) {
          found.addAll(constructions(root, dir));
        }
      }
    }
    // The owner's own construction shows that the pattern matches real code.
    assertTrue(found.stream().anyMatch(f -> f.startsWith(OWNER + ":")), found.toString());
    assertEquals(
        List.of(),
        found.stream().filter(f -> !f.startsWith(OWNER + ":")).toList(),
        "SessionOptions constructed outside " + OWNER + "; build them with SessionSettings");
  }

  @Test
  void thePatternSeesEveryWayOfWritingTheConstructor() {
    String n = "new"; // apart, so that the scan does not find these in this file
    for (String code :
        List.of(
            n + " SessionOptions()",
            n + " OrtSession.SessionOptions()",
            n + " ai.onnxruntime.OrtSession.SessionOptions()",
            n + "  OrtSession\n    .SessionOptions ()")) {
      assertTrue(CONSTRUCTION.matcher(code).find(), code);
    }
    assertFalse(
        CONSTRUCTION.matcher("SessionSettings.builder().build().toSessionOptions()").find());
  }

  /** The modules listed in {@code dir}'s pom and, recursively, in theirs, relative to the root. */
  private static List<String> modules(Path root, Path dir) throws IOException {
    List<String> modules = new ArrayList<>();
    Matcher m = MODULE.matcher(Files.readString(dir.resolve("pom.xml")));
    while (m.find()) {
      Path module = dir.resolve(m.group(1)).normalize();
      modules.add(root.relativize(module).toString().replace('\\', '/'));
      modules.addAll(modules(root, module));
    }
    return modules;
  }

  /** "path:line" of each construction in the Java files under {@code dir}. */
  private static List<String> constructions(Path root, Path dir) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String code = Files.readString(file);
        Matcher m = CONSTRUCTION.matcher(code);
        while (m.find()) {
          int line = 1 + (int) code.substring(0, m.start()).chars().filter(c -> c == '\n').count();
          found.add(root.relativize(file).toString().replace('\\', '/') + ":" + line);
        }
      }
    }
    return found;
  }
}
