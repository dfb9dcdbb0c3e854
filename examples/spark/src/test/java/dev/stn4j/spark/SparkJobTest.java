package dev.stn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stn4j.files.ImageFile;
import dev.stn4j.files.LabelledSummary;
import dev.stn4j.image.ImageLoader;
import dev.stn4j.sdk.LabelledTrees;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.TestModels;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transformer and the job on a local[2] session shared by the tests of this class. */
class SparkJobTest {
  private static SparkSession spark;
  private static StnClassifier reference;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    spark = StnSpark.localSession("local[2]");
    reference = StnClassifier.builder().defaultModel().intraOpThreads(1).build();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (reference != null) {
      reference.close();
    }
  }

  private static void assertSameAsSdk(Row row, Path file) throws Exception {
    RowChecks.assertSameAsSdk(reference, row, file);
  }

  @Test
  void sampleSetRowsEqualTheSdkPerFileWithOneClassifierForAllTasks() throws Exception {
    List<Path> files = SparkTestSupport.sampleTree(dir.resolve("tree"), 1000);
    int before = ClassifierCache.built();
    // Two intra-op threads: a key no other test uses, so this job must build exactly one.
    StnClassifierTransformer t =
        new StnClassifierTransformer().setIntraOpThreads(2).setBatchSize(64);
    Path out = dir.resolve("out");
    ImageJob.Result result =
        ImageJob.run(
            spark,
            ImageJob.list(t, List.of(dir.resolve("tree")), w -> {}),
            out,
            "parquet",
            false,
            8,
            t);
    assertEquals(8, result.partitions());
    assertEquals(1, ClassifierCache.built() - before, "classifiers built for 8 tasks");

    Map<String, Row> rows = RowChecks.byPath(spark.read().parquet(out.toString()));
    assertEquals(files.size(), rows.size());
    for (Path f : files) {
      Row row = rows.get(f.toString());
      assertNotNull(row, "no row for " + f);
      assertSameAsSdk(row, f);
      assertEquals(f.getParent().getFileName().toString(), row.getAs("true_label"));
    }
    LabelledSummary s = result.summary();
    assertEquals(1000, s.images());
    assertEquals(0, s.failed());
    assertEquals(1000, s.labelled());
    long correct =
        rows.values().stream().filter(r -> r.getAs("label").equals(r.getAs("true_label"))).count();
    assertEquals(correct, s.correct());
  }

  @Test
  void aUserModelsRowsEqualTheSdkAtItsSizeAndTheSummaryHasItsClasses() throws Exception {
    // 64×64 images, 3 classes, each class a colour; the images at 64 and at other sides, which
    // the model's pre-processor shrinks or enlarges to 64 (a 32×32 input would fail every row).
    List<String> classes = TestModels.classNames(3);
    Path model = Files.write(dir.resolve("user-64x3.onnx"), TestModels.v2(64, classes, 10));
    Path tree = LabelledTrees.write(dir.resolve("tree"), 3, 3, 64, 1);
    LabelledTrees.write(tree.resolve("large"), 3, 1, 150, 2);
    LabelledTrees.write(tree.resolve("small"), 3, 1, 20, 3);
    StnClassifierTransformer t =
        new StnClassifierTransformer().setModelPath(model.toString()).setBatchSize(4);
    List<ImageFile> files = ImageJob.list(t, List.of(tree), w -> {});
    assertEquals(15, files.size());
    Path out = dir.resolve("out");
    ImageJob.Result result = ImageJob.run(spark, files, out, "parquet", false, 2, t);

    Map<String, Row> rows = RowChecks.byPath(spark.read().parquet(out.toString()));
    assertEquals(15, rows.size());
    Dataset<Row> lake = spark.read().format("binaryFile").load(tree.resolve("class002").toString());
    List<Row> table =
        TableJob.classify(
                lake,
                new StnClassifierTransformer().setModelPath(model.toString()),
                ImageLoader.DEFAULT_MAX_FILE_BYTES)
            .collectAsList();
    assertEquals(3, table.size());
    try (StnClassifier sdk = StnClassifier.builder().model(model).intraOpThreads(1).build()) {
      assertEquals(64, sdk.modelInfo().imageSize());
      for (ImageFile f : files) {
        Row row = rows.get(f.path().toString());
        assertNotNull(row, "no row for " + f.path());
        RowChecks.assertSameAsSdk(sdk, row, f.path());
        assertEquals(f.path().getParent().getFileName().toString(), row.getAs("true_label"));
      }
      for (Row row : table) {
        RowChecks.assertSameAsSdk(sdk, row, PartitionClassifier.toPath(row.getAs("path")));
        assertEquals("class002", row.getAs("label"));
      }
    }
    LabelledSummary s = result.summary();
    assertEquals(classes, s.classNames());
    assertEquals(15, s.labelled());
    long correct =
        rows.values().stream().filter(r -> r.getAs("label").equals(r.getAs("true_label"))).count();
    assertEquals(correct, s.correct());
    assertEquals(15, correct, "each class is its colour: the generated model gets every image");
    assertTrue(s.toText().contains("class002"), s.toText());
  }

  @Test
  void hostileFilesBecomeErrorRowsAndTheJobSucceeds() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree/cat"));
    Path good = SparkTestSupport.sampleTree(dir.resolve("good"), 1).get(0);
    Files.copy(good, tree.resolve("good.png"));
    Files.write(tree.resolve("empty.png"), new byte[0]);
    byte[] png = Files.readAllBytes(good);
    Files.write(tree.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
    byte[] random = new byte[4096];
    new Random(1).nextBytes(random);
    Files.write(tree.resolve("random.jpg"), random);
    Files.write(tree.resolve("bomb.png"), SparkTestSupport.pngBomb());
    try (RandomAccessFile huge = new RandomAccessFile(tree.resolve("huge.png").toFile(), "rw")) {
      huge.setLength(300L << 20); // sparse: over the 256 MiB limit, costs no disk
    }
    Files.createSymbolicLink(tree.resolve("loop"), tree); // a folder loop: walked once
    Files.createSymbolicLink(tree.resolve("self.png"), tree.resolve("self.png"));
    Files.createSymbolicLink(tree.resolve("broken.png"), tree.resolve("missing"));
    boolean fifo =
        new ProcessBuilder("mkfifo", tree.resolve("fifo.png").toString()).start().waitFor() == 0;

    List<String> warnings = new ArrayList<>();
    Path out = dir.resolve("out");
    StnClassifierTransformer t = new StnClassifierTransformer();
    ImageJob.Result result =
        ImageJob.run(
            spark,
            ImageJob.list(t, List.of(dir.resolve("tree")), warnings::add),
            out,
            "json",
            false,
            0,
            t);
    Map<String, Row> rows =
        RowChecks.byPath(spark.read().schema(schemaOf(out)).json(out.toString()));
    assertSameAsSdk(rows.get(tree.resolve("good.png").toString()), tree.resolve("good.png"));
    Map<String, String> expected = new HashMap<>();
    expected.put("empty.png", "empty file");
    expected.put("truncated.png", "PNG");
    expected.put("random.jpg", "not a recognised image format");
    expected.put("bomb.png", "not decoded");
    expected.put("huge.png", "more than the limit");
    expected.put("self.png", "");
    expected.put("broken.png", "broken symbolic link");
    if (fifo) {
      expected.put("fifo.png", "not a regular file");
    }
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Row row = rows.get(tree.resolve(e.getKey()).toString());
      assertNotNull(row, "no row for " + e.getKey() + " in " + rows.keySet());
      String error = row.getAs("error");
      assertNotNull(error, e.getKey());
      assertTrue(error.contains(e.getValue()), e.getKey() + ": " + error);
      assertNull(row.getAs("label"), e.getKey());
      assertNull(row.getAs("probabilities"), e.getKey());
    }
    assertEquals(1 + expected.size(), rows.size(), rows.keySet().toString());
    assertTrue(
        warnings.stream().anyMatch(w -> w.contains("symbolic link loop")), warnings.toString());
    assertEquals(expected.size(), result.summary().failed());
    assertEquals(1, result.summary().classified());
    assumeTrue(fifo, "mkfifo is not available: the FIFO case was not checked");
  }

  private static StructType schemaOf(Path out) {
    StructType s = ImageJob.INPUT_SCHEMA;
    StructType fields = DataTypes.createStructType(List.of(s.fields()).subList(0, 3));
    for (var f : OutputColumns.FIELDS) {
      fields = fields.add(f);
    }
    return fields;
  }

  @Test
  void theTransformerClassifiesABinaryFileTableAndSurvivesAPipelineRoundTrip() throws Exception {
    Path images = Files.createDirectories(dir.resolve("lake"));
    List<Path> good = SparkTestSupport.sampleTree(dir.resolve("src"), 5);
    for (Path f : good) {
      Files.copy(f, images.resolve(f.getFileName()));
    }
    Files.write(images.resolve("zz-random.png"), new byte[] {1, 2, 3});
    Files.write(images.resolve("zz-text.png"), "not an image".getBytes());
    Dataset<Row> table = spark.read().format("binaryFile").load(images.toString());

    StnClassifierTransformer t = new StnClassifierTransformer().setBatchSize(3);
    Path saved = dir.resolve("pipeline");
    new Pipeline().setStages(new PipelineStage[] {t}).fit(table).write().save(saved.toString());
    PipelineModel loaded = PipelineModel.load(saved.toString());
    StnClassifierTransformer back = (StnClassifierTransformer) loaded.stages()[0];
    assertEquals(3, back.getBatchSize());
    assertEquals("content", back.getInputCol());

    Map<String, Row> rows = new HashMap<>();
    for (Row r : loaded.transform(table).collectAsList()) {
      rows.put(PartitionClassifier.toPath(r.getAs("path")).getFileName().toString(), r);
    }
    assertEquals(7, rows.size(), rows.keySet().toString());
    for (Path f : good) {
      assertSameAsSdk(rows.get(f.getFileName().toString()), f);
    }
    assertTrue(((String) rows.get("zz-random.png").getAs("error")).contains("not a recognised"));
    assertTrue(
        ((String) rows.get("zz-text.png").getAs("error")).contains("not a recognised image"));
  }

  @Test
  void theClusterJobGivesFilesOverTheByteLimitErrorRowsWithoutReadingThem() throws Exception {
    Path lake = Files.createDirectories(dir.resolve("lake"));
    List<Path> small = SparkTestSupport.sampleTree(dir.resolve("src"), 2);
    for (Path f : small) {
      Files.copy(f, lake.resolve(f.getFileName()));
    }
    java.awt.image.BufferedImage noise =
        new java.awt.image.BufferedImage(200, 200, java.awt.image.BufferedImage.TYPE_INT_RGB);
    Random random = new Random(2);
    for (int y = 0; y < 200; y++) {
      for (int x = 0; x < 200; x++) {
        noise.setRGB(x, y, random.nextInt());
      }
    }
    javax.imageio.ImageIO.write(noise, "png", lake.resolve("big.png").toFile());
    assertTrue(Files.size(lake.resolve("big.png")) > 50_000);
    Dataset<Row> files = spark.read().format("binaryFile").load(lake.toString());
    Map<String, Row> rows = new HashMap<>();
    for (Row r : TableJob.classify(files, new StnClassifierTransformer(), 50_000).collectAsList()) {
      rows.put(PartitionClassifier.toPath(r.getAs("path")).getFileName().toString(), r);
    }
    assertEquals(3, rows.size());
    String error = rows.get("big.png").getAs("error");
    assertTrue(error.contains("more than the limit of 50,000"), error);
    for (Path f : small) {
      assertSameAsSdk(rows.get(f.getFileName().toString()), f);
    }
  }

  @Test
  void emptyAndNullBytesInATableBecomeErrorRows() throws Exception {
    // Spark's binaryFile source itself drops zero-length files; a table can still hold such bytes.
    StructType schema =
        new StructType().add("id", DataTypes.IntegerType).add("content", DataTypes.BinaryType);
    byte[] good = Files.readAllBytes(SparkTestSupport.sampleTree(dir, 1).get(0));
    List<Row> in =
        List.of(
            org.apache.spark.sql.RowFactory.create(1, good),
            org.apache.spark.sql.RowFactory.create(2, new byte[0]),
            org.apache.spark.sql.RowFactory.create(3, null));
    List<Row> out =
        new StnClassifierTransformer()
            .transform(spark.createDataFrame(in, schema))
            .orderBy("id")
            .collectAsList();
    assertNull(out.get(0).getAs("error"));
    assertEquals(1, (int) out.get(0).getAs("id"));
    assertEquals("empty file (0 bytes)", out.get(1).getAs("error"));
    assertEquals("no image (null)", out.get(2).getAs("error"));
  }

  @Test
  void schemaProblemsAreRefusedOnTheDriverNamingTheColumn() {
    StnClassifierTransformer t = new StnClassifierTransformer();
    StructType noContent = new StructType().add("path", DataTypes.StringType);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> t.transformSchema(noContent));
    assertTrue(e.getMessage().contains("no input column 'content'"), e.getMessage());
    StructType wrongType = new StructType().add("content", DataTypes.IntegerType);
    e = assertThrows(IllegalArgumentException.class, () -> t.transformSchema(wrongType));
    assertTrue(e.getMessage().contains("expected binary or string"), e.getMessage());
    StructType clash =
        new StructType().add("content", DataTypes.BinaryType).add("label", DataTypes.StringType);
    e = assertThrows(IllegalArgumentException.class, () -> t.transformSchema(clash));
    assertTrue(e.getMessage().contains("'label'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> t.setProvider("gpu-please"));
    assertThrows(IllegalArgumentException.class, () -> t.setBatchSize(0));
    assertEquals(
        8,
        t.transformSchema(
                new StructType().add("content", DataTypes.BinaryType).add("x", DataTypes.LongType))
            .size());
  }
}
