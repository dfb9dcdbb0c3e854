package dev.stn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.sdk.LabelledTrees;
import dev.stn4j.sdk.TestModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code stn spark} end to end, in this JVM, on the twenty labelled images of the repository. */
class StnSparkCommandTest {
  @TempDir Path dir;

  record Result(int exit, String err) {}

  static Result run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = StnSpark.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    return new Result(cli.execute(args), err.toString());
  }

  @Test
  void classifiesTheExampleImagesWritesJsonRowsAndTheSummaryOfClassify() throws Exception {
    Path images = SparkTestSupport.root().resolve("examples/images");
    Path out = dir.resolve("rows");
    Path summary = dir.resolve("summary.json");
    Result r =
        run(
            images.toString(),
            "--output",
            out.toString(),
            "--format",
            "json",
            "--master",
            "local[2]",
            "--summary-json",
            summary.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("20 files: 20 classified, 0 failed"), r.err());
    assertTrue(r.err().contains("confusion matrix"), r.err());

    ObjectMapper json = new ObjectMapper();
    JsonNode s = json.readTree(summary.toFile());
    List<String> fields = new ArrayList<>();
    s.fieldNames().forEachRemaining(fields::add);
    assertEquals(
        List.of(
            "images",
            "classified",
            "failed",
            "labelled",
            "accuracy",
            "classes",
            "per_class",
            "top_confusions",
            "confusion"),
        fields);
    assertEquals(20, s.get("labelled").asInt());

    List<JsonNode> rows = rows(json, out);
    assertEquals(20, rows.size());
    long correct =
        rows.stream()
            .filter(n -> n.get("label").asText().equals(n.get("true_label").asText()))
            .count();
    assertEquals(
        correct,
        s.get("per_class").get("cat").get("correct").asLong()
            + rows.stream()
                .filter(n -> !n.get("true_label").asText().equals("cat"))
                .filter(n -> n.get("label").asText().equals(n.get("true_label").asText()))
                .count());
    assertEquals((double) correct / 20, s.get("accuracy").asDouble(), 1e-12);
    rows.forEach(n -> assertEquals(6, n.get("theta").size()));

    Result again = run(images.toString(), "--output", out.toString(), "--master", "local[1]");
    assertEquals(2, again.exit(), again.err());
    assertTrue(again.err().contains("exists; add --overwrite"), again.err());
  }

  @Test
  void withAUserModelTheRowsAndTheSummaryHaveItsClasses() throws Exception {
    // 25 classes (beyond the 20 of a full confusion matrix) of 24×24 images, 2 per class.
    List<String> classes = TestModels.classNames(25);
    Path model = Files.write(dir.resolve("user-24x25.onnx"), TestModels.v2(24, classes, 10));
    Path tree = LabelledTrees.write(dir.resolve("tree"), 25, 2, 24, 1);
    Path out = dir.resolve("rows");
    Path summary = dir.resolve("summary.json");
    Result r =
        run(
            tree.toString(),
            "--model",
            model.toString(),
            "--output",
            out.toString(),
            "--format",
            "json",
            "--master",
            "local[1]",
            "--summary-json",
            summary.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("50 files: 50 classified, 0 failed"), r.err());
    assertTrue(r.err().contains("accuracy 100.00 %"), r.err());

    ObjectMapper json = new ObjectMapper();
    JsonNode s = json.readTree(summary.toFile());
    List<String> names = new ArrayList<>();
    s.get("classes").forEach(n -> names.add(n.asText()));
    assertEquals(classes, names);
    assertEquals(50, s.get("labelled").asInt());
    assertTrue(s.has("top_confusions") && !s.has("confusion"), s.toString());
    List<JsonNode> rows = rows(json, out);
    assertEquals(50, rows.size());
    for (JsonNode row : rows) {
      assertEquals(25, row.get("probabilities").size(), row.toString());
      assertEquals(row.get("true_label").asText(), row.get("label").asText(), row.toString());
    }
  }

  private static List<JsonNode> rows(ObjectMapper json, Path out) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    try (Stream<Path> parts = Files.list(out)) {
      for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        for (String line : Files.readAllLines(part)) {
          rows.add(json.readTree(line));
        }
      }
    }
    return rows;
  }

  @Test
  void followsTheSharedCommandLineConvention() {
    Result bad = run(dir.toString(), "--output", dir.resolve("o").toString(), "--colour");
    assertEquals(2, bad.exit(), bad.err());
    assertTrue(bad.err().startsWith("stn spark: Unknown option: '--colour'"), bad.err());
    assertTrue(bad.err().contains("Run 'stn spark --help' for its usage."), bad.err());

    StringWriter out = new StringWriter();
    CommandLine cli = StnSpark.commandLine();
    cli.setOut(new PrintWriter(out, true));
    assertEquals(0, cli.execute("--version"));
    assertTrue(out.toString().startsWith("stn4j "), out.toString());
  }

  @Test
  void usageErrorsExitTwoAndAnEmptyFolderExitsOne() throws Exception {
    assertEquals(
        2, run(dir.toString(), "--output", dir.resolve("o").toString(), "--threads", "0").exit());
    Result cluster =
        run(dir.toString(), "--output", dir.resolve("o").toString(), "--master", "yarn");
    assertEquals(2, cluster.exit());
    assertTrue(cluster.err().contains("spark-submit"), cluster.err());
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Result none =
        run(empty.toString(), "--output", dir.resolve("o").toString(), "--master", "local[1]");
    assertEquals(1, none.exit(), none.err());
    assertTrue(none.err().contains("no image files found"), none.err());
  }
}
