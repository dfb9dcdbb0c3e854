package dev.stn4j.spark;

import dev.stn4j.sdk.Provider;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that classifies the images of a DataFrame with the STN and appends
 * {@code label} (string), {@code class_index} (int), {@code confidence} (float), {@code
 * probabilities} (array&lt;float&gt;, one per class), {@code theta} (array&lt;float&gt;, the 2×3
 * affine matrix row by row: a, b, tx, c, d, ty) and {@code error} (null when the row was
 * classified; otherwise why not, and the other five are null). The input column holds either the
 * image file's bytes (binary, as {@code spark.read().format("binaryFile")} gives in {@code
 * content}) or its path (string, read on the executor).
 *
 * <p>The model decides the rest: the shipped CIFAR-10 model (32×32, 10 classes) by default, or any
 * stn4j model ({@link #setModelPath}, e.g. one trained on your own image folders): each image is
 * pre-processed to the model's S×S with its classifier's {@link StnClassifier#preprocessor()}, the
 * {@code label} is one of the model's class names, and {@code probabilities} has one entry per
 * class (K), so the schema is the same for every model.
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("s3a://bucket/photos/");
 * Dataset<Row> classified = new StnClassifierTransformer()
 *     .setInputCol("content")          // the default
 *     .setModelPath("my-model.onnx")   // "" (the default): the model shipped in the SDK
 *     .setBatchSize(256).setProvider("cpu").setIntraOpThreads(1)
 *     .transform(images);
 * }</pre>
 *
 * <p>How it runs: the model's bytes are read once on the driver and broadcast; each executor JVM
 * opens one classifier for them, shared by all its tasks (keyed by the model's SHA-256, the
 * provider and the threads); each partition is classified {@code batchSize} rows at a time, and a
 * row whose image is corrupt, empty, too large or not an image gets an {@code error}, never a
 * failed task. Usable in a {@link org.apache.spark.ml.Pipeline}, and saved and loaded with it.
 */
public final class StnClassifierTransformer extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;

  /** Path of an ONNX model in the stn4j format on the driver; "" for the SDK's shipped model. */
  private final Param<String> modelPath;

  /** The input column: binary (image file bytes) or string (image file path). */
  private final Param<String> inputCol;

  /** Rows per inference call. */
  private final IntParam batchSize;

  /** The execution provider: cpu, auto, cuda, cuda:N, tensorrt, tensorrt:N. */
  private final Param<String> provider;

  /** ONNX Runtime intra-op threads of each executor's classifier. */
  private final IntParam intraOpThreads;

  /** A transformer with a random uid and the defaults. */
  public StnClassifierTransformer() {
    this(Identifiable$.MODULE$.randomUID("stnClassifier"));
  }

  /** A transformer with this uid and the defaults (what loading a saved pipeline calls). */
  public StnClassifierTransformer(String uid) {
    this.uid = uid;
    modelPath =
        new Param<>(
            this, "modelPath", "ONNX model file on the driver; empty for the shipped model");
    inputCol = new Param<>(this, "inputCol", "image bytes (binary) or image path (string) column");
    batchSize =
        new IntParam(
            this,
            "batchSize",
            "rows per inference call",
            ParamValidators.inRange(1, StnClassifier.MAX_BATCH_SIZE));
    provider =
        new Param<>(
            this,
            "provider",
            "execution provider: cpu, auto, cuda[:N], tensorrt[:N] (GPU from the task's resources)",
            (String p) -> validProvider(p));
    intraOpThreads =
        new IntParam(
            this,
            "intraOpThreads",
            "ONNX Runtime threads per classifier",
            ParamValidators.inRange(1, 1024));
    setDefault(modelPath, "");
    setDefault(inputCol, "content");
    setDefault(batchSize, 256);
    setDefault(provider, "cpu");
    setDefault(intraOpThreads, 1);
  }

  private static boolean validProvider(String p) {
    try {
      Provider.parse(p);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  // Spark finds a transformer's params through public no-argument methods returning a Param.

  /** Path of an ONNX model in the stn4j format on the driver; "" for the SDK's shipped model. */
  public Param<String> modelPath() {
    return modelPath;
  }

  /** The input column: binary (image file bytes) or string (image file path). */
  public Param<String> inputCol() {
    return inputCol;
  }

  /** Rows per inference call. */
  public IntParam batchSize() {
    return batchSize;
  }

  /** The execution provider: cpu, auto, cuda, cuda:N, tensorrt, tensorrt:N. */
  public Param<String> provider() {
    return provider;
  }

  /** ONNX Runtime intra-op threads of each executor's classifier. */
  public IntParam intraOpThreads() {
    return intraOpThreads;
  }

  @Override
  public String uid() {
    return uid;
  }

  public StnClassifierTransformer setModelPath(String value) {
    set(modelPath, value);
    return this;
  }

  public StnClassifierTransformer setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public StnClassifierTransformer setBatchSize(int value) {
    set(batchSize, value);
    return this;
  }

  public StnClassifierTransformer setProvider(String value) {
    set(provider, value);
    return this;
  }

  public StnClassifierTransformer setIntraOpThreads(int value) {
    set(intraOpThreads, value);
    return this;
  }

  public String getModelPath() {
    return $(modelPath);
  }

  public String getInputCol() {
    return $(inputCol);
  }

  public int getBatchSize() {
    return (Integer) $(batchSize);
  }

  public String getProvider() {
    return $(provider);
  }

  public int getIntraOpThreads() {
    return (Integer) $(intraOpThreads);
  }

  /**
   * The input schema with the six output columns appended.
   *
   * @throws IllegalArgumentException if the input column is missing or neither binary nor string,
   *     or an output column already exists
   */
  @Override
  public StructType transformSchema(StructType schema) {
    inputType(schema);
    List<StructField> fields = new ArrayList<>(List.of(schema.fields()));
    for (StructField out : OutputColumns.FIELDS) {
      if (List.of(schema.fieldNames()).contains(out.name())) {
        throw new IllegalArgumentException(
            "the input already has a column '"
                + out.name()
                + "', which this transformer writes; rename or drop it first");
      }
      fields.add(out);
    }
    return DataTypes.createStructType(fields);
  }

  /** True for a path column, false for a bytes column. */
  private boolean inputType(StructType schema) {
    String col = getInputCol();
    if (!List.of(schema.fieldNames()).contains(col)) {
      throw new IllegalArgumentException(
          "no input column '"
              + col
              + "' (columns: "
              + String.join(", ", schema.fieldNames())
              + ")");
    }
    DataType type = schema.apply(col).dataType();
    if (type.equals(DataTypes.BinaryType)) {
      return false;
    }
    if (type.equals(DataTypes.StringType)) {
      return true;
    }
    throw new IllegalArgumentException(
        "input column '" + col + "' is " + type.simpleString() + "; expected binary or string");
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType in = dataset.schema();
    StructType out = transformSchema(in);
    boolean isPath = inputType(in);
    String path = getModelPath();
    String name = path.isEmpty() ? "the shipped model" : path;
    byte[] bytes = readModel(path);
    String sha = sha256(bytes);
    checkModel(bytes, name, getProvider(), getIntraOpThreads());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    Broadcast<byte[]> model = jsc.broadcast(bytes);
    PartitionClassifier classify =
        new PartitionClassifier(
            model,
            name,
            sha,
            getProvider(),
            getIntraOpThreads(),
            getBatchSize(),
            in.fieldIndex(getInputCol()),
            isPath);
    return dataset.toDF().mapPartitions(classify, Encoders.row(out));
  }

  /**
   * A model that cannot load fails here, on the driver, rather than in every task. In local mode
   * the driver is the executor, so this classifier is the one the tasks share.
   */
  private static StnClassifier checkModel(
      byte[] bytes, String name, String provider, int intraOpThreads) {
    String p = provider.trim().toLowerCase(Locale.ROOT);
    if (p.startsWith("cuda") || p.startsWith("tensorrt")) {
      p = "cpu"; // the driver may have no GPU; executors say so if theirs cannot run the model
    }
    try {
      return ClassifierCache.get(
          new ClassifierCache.Key(sha256(bytes), p, intraOpThreads), () -> bytes, name);
    } catch (StnException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The model's class names, in index order (opens the driver's classifier). */
  List<String> classNames() {
    String path = getModelPath();
    return checkModel(
            readModel(path),
            path.isEmpty() ? "the shipped model" : path,
            getProvider(),
            getIntraOpThreads())
        .modelInfo()
        .classNames();
  }

  private static byte[] readModel(String path) {
    try {
      return path.isEmpty() ? StnClassifier.defaultModelBytes() : Files.readAllBytes(Path.of(path));
    } catch (StnException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model " + path + ": " + e.getMessage(), e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public StnClassifierTransformer copy(ParamMap extra) {
    return (StnClassifierTransformer) defaultCopy(extra);
  }

  /** Reads a transformer saved with {@code write().save(path)} (also used by Pipeline.load). */
  public static MLReader<StnClassifierTransformer> read() {
    return new DefaultParamsReader<>();
  }

  /** {@code read().load(path)}. */
  public static StnClassifierTransformer load(String path) {
    return read().load(path);
  }
}
