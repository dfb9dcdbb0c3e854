package dev.stn4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.lit;

import dev.stn4j.commandline.StnCommandLine;
import dev.stn4j.image.ImageLoader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The cluster job, for {@code spark-submit}: reads image files from any file system Spark reads
 * (HDFS, S3, a local folder) with the {@code binaryFile} source, classifies them with {@link
 * StnClassifierTransformer}, and writes the rows as Parquet. Files over the loader's byte limit are
 * not read at all (the length filter is pushed into the source) and get an error row.
 *
 * <pre>{@code
 * spark-submit --class dev.stn4j.spark.TableJob stn4j-spark-job.jar \
 *     s3a://bucket/photos/ --output s3a://bucket/stn/
 * }</pre>
 *
 * <p>Exit status: 0 every file classified; 1 some failed, or the model or an input is unusable
 * (said in one line before any job runs); 2 usage error, an existing output included.
 */
@Command(
    name = "stn4j-spark-job",
    mixinStandardHelpOptions = true,
    description = "Classify every image file under URIs with the STN; writes Parquet rows.")
public final class TableJob implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "URI", description = "folders or globs Spark can read")
  List<String> inputs;

  @Option(names = "--output", required = true, paramLabel = "URI", description = "output folder")
  String output;

  @Option(
      names = "--glob",
      paramLabel = "GLOB",
      defaultValue = "*.{png,PNG,jpg,JPG,jpeg,JPEG,jpe,jfif,bmp,gif,tif,tiff,wbmp}",
      description = "file names to read (default: ${DEFAULT-VALUE})")
  String glob;

  @Option(names = "--model", paramLabel = "FILE", description = "ONNX model on the driver")
  String model;

  @Option(names = "--provider", defaultValue = "cpu", description = "cpu, cuda, tensorrt...")
  String provider;

  @Option(names = "--threads", defaultValue = "1", description = "intra-op threads per executor")
  int threads;

  @Option(names = "--batch-size", defaultValue = "256", description = "images per inference call")
  int batchSize;

  public static void main(String[] args) {
    StnCommandLine.exit(commandLine(), args);
  }

  /** The configured command line; tests run it with their own writers. */
  static CommandLine commandLine() {
    return StnCommandLine.configure(new CommandLine(new TableJob()));
  }

  @Override
  public Integer call() throws IOException {
    StnClassifierTransformer transformer =
        new StnClassifierTransformer()
            .setModelPath(model == null ? "" : model)
            .setProvider(provider)
            .setIntraOpThreads(threads)
            .setBatchSize(batchSize);
    transformer.classNames(); // a model that cannot load is named before Spark starts
    SparkSession spark = SparkSession.builder().appName("stn4j classify").getOrCreate();
    checkPaths(spark.sparkContext().hadoopConfiguration());
    Dataset<Row> files =
        spark
            .read()
            .format("binaryFile")
            .option("recursiveFileLookup", "true")
            .option("pathGlobFilter", glob)
            .load(inputs.toArray(new String[0]));
    Dataset<Row> all = classify(files, transformer, ImageLoader.DEFAULT_MAX_FILE_BYTES);
    all.write().parquet(output);
    Row counts =
        spark.read().parquet(output).selectExpr("count(*)", "count(error)").collectAsList().get(0);
    System.err.printf(
        Locale.ROOT,
        "%,d files: %,d classified, %,d failed%n",
        counts.getLong(0),
        counts.getLong(0) - counts.getLong(1),
        counts.getLong(1));
    return counts.getLong(1) == 0 ? 0 : 1;
  }

  /**
   * Every input exists (or its glob matches), and the output does not, on whatever file system each
   * names: said on the driver in one line each, where Spark would log a stack trace or fail only
   * once the job writes. An unusable input fails (1), an existing output is a usage error (2), as
   * in {@code stn spark}.
   */
  private void checkPaths(Configuration conf) throws IOException {
    for (String input : inputs) {
      Path path = new Path(input);
      FileStatus[] found = path.getFileSystem(conf).globStatus(path);
      if (found == null || found.length == 0) {
        throw new IllegalArgumentException(
            input + (found == null ? ": no such file or directory" : ": matches no file"));
      }
    }
    Path out = new Path(output);
    if (out.getFileSystem(conf).exists(out)) {
      throw new ParameterException(
          spec.commandLine(), "--output " + output + " exists; remove it or choose another");
    }
  }

  /**
   * Classifies a {@code binaryFile} table: files up to {@code maxBytes} by their content, larger
   * ones become error rows without their content being read.
   */
  static Dataset<Row> classify(
      Dataset<Row> files, StnClassifierTransformer transformer, long maxBytes) {
    Dataset<Row> small = files.filter(col("length").leq(maxBytes));
    Dataset<Row> classified =
        transformer.setInputCol("content").transform(small).drop("content", "modificationTime");
    List<Column> big = new ArrayList<>(List.of(col("path"), col("length")));
    for (StructField f : OutputColumns.FIELDS) {
      big.add(
          f.name().equals(OutputColumns.ERROR)
              ? concat(
                      lit("file is "),
                      format_number(col("length"), 0),
                      lit(" bytes, more than the limit of " + String.format("%,d", maxBytes)))
                  .as(f.name())
              : lit(null).cast(f.dataType()).as(f.name()));
    }
    return classified.unionByName(
        files.filter(col("length").gt(maxBytes)).select(big.toArray(new Column[0])));
  }
}
