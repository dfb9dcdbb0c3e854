package dev.stn4j.spark;

import dev.stn4j.sdk.Provider;
import dev.stn4j.sdk.StnClassifier;
import java.util.ArrayList;
import java.util.List;
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
 * <p>A model that cannot be used (no such file, a directory, not ONNX, not an stn4j model) fails
 * {@link #transformSchema} and {@link #transform} on the driver with an {@link
 * IllegalArgumentException} whose message names the file and the problem, before any task runs.
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
   * The input schema with the six output columns appended, once the model has loaded on the driver
   * (so a pipeline with a bad model fails when it is checked, before any task runs).
   *
   * @throws IllegalArgumentException if the model cannot be read or is not an stn4j model (the
   *     message names the file and the problem), if the input column is missing or neither binary
   *     nor string, or if an output column already exists
   */
  @Override
  public StructType transformSchema(StructType schema) {
    StructType out = outputSchema(schema);
    driverModel();
    return out;
  }

  private StructType outputSchema(StructType schema) {
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

  /**
   * Appends the output columns. The model is read and loaded here, on the driver, before any task
   * runs.
   *
   * @throws IllegalArgumentException as {@link #transformSchema}
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType in = dataset.schema();
    StructType out = outputSchema(in);
    boolean isPath = inputType(in);
    DriverModel driver = driverModel();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    Broadcast<byte[]> model = jsc.broadcast(driver.bytes());
    PartitionClassifier classify =
        new PartitionClassifier(
            model,
            driver.name(),
            driver.sha256(),
            getProvider(),
            getIntraOpThreads(),
            getBatchSize(),
            in.fieldIndex(getInputCol()),
            isPath);
    return dataset.toDF().mapPartitions(classify, Encoders.row(out));
  }

  /** The model's class names, in index order (loads the model on the driver). */
  List<String> classNames() {
    return driverModel().classifier().modelInfo().classNames();
  }

  private DriverModel driverModel() {
    return DriverModel.load(getModelPath(), getProvider(), getIntraOpThreads());
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
