package dev.stn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.StnClassifier;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar as a cluster runs it: Spark's own {@code SparkSubmit} entry point (what the {@code
 * spark-submit} script execs) in a child JVM whose classpath is Spark alone, the shaded {@code
 * stn4j-spark-job.jar} as the application jar, {@code local[2]}. Proves the jar carries everything
 * stn4j needs (SDK, shipped model, ONNX Runtime, image readers) and nothing that clashes with
 * Spark. An integration test (failsafe, after {@code package}), because it needs that jar.
 */
class SparkSubmitIT {
  private static final Path TARGET = Path.of(System.getProperty("stn4j.spark.target", "target"));

  @TempDir Path dir;

  /**
   * What a Spark 4.2 distribution's {@code jars/} holds: the provided-scope tree the build copied
   * to {@code spark-lib/}, plus Jackson, which Spark ships too but which Maven resolved into the
   * SDK's runtime tree ({@code lib/}) because stn4j uses it as well.
   */
  /** The JVM options every program of this module starts with, as ./stn reads them. */
  private static String launchJvmOptions() throws java.io.IOException {
    java.util.Properties launch = new java.util.Properties();
    try (var in = Files.newBufferedReader(TARGET.getParent().resolve("launch.properties"))) {
      launch.load(in);
    }
    return launch.getProperty("jvm.options").trim();
  }

  private static String sparkDistributionClasspath() throws java.io.IOException {
    List<String> entries = new ArrayList<>();
    entries.add(TARGET.resolve("spark-lib").toAbsolutePath() + File.separator + "*");
    try (var lib = Files.list(TARGET.resolve("lib"))) {
      lib.filter(j -> j.getFileName().toString().startsWith("jackson-"))
          .forEach(j -> entries.add(j.toAbsolutePath().toString()));
    }
    return String.join(File.pathSeparator, entries);
  }

  @Test
  void theJobJarClassifiesAFolderUnderSparkSubmitAndABrokenFileIsAnErrorRow() throws Exception {
    List<Path> files = SparkTestSupport.sampleTree(dir.resolve("in"), 40);
    Path broken = Files.write(dir.resolve("in/cat/broken.png"), "not a PNG".getBytes());
    Path out = dir.resolve("rows");
    Path log = dir.resolve("submit.log");

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
            TARGET.resolve("stn4j-spark-job.jar").toAbsolutePath().toString(),
            dir.resolve("in").toString(),
            "--output",
            out.toString()));
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
    // TableJob exits 1 when any file failed: here the one broken file.
    assertEquals(1, p.exitValue(), output);
    assertTrue(output.contains("41 files: 40 classified, 1 failed"), output);

    Map<String, Row> rows = new HashMap<>();
    try (SparkSession spark = StnSpark.localSession("local[1]");
        StnClassifier sdk = StnClassifier.builder().defaultModel().intraOpThreads(1).build()) {
      for (Row r : spark.read().parquet(out.toString()).collectAsList()) {
        rows.put(Path.of(java.net.URI.create(r.getAs("path"))).toString(), r);
      }
      assertEquals(41, rows.size());
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
}
