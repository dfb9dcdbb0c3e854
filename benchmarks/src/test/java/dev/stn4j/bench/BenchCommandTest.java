package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.sdk.RepositoryRoot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the plain harness for a few iterations on the shipped model and checks the shape and sanity
 * of the JSON rows. No timing targets: those are measured by the benchmark, not asserted.
 */
class BenchCommandTest {
  private static final Path ROOT = RepositoryRoot.get();

  @Test
  void writesOneSaneRowPerRuntimeBatchAndThreads(@TempDir Path tmp) throws Exception {
    Path json = tmp.resolve("rows.json");
    StringWriter text = new StringWriter();
    CommandLine cmd = BenchMain.commandLine();
    cmd.setOut(new PrintWriter(text));
    int exit =
        cmd.execute(
            "bench",
            "--root",
            ROOT.toString(),
            "--runtimes",
            "djl-ort,sdk,ort-raw,djl-pytorch",
            "--providers",
            "cpu,cuda",
            "--batches",
            "1,8",
            "--threads",
            "1",
            "--callers",
            "1,2",
            "--warmup-iterations",
            "3",
            "--iterations",
            "25",
            "--json",
            json.toString());
    assertEquals(0, exit, text.toString());

    JsonNode rows = new ObjectMapper().readTree(json.toFile());
    Set<String> seen = new HashSet<>();
    for (JsonNode row : rows) {
      String runtime = row.get("runtime").asText();
      String provider = row.get("provider").asText();
      int batch = row.get("batch").asInt();
      int callers = row.get("callers").asInt();
      double p50 = row.get("p50_us").asDouble();
      double p90 = row.get("p90_us").asDouble();
      double p99 = row.get("p99_us").asDouble();
      assertTrue(p50 > 0, row.toString());
      assertTrue(p50 <= p90 && p90 <= p99, "percentiles out of order: " + row);
      assertTrue(row.get("images_per_s").asDouble() > 0, row.toString());
      assertEquals(1, row.get("threads").asInt(), row.toString());
      assertTrue(row.get("rss_mib").asDouble() > 0, row.toString());
      if (runtime.startsWith("pre:")) {
        assertEquals("java", provider);
        continue;
      }
      // With 2 callers the SDK is timed from two threads: 25 calls each.
      assertEquals(25L * callers, row.get("iterations").asLong(), row.toString());
      assertTrue(callers == 1 || runtime.equals("sdk"), "only the SDK is shared: " + row);
      assertTrue(batch == 1 || batch == 8, row.toString());
      // Latencies and throughput must agree: half the calls took at least p50, and each
      // caller's calls ran one after another within the measured wall time.
      long n = row.get("iterations").asLong();
      double wallUs = n * batch / row.get("images_per_s").asDouble() * 1e6;
      assertTrue(p50 * n / 2 <= wallUs * callers, row.toString());
      seen.add(runtime + "/" + provider + "/" + batch + "/" + callers);
    }
    for (String runtime : new String[] {"sdk", "ort-raw", "djl-ort", "djl-pytorch"}) {
      for (int batch : new int[] {1, 8}) {
        String key = runtime + "/cpu/" + batch + "/1";
        assertTrue(seen.contains(key), "missing " + key + " in " + seen);
      }
    }
    assertTrue(seen.contains("sdk/cpu/1/2"), seen.toString());
    assertTrue(rowsNamed(rows, "pre:toChw-640x480"), rows.toString());
    // Without a GPU the CUDA rows are skipped with ONNX Runtime's reason; with one they exist.
    boolean cudaRows = seen.stream().anyMatch(s -> s.contains("/cuda/"));
    assertTrue(cudaRows || text.toString().contains("on cuda: "), text.toString());
    assertFalse(text.toString().contains("Exception in"), text.toString());
  }

  @Test
  void versionIsTheBuildsOwn() {
    CommandLine cmd = BenchMain.commandLine();
    StringWriter out = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    assertEquals(0, cmd.execute("-V"));
    assertEquals("stn4j " + RepositoryRoot.pomVersion(), out.toString().strip());
  }

  @Test
  void refusesUnknownArgumentsWithoutJmh() {
    CommandLine cmd = BenchMain.commandLine();
    StringWriter err = new StringWriter();
    cmd.setErr(new PrintWriter(err));
    cmd.setOut(new PrintWriter(new StringWriter()));
    assertEquals(2, cmd.execute("bench", "--root", ROOT.toString(), "-wi", "3"));
    assertTrue(err.toString().contains("-wi"), err.toString());
  }

  private static boolean rowsNamed(JsonNode rows, String runtime) {
    for (JsonNode row : rows) {
      if (row.get("runtime").asText().equals(runtime)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void leakCheckMeasuresNativeGrowthPerPredictionInAPreTouchedJvm(@TempDir Path tmp)
      throws Exception {
    Path json = tmp.resolve("leak.json");
    StringWriter text = new StringWriter();
    CommandLine cmd = BenchMain.commandLine();
    cmd.setOut(new PrintWriter(text));
    int exit =
        cmd.execute(
            "bench",
            "--root",
            ROOT.toString(),
            "--leak-check",
            "400",
            "--batches",
            "4",
            "--threads",
            "1",
            "--warmup-iterations",
            "5",
            "--json",
            json.toString());
    assertEquals(0, exit, text.toString());
    assertTrue(text.toString().contains("Java heap 1024 MiB, pre-touched"), text.toString());
    assertTrue(text.toString().contains("bytes/prediction"), text.toString());

    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertEquals(400, report.get("predictions").asLong());
    JsonNode samples = report.get("samples");
    assertEquals(21, samples.size(), report.toString()); // the start and every 20th call
    for (JsonNode s : samples) {
      double rss = s.get("rss_mib").asDouble();
      double heap = s.get("heap_committed_mib").asDouble();
      assertEquals(1024, heap, 0.5, s.toString());
      // The pre-touched heap is resident, so resident memory exceeds it by the native part.
      assertTrue(rss > heap && s.get("jvm_native_mib").asDouble() > 0, s.toString());
    }
    double perPrediction = report.get("whole_run").get("native_bytes").asDouble();
    double expected =
        (samples.get(20).get("rss_mib").asDouble() - samples.get(0).get("rss_mib").asDouble())
            * 1024
            * 1024
            / 400;
    assertEquals(expected, perPrediction, 1e-6 * Math.abs(expected) + 1e-9);
  }
}
