package dev.stn4j.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stn4j.files.ImageFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Not a test: times the {@code stn spark} job for local[1] and local[2] on trees of growing size,
 * so that the slope between two sizes (the per-image cost, start-up cancelled) can be compared
 * across masters and with {@code stn classify}. The masters alternate round by round (a new session
 * each time, in one JVM: only the first start pays Spark's class loading), so a change in the
 * machine's load falls on both. Within a round each tree's job runs {@code REPEATS} times (the
 * sizes interleaved) and the shortest counts: the noise of a job of a few seconds (GC, the other
 * core's load, Spark's scheduling) only ever adds time. Every round is printed with every repeat,
 * as one JSON line ({@code {"round":..,"master":..,...}}) that {@code
 * benchmarks/scripts/spark-scaling.py} reads; round 0 is the warm-up.
 *
 * <pre>{@code
 * java <add-opens> -cp <test classpath> dev.stn4j.spark.SparkThroughputProbe ROUNDS REPEATS DIR...
 * }</pre>
 */
final class SparkThroughputProbe {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SparkThroughputProbe() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    int repeats = Integer.parseInt(args[1]);
    StnClassifierTransformer t = new StnClassifierTransformer().setIntraOpThreads(1);
    List<List<ImageFile>> trees = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      trees.add(ImageJob.list(t, List.of(Path.of(args[i])), w -> {}));
    }
    Path out = Files.createTempDirectory("stn-spark-probe");
    for (int r = 0; r <= rounds; r++) {
      List<String> masters =
          r % 2 == 0 ? List.of("local[1]", "local[2]") : List.of("local[2]", "local[1]");
      for (String master : masters) {
        long start = System.nanoTime();
        try (SparkSession spark = StnSpark.localSession(master)) {
          double session = (System.nanoTime() - start) / 1e9;
          double[][] seconds = new double[trees.size()][repeats];
          for (int k = 0; k < repeats; k++) {
            for (int i = 0; i < trees.size(); i++) {
              seconds[i][k] = time(spark, trees.get(i), out, t);
            }
          }
          ObjectNode row = JSON.createObjectNode();
          row.put("round", r).put("warmup", r == 0).put("master", master);
          row.put("session_s", millis(session));
          ArrayNode images = row.putArray("images");
          trees.forEach(f -> images.add(f.size()));
          ArrayNode times = row.putArray("seconds");
          for (double[] tree : seconds) {
            ArrayNode repeatsOfTree = times.addArray();
            for (double s : tree) {
              repeatsOfTree.add(millis(s));
            }
          }
          row.put("loadavg", Files.readString(Path.of("/proc/loadavg")).substring(0, 14));
          System.out.println(JSON.writeValueAsString(row));
        }
      }
    }
    delete(out);
  }

  /** Seconds to the millisecond, as printed. */
  private static double millis(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  private static double time(
      SparkSession spark, List<ImageFile> files, Path out, StnClassifierTransformer t)
      throws Exception {
    delete(out);
    long start = System.nanoTime();
    ImageJob.run(spark, files, out, "parquet", true, 0, t);
    return (System.nanoTime() - start) / 1e9;
  }

  private static void delete(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
