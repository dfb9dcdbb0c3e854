package dev.stn4j.spark;

import dev.stn4j.files.ImageFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
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
          System.out.printf(
              Locale.ROOT,
              "{\"round\":%d,\"warmup\":%b,\"master\":\"%s\",\"session_s\":%.3f,"
                  + "\"images\":%s,\"seconds\":%s,\"loadavg\":\"%s\"}%n",
              r,
              r == 0,
              master,
              session,
              trees.stream()
                  .map(f -> String.valueOf(f.size()))
                  .collect(Collectors.joining(",", "[", "]")),
              json(seconds),
              Files.readString(Path.of("/proc/loadavg")).substring(0, 14));
        }
      }
    }
    delete(out);
  }

  private static String json(double[][] seconds) {
    List<String> rows = new ArrayList<>();
    for (double[] row : seconds) {
      List<String> cells = new ArrayList<>();
      for (double s : row) {
        cells.add(String.format(Locale.ROOT, "%.3f", s));
      }
      rows.add(String.join(",", cells));
    }
    return rows.stream().map(r -> "[" + r + "]").collect(Collectors.joining(",", "[", "]"));
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
