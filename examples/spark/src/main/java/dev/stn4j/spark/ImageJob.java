package dev.stn4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.stn4j.files.ImageFile;
import dev.stn4j.files.ImageWalk;
import dev.stn4j.files.LabelledSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code stn spark} job: list the image files under paths on the driver ({@link #list}, with
 * {@link ImageWalk}: recursive, loop-safe, labelled by class-named folders), spread them over
 * partitions of whole batches, classify them with {@link StnClassifierTransformer} (each executor
 * reads its files), write the rows, and count them into a {@link LabelledSummary}. Paths that the
 * walk already found unusable (broken links, FIFOs, unreadable folders) become error rows without
 * being opened.
 */
final class ImageJob {
  /** The columns written before the transformer's: where the row came from. */
  static final StructType INPUT_SCHEMA =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("path", DataTypes.StringType, false),
              DataTypes.createStructField("true_class", DataTypes.IntegerType, false),
              DataTypes.createStructField("true_label", DataTypes.StringType, true),
              DataTypes.createStructField("problem", DataTypes.StringType, true)));

  /** What the job did. */
  record Result(LabelledSummary summary, int partitions, double jobSeconds) {}

  /** The files under {@code paths}, labelled with the transformer's model's classes. */
  static List<ImageFile> list(
      StnClassifierTransformer transformer, List<Path> paths, Consumer<String> warnings) {
    return ImageWalk.of(transformer.classNames(), warnings).find(paths);
  }

  private ImageJob() {}

  /**
   * Runs the job.
   *
   * @param format a Spark data source name: parquet or json
   * @param partitions partitions to use, or 0 to choose them (whole batches, two per core)
   */
  static Result run(
      SparkSession spark,
      List<ImageFile> files,
      Path output,
      String format,
      boolean overwrite,
      int partitions,
      StnClassifierTransformer transformer) {
    long start = System.nanoTime();
    List<String> classes = transformer.classNames();
    LabelledSummary summary = LabelledSummary.of(classes);
    if (files.isEmpty()) {
      return new Result(summary, 0, 0);
    }
    int batch = transformer.getBatchSize();
    int batches = (files.size() + batch - 1) / batch;
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices =
        partitions > 0 ? partitions : Math.min(batches, 2 * Math.max(1, jsc.defaultParallelism()));

    // Whole batches per partition: only the last batch of the whole job can be short.
    List<List<Row>> chunks = new ArrayList<>();
    for (int i = 0; i < files.size(); i += batch) {
      List<Row> chunk = new ArrayList<>();
      for (ImageFile f : files.subList(i, Math.min(files.size(), i + batch))) {
        chunk.add(
            RowFactory.create(
                f.path().toString(),
                f.trueClass(),
                f.labelled() ? classes.get(f.trueClass()) : null,
                f.problem()));
      }
      chunks.add(chunk);
    }
    JavaRDD<Row> rows = jsc.parallelize(chunks, slices).flatMap(List::iterator);
    Dataset<Row> listed = spark.createDataFrame(rows, INPUT_SCHEMA);

    Dataset<Row> classified =
        transformer
            .copy(new org.apache.spark.ml.param.ParamMap())
            .setInputCol("path")
            .transform(listed.filter(col("problem").isNull()).drop("problem"));
    List<Column> failedColumns = new ArrayList<>();
    for (String c : List.of("path", "true_class", "true_label")) {
      failedColumns.add(col(c));
    }
    for (StructField f : OutputColumns.FIELDS) {
      failedColumns.add(
          f.name().equals(OutputColumns.ERROR)
              ? col("problem").as(OutputColumns.ERROR)
              : lit(null).cast(f.dataType()).as(f.name()));
    }
    Dataset<Row> failed =
        listed.filter(col("problem").isNotNull()).select(failedColumns.toArray(new Column[0]));
    Dataset<Row> all = classified.unionByName(failed);

    all.write()
        .mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
        .format(format)
        .save(output.toString());

    // Counted from what was written, so the summary is of the output and nothing runs twice.
    Dataset<Row> written = spark.read().schema(all.schema()).format(format).load(output.toString());
    for (Row r :
        written
            .groupBy(
                col("true_class"),
                col(OutputColumns.CLASS_INDEX),
                col(OutputColumns.ERROR).isNull())
            .count()
            .collectAsList()) {
      long count = r.getLong(3);
      if (r.getBoolean(2)) {
        summary.addClassified(r.getInt(0), r.getInt(1), count);
      } else {
        summary.addFailed(count);
      }
    }
    return new Result(summary, slices, (System.nanoTime() - start) / 1e9);
  }
}
