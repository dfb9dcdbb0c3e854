package dev.stn4j.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine starts with {@code ai.djl.offline=true} from an empty DJL cache, i.e. everything it
 * needs is on the classpath. DJL reads its cache directory once per JVM and loads the native
 * library once, so this runs in a fresh JVM.
 */
class OfflineEngineTest {

  @Test
  void startsOfflineFromAnEmptyCache(@TempDir Path cache) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
            java.toString(),
            "-Dai.djl.offline=true",
            "-DDJL_CACHE_DIR=" + cache,
            "-DENGINE_CACHE_DIR=" + cache,
            "-cp",
            System.getProperty("java.class.path"),
            OfflineEngineProbe.class.getName());
    Map<String, String> env = builder.environment();
    env.put("DJL_CACHE_DIR", cache.toString());
    env.put("ENGINE_CACHE_DIR", cache.toString());
    env.remove("PYTORCH_LIBRARY_PATH");
    env.remove("PYTORCH_VERSION");
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "probe did not finish");
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.contains("probabilities 20"), output);
    assertTrue(output.contains("engine PyTorch"), output);
    assertTrue(output.contains("cache " + cache), output);
    assertTrue(
        hasFile(cache, "libtorch_cpu.so"), "native library unpacked into " + cache + "\n" + output);
  }

  private static boolean hasFile(Path dir, String name) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> found = files.filter(p -> p.getFileName().toString().equals(name)).toList();
      return !found.isEmpty();
    }
  }
}
