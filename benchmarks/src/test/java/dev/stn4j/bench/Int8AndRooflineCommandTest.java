package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.sdk.RepositoryRoot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench int8} and {@code bench roofline} run end to end on the shipped model for a moment.
 * No timing targets: the commands measure, the tests check what they print and compare.
 */
class Int8AndRooflineCommandTest {
  private static final Path ROOT = RepositoryRoot.get();
  private static final Path SHIPPED =
      ROOT.resolve("sdk/src/main/resources/dev/stn4j/sdk/default-model.onnx");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = BenchMain.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void int8ComparesEachArmWithFp32(@TempDir Path tmp) throws Exception {
    Path json = tmp.resolve("ab.json");
    // The fp32 model standing in for an int8 one: every arm must then agree fully with fp32.
    int exit =
        run(
            "bench",
            "int8",
            "--root",
            ROOT.toString(),
            "--int8-model",
            SHIPPED.toString(),
            "--batches",
            "4",
            "--threads",
            "1",
            "--warmup-seconds",
            "0.1",
            "--seconds",
            "0.2",
            "--rounds",
            "1",
            "--json",
            json.toString());
    assertEquals(0, exit, err.toString());
    JsonNode rows = new ObjectMapper().readTree(json.toFile());
    assertEquals(3, rows.size(), rows.toString());
    assertEquals("fp32", rows.get(0).get("arm").asText());
    assertEquals("int8/ort-gridsample", rows.get(2).get("arm").asText());
    for (JsonNode row : rows) {
      assertEquals(1.0, row.get("class_agreement").asDouble(), row.toString());
      assertEquals(0.0, row.get("max_theta_diff").asDouble(), row.toString());
      assertTrue(row.get("images_per_s").asDouble() > 0, row.toString());
    }
    assertEquals(1.0, rows.get(0).get("speedup_vs_fp32").asDouble());
  }

  @Test
  void int8NamesAMissingModel() {
    Path missing = ROOT.resolve("no-such-int8.onnx");
    assertEquals(
        1, run("bench", "int8", "--root", ROOT.toString(), "--int8-model", missing.toString()));
    assertTrue(err.toString().contains(missing + ": int8 model not found"), err.toString());
  }

  @Test
  void rooflinePrintsTheRoofAndTheModelsFraction() {
    int exit =
        run(
            "bench",
            "roofline",
            "--root",
            ROOT.toString(),
            "--size",
            "64",
            "--seconds",
            "0.2",
            "--threads",
            "1",
            "--batches",
            "1");
    assertEquals(0, exit, err.toString());
    String text = out.toString();
    assertTrue(text.contains("useful work 4,186,164 FLOP per image"), text);
    assertTrue(text.contains("threads 1: FP32 MatMul"), text);
    assertTrue(text.contains("fp32  batch    1:"), text);
    assertTrue(text.contains("% of FP32 peak"), text);
  }
}
