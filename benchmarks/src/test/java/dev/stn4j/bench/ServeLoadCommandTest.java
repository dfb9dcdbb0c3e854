package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench serve} for a fraction of a second per row against a real {@code stn serve} child:
 * every valid request of every mode gets 200 and the SDK's class, every invalid one 400, and the
 * JSON rows have their fields. No speed is asserted.
 */
class ServeLoadCommandTest {
  private static final Path ROOT = Path.of(System.getProperty("stn4j.root", "."));

  @Test
  void loadsEveryModeWithoutErrorsAndWritesTheRows(@TempDir Path tmp) throws Exception {
    Path json = tmp.resolve("serve.json");
    StringWriter text = new StringWriter();
    CommandLine cmd = BenchMain.commandLine();
    cmd.setOut(new PrintWriter(text));
    cmd.setErr(new PrintWriter(text));
    int exit =
        cmd.execute(
            "bench",
            "serve",
            "--root",
            ROOT.toString(),
            "--concurrency",
            "1,4",
            "--batching",
            "on",
            "--seconds",
            "1",
            "--warmup-seconds",
            "1.5",
            "--invalid-every",
            "3",
            "--memory-every",
            "0.4",
            "--json",
            json.toString());
    assertEquals(0, exit, text.toString());
    JsonNode doc = new ObjectMapper().readTree(json.toFile());
    assertTrue(doc.get("referencePredictEachImagesPerSecond").asLong() > 0);
    Set<String> seen = new HashSet<>();
    for (JsonNode row : doc.get("rows")) {
      seen.add(row.get("mode").asText() + "/" + row.get("concurrency").asInt());
      // Every valid request got 200 and the SDK's class, every invalid one 400.
      assertEquals(0, row.get("errors").asLong(), row.toString());
      assertEquals(0, row.get("wrongAnswers").asLong(), row.toString());
      assertEquals(0, row.get("other5xx").asLong(), row.toString());
      assertTrue(row.get("invalidRequests").asLong() > 0, row.toString());
      assertTrue(row.get("requests").asLong() > 0, row.toString());
      assertTrue(row.get("p99Ms").asDouble() >= row.get("p50Ms").asDouble(), row.toString());
      assertTrue(row.get("serverCpuSeconds").asDouble() > 0, row.toString());
      // Start, every 0.4 s of the 1 s row, end: the server's RSS and its JVM's own accounting.
      JsonNode memory = row.get("serverMemory");
      // (a reading the server is too busy to answer within 10 s is counted as missed instead)
      assertTrue(memory.size() >= 1, row.toString());
      assertTrue(memory.size() + row.get("serverMemorySamplesMissed").asInt() >= 3, row.toString());
      for (JsonNode m : memory) {
        assertTrue(m.get("rssKiB").asLong() > m.get("heapCommittedKiB").asLong(), m.toString());
        assertTrue(m.get("heapUsedKiB").asLong() > 0, m.toString());
        assertTrue(m.get("nonHeapCommittedKiB").asLong() > 0, m.toString());
      }
    }
    assertEquals(
        Set.of("binary/1", "binary/4", "json/1", "json/4", "classify/1", "classify/4"), seen);
  }
}
