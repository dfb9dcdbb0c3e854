package dev.stn4j.spark;

import dev.stn4j.image.ImageLoader;
import dev.stn4j.image.Preprocessor;
import dev.stn4j.sdk.ErrorCode;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.PredictionResult;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import dev.stn4j.sdk.Theta;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.Option;

/**
 * Classifies one partition: takes its rows a batch at a time, decodes each row's image with the
 * SDK's loader and pre-processes it to the model's size with the classifier's {@link
 * StnClassifier#preprocessor()} (as {@code stn classify} does), runs the batch through {@link
 * StnClassifier#predictEach} on the executor's shared classifier ({@link ClassifierCache}), and
 * gives every input row back with the output columns appended. A row whose image cannot be read,
 * decoded or classified gets an {@code error} and null predictions; it never fails the task.
 */
final class PartitionClassifier implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<byte[]> model;
  private final String modelName;
  private final String modelSha256;
  private final String provider;
  private final int intraOpThreads;
  private final int batchSize;
  private final int inputIndex;
  private final boolean inputIsPath;

  PartitionClassifier(
      Broadcast<byte[]> model,
      String modelName,
      String modelSha256,
      String provider,
      int intraOpThreads,
      int batchSize,
      int inputIndex,
      boolean inputIsPath) {
    this.model = model;
    this.modelName = modelName;
    this.modelSha256 = modelSha256;
    this.provider = provider;
    this.intraOpThreads = intraOpThreads;
    this.batchSize = batchSize;
    this.inputIndex = inputIndex;
    this.inputIsPath = inputIsPath;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) throws StnException {
    if (!rows.hasNext()) {
      return rows; // an empty partition opens nothing
    }
    ClassifierCache.Key key =
        new ClassifierCache.Key(modelSha256, taskProvider(provider), intraOpThreads);
    StnClassifier classifier = ClassifierCache.get(key, model::value, modelName);
    return new Iterator<>() {
      private final List<Row> out = new ArrayList<>();
      private int next;

      @Override
      public boolean hasNext() {
        if (next < out.size()) {
          return true;
        }
        out.clear();
        next = 0;
        List<Row> batch = new ArrayList<>(batchSize);
        while (batch.size() < batchSize && rows.hasNext()) {
          batch.add(rows.next());
        }
        classify(classifier, batch, out);
        return !out.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return out.get(next++);
      }
    };
  }

  private void classify(StnClassifier classifier, List<Row> batch, List<Row> out) {
    Preprocessor preprocessor = classifier.preprocessor();
    float[][] images = new float[batch.size()][];
    String[] errors = new String[batch.size()];
    List<float[]> decoded = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      try {
        // The model's own size: a user model's S, not CIFAR-10's 32.
        images[i] = preprocessor.chw(decode(batch.get(i), preprocessor.size()));
        decoded.add(images[i]);
      } catch (StnException e) {
        errors[i] = withoutName(e.getMessage(), nameOf(batch.get(i)));
      } catch (InvalidPathException e) {
        errors[i] = "not a valid path: " + e.getMessage();
      } catch (RuntimeException e) {
        // A decoder plug-in's own bug on a malformed file must cost this row only.
        errors[i] = "cannot decode: " + e;
      } catch (OutOfMemoryError e) {
        errors[i] = "not enough memory to decode it (raise spark.executor.memory)";
      }
    }
    List<PredictionResult> results =
        decoded.isEmpty() ? List.of() : classifier.predictEach(decoded);
    int k = 0;
    for (int i = 0; i < batch.size(); i++) {
      Row row = batch.get(i);
      if (images[i] == null) {
        out.add(append(row, null, errors[i]));
        continue;
      }
      PredictionResult r = results.get(k++);
      out.add(
          r instanceof PredictionResult.Success ok
              ? append(row, ok.prediction(), null)
              : append(
                  row,
                  null,
                  "inference failed: " + ((PredictionResult.Failure) r).error().getMessage()));
    }
  }

  private BufferedImage decode(Row row, int side) throws StnException {
    if (row.isNullAt(inputIndex)) {
      throw new StnException(ErrorCode.INVALID_INPUT, nameOf(row) + ": no image (null)");
    }
    ImageLoader loader = ImageLoader.defaults();
    if (inputIsPath) {
      return loader.read(toPath(row.getString(inputIndex)), side);
    }
    return loader.read((byte[]) row.get(inputIndex), nameOf(row), side);
  }

  /** What the SDK's messages about this row start with. */
  private String nameOf(Row row) {
    if (inputIsPath && !row.isNullAt(inputIndex)) {
      return toPath(row.getString(inputIndex)).toString();
    }
    return "input";
  }

  /** A local path, or a {@code file:} URI as Spark's binaryFile source writes them. */
  static Path toPath(String text) {
    if (text.startsWith("file:")) {
      return Path.of(URI.create(text));
    }
    return Path.of(text);
  }

  private static Row append(Row row, Prediction p, String error) {
    int n = row.length();
    Object[] values = new Object[n + OutputColumns.FIELDS.size()];
    for (int i = 0; i < n; i++) {
      values[i] = row.get(i);
    }
    if (p != null) {
      Theta t = p.theta();
      values[n] = p.label();
      values[n + 1] = p.classIndex();
      values[n + 2] = p.confidence();
      values[n + 3] = p.probabilities();
      values[n + 4] = new float[] {t.a(), t.b(), t.tx(), t.c(), t.d(), t.ty()};
    }
    values[n + 5] = error;
    return RowFactory.create(values);
  }

  /** The SDK's messages start with the input's name, which the row already carries. */
  static String withoutName(String message, String name) {
    if (message == null) {
      return "cannot read it";
    }
    String prefix = name + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  /**
   * The provider this task runs: for {@code cuda}/{@code tensorrt} without a device, the first GPU
   * that Spark assigned to the task ({@code spark.task.resource.gpu.amount}), else device 0.
   */
  static String taskProvider(String provider) {
    String p = provider.trim().toLowerCase(Locale.ROOT);
    if (!(p.equals("cuda") || p.equals("tensorrt"))) {
      return p;
    }
    TaskContext task = TaskContext.get();
    if (task == null) {
      return p;
    }
    Option<ResourceInformation> gpu = task.resources().get("gpu");
    if (gpu.isEmpty() || gpu.get().addresses().length == 0) {
      return p;
    }
    return p + ":" + gpu.get().addresses()[0];
  }
}
