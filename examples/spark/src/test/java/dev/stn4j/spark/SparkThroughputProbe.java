package dev.stn4j.spark;

import dev.stn4j.files.ImageFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Not a test: times the {@code stn spark} job for local[1] and local[2] on a smaller and a larger
 * tree, so that the slope between the two sizes (the per-image cost, start-up cancelled) can be
 * compared across masters and with {@code stn classify}. The masters alternate round by round (a
 * new session each time, in one JVM: only the first start pays Spark's class loading), so a change
 * in the machine's load falls on both; every round is printed and counted, as one JSON line ({@code
 * {"round":..,"master":..,...}}) that {@code benchmarks/scripts/spark-scaling.py} reads.
 *
 * <pre>{@code
 * java <add-opens> -cp <test classpath> dev.stn4j.spark.SparkThroughputProbe SMALL_DIR LARGE_DIR [ROUNDS]
 * }</pre>
 */
final class SparkThroughputProbe {
  private SparkThroughputProbe() {}

  public static void main(String[] args) throws Exception {
    Path small = Path.of(args[0]);
    Path large = Path.of(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    StnClassifierTransformer t = new StnClassifierTransformer().setIntraOpThreads(1);
    List<ImageFile> smallFiles = ImageJob.list(t, List.of(small), w -> {});
    List<ImageFile> largeFiles = ImageJob.list(t, List.of(large), w -> {});
    Path out = Files.createTempDirectory("stn-spark-probe");
    for (int r = 0; r <= rounds; r++) {
      // Round 0 is the warm-up (class loading, the classifier cache, JIT) and is printed as such.
      List<String> masters =
          r % 2 == 0 ? List.of("local[1]", "local[2]") : List.of("local[2]", "local[1]");
      for (String master : masters) {
        long start = System.nanoTime();
        try (SparkSession spark = StnSpark.localSession(master)) {
          double session = (System.nanoTime() - start) / 1e9;
          double a = time(spark, smallFiles, out, t);
          double b = time(spark, largeFiles, out, t);
          double slope = (b - a) / (largeFiles.size() - smallFiles.size());
          System.out.printf(
              Locale.ROOT,
              "{\"round\":%d,\"warmup\":%b,\"master\":\"%s\",\"session_s\":%.3f,"
                  + "\"small_images\":%d,\"small_s\":%.3f,\"large_images\":%d,\"large_s\":%.3f,"
                  + "\"slope_us\":%.1f,\"loadavg\":\"%s\"}%n",
              r,
              r == 0,
              master,
              session,
              smallFiles.size(),
              a,
              largeFiles.size(),
              b,
              slope * 1e6,
              Files.readString(Path.of("/proc/loadavg")).substring(0, 14));
        }
      }
    }
    delete(out);
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
