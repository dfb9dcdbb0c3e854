package dev.stn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.LabelledTrees;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.TestModels;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar as a cluster runs it: Spark's own {@code SparkSubmit} entry point (what the {@code
 * spark-submit} script execs) in a child JVM whose classpath is Spark alone, the shaded {@code
 * stn4j-spark-job.jar} as the application jar, {@code local[2]}. Proves the jar carries everything
 * stn4j needs (SDK, shipped model, ONNX Runtime, image readers) and nothing that clashes with
 * Spark, and that {@code --model} runs a user model at its size with its classes. An integration
 * test (failsafe, after {@code package}), because it needs that jar.
 */
class SparkSubmitIT {
  private static final Path TARGET = Path.of(System.getProperty("stn4j.spark.target", "target"));

  /** Reads what the child JVMs wrote. */
  private static SparkSession spark;

  @TempDir Path dir;

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

  /** The JVM options every program of this module starts with, as ./stn reads them. */
  private static String launchJvmOptions() throws java.io.IOException {
    java.util.Properties launch = new java.util.Properties();
    try (var in = Files.newBufferedReader(TARGET.getParent().resolve("launch.properties"))) {
      launch.load(in);
    }
    return launch.getProperty("jvm.options").trim();
  }

  /**
   * What a Spark 4.2 distribution's {@code jars/} holds: the provided-scope tree the build copied
   * to {@code spark-lib/}, plus Jackson, which Spark ships too but which Maven resolved into the
   * SDK's runtime tree ({@code lib/}) because stn4j uses it as well.
   */
  private static String sparkDistributionClasspath() throws java.io.IOException {
    List<String> entries = new ArrayList<>();
    entries.add(TARGET.resolve("spark-lib").toAbsolutePath() + File.separator + "*");
    try (Stream<Path> lib = Files.list(TARGET.resolve("lib"))) {
      lib.filter(j -> j.getFileName().toString().startsWith("jackson-"))
          .forEach(j -> entries.add(j.toAbsolutePath().toString()));
    }
    return String.join(File.pathSeparator, entries);
  }

  record Submitted(int exit, String output) {}

  /** {@code spark-submit --master local[2] --class TableJob stn4j-spark-job.jar jobArgs...}. */
  private Submitted submit(List<String> jobArgs) throws Exception {
    Path log = Files.createTempFile(dir, "submit", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(launchJvmOptions().split("\\s+")));
    command.addAll(
        List.of(
            "-Xmx1g",
            "-cp",
            sparkDistributionClasspath(),
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            "local[2]",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.driver.bindAddress=127.0.0.1",
            "--class",
            "dev.stn4j.spark.TableJob",
            TARGET.resolve("stn4j-spark-job.jar").toAbsolutePath().toString()));
    command.addAll(jobArgs);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_LOCAL_HOSTNAME", "localhost");
    Process p = pb.start();
    boolean ended = p.waitFor(4, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(ended, "spark-submit did not end in 4 minutes:\n" + output);
    return new Submitted(p.exitValue(), output);
  }

  /** The Parquet rows under {@code out} by local path. */
  private static Map<String, Row> rows(Path out) {
    Map<String, Row> rows = new HashMap<>();
    for (Row r : spark.read().parquet(out.toString()).collectAsList()) {
      rows.put(PartitionClassifier.toPath(r.getAs("path")).toString(), r);
    }
    return rows;
  }

  @Test
  void theJobJarClassifiesAFolderUnderSparkSubmitAndABrokenFileIsAnErrorRow() throws Exception {
    List<Path> files = SparkTestSupport.sampleTree(dir.resolve("in"), 40);
    Path broken = Files.write(dir.resolve("in/cat/broken.png"), "not a PNG".getBytes());
    Path out = dir.resolve("rows");
    Submitted s = submit(List.of(dir.resolve("in").toString(), "--output", out.toString()));
    // TableJob exits 1 when any file failed: here the one broken file.
    assertEquals(1, s.exit(), s.output());
    assertTrue(s.output().contains("41 files: 40 classified, 1 failed"), s.output());

    Map<String, Row> rows = rows(out);
    assertEquals(41, rows.size());
    try (StnClassifier sdk = StnClassifier.builder().defaultModel().intraOpThreads(1).build()) {
      for (Path f : files) {
        Row r = rows.get(f.toString());
        assertNull(r.getAs("error"), f.toString());
        Prediction expected = sdk.predict(f);
        assertEquals(expected.label(), r.getAs("label"), f.toString());
        assertEquals(expected.confidence(), (float) r.getAs("confidence"), 1e-6f, f.toString());
      }
    }
    String error = rows.get(broken.toString()).getAs("error");
    assertTrue(error.contains("broken.png") || error.contains("not a recognised image"), error);
  }

  @Test
  void theJobJarRunsAUserModelAtItsSizeWithItsClasses() throws Exception {
    Path model =
        Files.write(dir.resolve("user-48x4.onnx"), TestModels.v2(48, TestModels.classNames(4), 10));
    Path in = LabelledTrees.write(dir.resolve("in"), 4, 2, 48, 1);
    Path out = dir.resolve("rows");
    Submitted s =
        submit(List.of(in.toString(), "--output", out.toString(), "--model", model.toString()));
    assertEquals(0, s.exit(), s.output());
    assertTrue(s.output().contains("8 files: 8 classified, 0 failed"), s.output());

    Map<String, Row> rows = rows(out);
    assertEquals(8, rows.size());
    try (StnClassifier sdk = StnClassifier.builder().model(model).intraOpThreads(1).build()) {
      for (Map.Entry<String, Row> e : rows.entrySet()) {
        Path f = Path.of(e.getKey());
        RowChecks.assertSameAsSdk(sdk, e.getValue(), f);
        assertEquals(f.getParent().getFileName().toString(), e.getValue().getAs("label"));
      }
    }
  }
}
