package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench serve} for a fraction of a second per row against a real {@code stn serve} child:
 * every valid request of every mode (REST and gRPC) gets 200 (OK) and the SDK's class, every
 * invalid one 400 (INVALID_ARGUMENT), and the JSON rows have their fields. No speed is asserted.
 */
class ServeLoadCommandTest {
  private static final Path ROOT = Path.of(System.getProperty("stn4j.root", "."));

  @Test
  void loadsEveryModeWithoutErrorsAndWritesTheRows(@TempDir Path tmp) throws Exception {
    Path json = tmp.resolve("serve.json");
    Run run =
        serve(
            "--root",
            ROOT.toString(),
            "--concurrency",
            "1,4",
            "--batching",
            "on",
            "--protocol",
            "rest,grpc",
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
    assertEquals(0, run.exit(), run.text());
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
        Set.of(
            "binary/1",
            "binary/4",
            "json/1",
            "json/4",
            "classify/1",
            "classify/4",
            "grpc/1",
            "grpc/4"),
        seen);
  }

  /**
   * {@code --stalled}: the row runs without and with 250 stalled uploads held open (more than
   * Jetty's 200 threads); honest requests get their answers in both, and with a body timeout of 1.5
   * s the server cuts every stalled upload with 408, which the generator opens again.
   */
  @Test
  void holdsStalledUploadsAndIdleConnectionsAndReopensThoseTheServerCuts(@TempDir Path tmp)
      throws Exception {
    Path json = tmp.resolve("stalled.json");
    Run run =
        serve(
            "--root",
            ROOT.toString(),
            "--modes",
            "binary",
            "--concurrency",
            "2",
            "--batching",
            "on",
            "--seconds",
            "2.5",
            "--warmup-seconds",
            "0.5",
            "--stalled",
            "250",
            "--idle",
            "20",
            "--server-arg=--body-timeout-ms=1500",
            "--json",
            json.toString());
    assertEquals(0, run.exit(), run.text());
    JsonNode rows = new ObjectMapper().readTree(json.toFile()).get("rows");
    assertEquals(2, rows.size(), run.text());
    JsonNode without = rows.get(0);
    JsonNode with = rows.get(1);
    assertEquals(0, without.get("stalled").asInt());
    assertEquals(0, without.get("held").size());
    assertEquals(250, with.get("stalled").asInt());
    assertEquals(20, with.get("idle").asInt());
    for (JsonNode row : rows) {
      assertEquals(0, row.get("errors").asLong(), row.toString());
      assertEquals(0, row.get("wrongAnswers").asLong(), row.toString());
      assertTrue(row.get("requests").asLong() > 0, row.toString());
    }
    JsonNode stalled = with.get("held").get(0);
    assertEquals("STALLED", stalled.get("kind").asText());
    assertEquals(250, stalled.get("count").asInt());
    // Every one was cut once at least (1.5 s into a row of over 3 s), with a 408, and reopened.
    assertTrue(stalled.get("closedByServer").asLong() >= 250, stalled.toString());
    assertTrue(stalled.get("answered408").asLong() >= 250, stalled.toString());
    assertTrue(stalled.get("maxLifeSeconds").asDouble() >= 1.4, stalled.toString());
    assertEquals(0, stalled.get("reopenFailures").asLong(), stalled.toString());
    JsonNode idle = with.get("held").get(1);
    assertEquals("IDLE", idle.get("kind").asText());
    // Idle keep-alive connections stay open (the idle timeout is 30 s).
    assertEquals(0, idle.get("closedByServer").asLong(), idle.toString());
  }

  /**
   * {@code --classify-image}: every classify request posts the given JPEG (here a 400×300 one) and
   * gets 200 with the class the SDK gives the file; the report names the file.
   */
  @Test
  void postsAGivenImageFileAsEveryClassifyRequest(@TempDir Path tmp) throws Exception {
    Path photo =
        PhotoJpegs.write(
            tmp.resolve("photo.jpg"), 400, 300, SampleImages.load(ROOT).image(3), 32, 1);
    Path json = tmp.resolve("photo.json");
    Run run =
        serve(
            "--root",
            ROOT.toString(),
            "--modes",
            "classify",
            "--classify-image",
            photo.toString(),
            "--concurrency",
            "2",
            "--batching",
            "on",
            "--seconds",
            "1",
            "--warmup-seconds",
            "0.5",
            "--json",
            json.toString());
    assertEquals(0, run.exit(), run.text());
    JsonNode doc = new ObjectMapper().readTree(json.toFile());
    assertEquals(photo.toString(), doc.get("classifyImage").asText());
    JsonNode row = doc.get("rows").get(0);
    assertEquals("classify", row.get("mode").asText());
    assertEquals(0, row.get("errors").asLong(), row.toString());
    assertEquals(0, row.get("wrongAnswers").asLong(), row.toString());
    assertTrue(row.get("requests").asLong() > 0, row.toString());
  }

  @Test
  void aClassifyImageNeedsTheClassifyModeAlone(@TempDir Path tmp) throws Exception {
    Path photo = Files.write(tmp.resolve("p.jpg"), new byte[] {1});
    Run run = serve("--modes", "binary,classify", "--classify-image", photo.toString());
    assertEquals(2, run.exit(), run.text());
    assertTrue(run.text().contains("--classify-image needs --modes classify"), run.text());
  }

  /** What {@code stn bench serve} printed (stdout and stderr together) and its exit code. */
  private record Run(int exit, String text) {}

  private static Run serve(String... args) {
    StringWriter text = new StringWriter();
    CommandLine cmd = BenchMain.commandLine();
    cmd.setOut(new PrintWriter(text));
    cmd.setErr(new PrintWriter(text));
    String[] all = new String[args.length + 2];
    all[0] = "bench";
    all[1] = "serve";
    System.arraycopy(args, 0, all, 2, args.length);
    int exit = cmd.execute(all);
    return new Run(exit, text.toString());
  }
}
