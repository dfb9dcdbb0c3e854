package dev.stn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A bad model, input or output is refused on the driver, before any Spark job, with one line naming
 * it and the problem and no stack trace: by {@code stn spark}, by the {@code spark-submit} job and
 * by the transformer.
 */
class StnSparkBadInputTest {
  private static SparkSession spark;

  @TempDir Path dir;

  private Path images;
  private Path out;

  @BeforeAll
  static void start() {
    spark = StnSpark.localSession("local[1]");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @BeforeEach
  void oneImage() throws Exception {
    images = Files.createDirectories(dir.resolve("images"));
    ImageIO.write(TestModels.image(32, 3), "png", images.resolve("a.png").toFile());
    out = dir.resolve("out");
  }

  /** The exit code, the command's stderr and what else reached the JVM's stderr meanwhile. */
  record Result(int exit, String err, String stderr) {}

  private static Result run(Supplier<CommandLine> command, String... args) {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    PrintStream before = System.err;
    // Before the command line exists: picocli takes the System.err of that moment as the default.
    System.setErr(new PrintStream(stream, true, StandardCharsets.UTF_8));
    try {
      CommandLine cli = command.get();
      StringWriter err = new StringWriter();
      cli.setErr(new PrintWriter(err, true));
      cli.setOut(new PrintWriter(new StringWriter(), true));
      int exit = cli.execute(args);
      return new Result(exit, err.toString(), stream.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(before);
    }
  }

  private Result spark(String... options) {
    List<String> args = new ArrayList<>(List.of(images.toString(), "--output", out.toString()));
    args.addAll(List.of("--master", "local[1]"));
    args.addAll(List.of(options));
    return run(StnSpark::commandLine, args.toArray(new String[0]));
  }

  private Result job(String... args) {
    return run(TableJob::commandLine, args);
  }

  /**
   * One line of {@code command} naming {@code input} and {@code problem} (a usage error adds where
   * the usage is); nothing written.
   */
  private void assertRefused(Result r, int exit, String command, Object input, String problem) {
    assertEquals(exit, r.exit(), r.err() + r.stderr());
    assertEquals(1, r.err().lines().filter(l -> !l.startsWith("Run '")).count(), r.err());
    assertTrue(r.err().startsWith(command + ": "), r.err());
    assertTrue(r.err().contains(input.toString()), r.err());
    assertTrue(r.err().contains(problem), r.err());
    assertNoStackTrace(r.err() + r.stderr());
    assertFalse(Files.exists(out), "nothing is written");
  }

  private static void assertNoStackTrace(String text) {
    assertFalse(text.contains("\tat ") || text.contains("Exception"), text);
  }

  private Path missingModel() {
    return dir.resolve("no-such-model.onnx");
  }

  private Path textModel() throws Exception {
    return Files.writeString(dir.resolve("notes.onnx"), "not a model\n");
  }

  private Path folderModel() throws Exception {
    return Files.createDirectories(dir.resolve("models.onnx"));
  }

  @Test
  void aMissingModelIsNamed() {
    Path model = missingModel();
    assertRefused(spark("--model", model.toString()), 1, "stn spark", model, "not found");
  }

  @Test
  void aTextFileIsNotAModel() throws Exception {
    Path model = textModel();
    assertRefused(spark("--model", model.toString()), 1, "stn spark", model, "cannot load");
  }

  @Test
  void aFolderIsNotAModel() throws Exception {
    Path model = folderModel();
    assertRefused(spark("--model", model.toString()), 1, "stn spark", model, "is a directory");
  }

  @Test
  void anOnnxModelOfAnotherContractIsNotAnStn4jModel() throws Exception {
    Path model = Files.write(dir.resolve("other.onnx"), TestModels.build(32, 3, Map.of()));
    Result r = spark("--model", model.toString());
    assertRefused(r, 1, "stn spark", model, "not an stn4j model");
  }

  @Test
  void pathsThatDoNotExistAreNamedAndSparkIsNotStarted() {
    Path typo = dir.resolve("imagse");
    Result r = run(StnSpark::commandLine, typo.toString(), "--output", out.toString());
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().startsWith("stn spark: " + typo + ": no such file or directory\n"), r.err());
    assertTrue(r.err().contains("Spark not started"), r.err());
    assertTrue(r.err().contains("1 file: 0 classified, 1 failed"), r.err());
    assertNoStackTrace(r.err() + r.stderr());
    assertFalse(Files.exists(out));
  }

  @Test
  void anOutputOrSummaryThatCannotBeWrittenIsAUsageError() throws Exception {
    Path file = Files.writeString(dir.resolve("file.txt"), "x");
    out = file.resolve("out");
    assertRefused(spark(), 2, "stn spark", file, "is not a folder");
    out = dir.resolve("out");
    Path json = dir.resolve("no-such-folder/s.json");
    assertRefused(spark("--summary-json", json.toString()), 2, "stn spark", json, "does not exist");
  }

  @Test
  void theJobRefusesABadModel() throws Exception {
    Map<Path, String> problems =
        Map.of(missingModel(), "not found", textModel(), "cannot load", folderModel(), "directory");
    for (Map.Entry<Path, String> bad : problems.entrySet()) {
      String model = bad.getKey().toString();
      Result r = job(images.toString(), "--output", out.toString(), "--model", model);
      assertRefused(r, 1, "stn4j-spark-job", model, bad.getValue());
    }
  }

  @Test
  void theJobNamesAMissingInputAndAnExistingOutput() throws Exception {
    Path typo = dir.resolve("imagse");
    Result r = job(typo.toString(), "--output", out.toString());
    assertRefused(r, 1, "stn4j-spark-job", typo, "no such file or directory");

    Path existing = Files.createDirectories(dir.resolve("existing"));
    Result again = job(images.toString(), "--output", existing.toString());
    assertEquals(2, again.exit(), again.err());
    assertTrue(again.err().startsWith("stn4j-spark-job: --output " + existing + " exists"));
    assertNoStackTrace(again.err() + again.stderr());
  }

  @Test
  void theTransformerNamesABadModelOnTheDriver() throws Exception {
    Dataset<Row> table = spark.read().format("binaryFile").load(images.toString());
    for (Path model : List.of(missingModel(), textModel(), folderModel())) {
      StnClassifierTransformer t = new StnClassifierTransformer().setModelPath(model.toString());
      IllegalArgumentException schema =
          assertThrows(IllegalArgumentException.class, () -> t.transformSchema(table.schema()));
      IllegalArgumentException transform =
          assertThrows(IllegalArgumentException.class, () -> t.transform(table));
      assertEquals(schema.getMessage(), transform.getMessage());
      assertTrue(schema.getMessage().startsWith(model + ": "), schema.getMessage());
    }
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new StnClassifierTransformer().setModelPath(dir.toString()).transform(table))
            .getMessage()
            .contains("is a directory, not a model"));
  }
}
