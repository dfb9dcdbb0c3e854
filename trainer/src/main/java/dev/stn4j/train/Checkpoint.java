package dev.stn4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stn4j.train.model.Architecture;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A training checkpoint: the weights after the last completed epoch, with the run's settings and
 * history (and, for {@code --resume}, the optimizer's momentum), and what a model exported from it
 * needs: its shape, class names, input normalisation and, for image-folder runs, the sample images
 * it embeds. Written atomically once per epoch by {@code stn train}; read by the exporter.
 *
 * <pre>{@code
 * Checkpoint c = Checkpoint.read(Path.of("runs/full/checkpoint.bin"));
 * StnWeights w = c.weights();
 * List<String> classes = c.classNames();        // c.shape().classes() names
 * double accuracy = c.finalTestAccuracy().orElseThrow();
 * }</pre>
 *
 * <p>File layout (see {@link CheckpointFormat}): magic, version, payload length, payload, SHA-256
 * of the payload.
 */
public final class Checkpoint {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StnWeights weights;
  private final StnWeights trainingWeights;
  private final Map<StnParameter, float[]> momentum;
  private final String trainingData;
  private final String settingsJson;
  private final List<EpochRecord> history;
  private final List<String> classNames;
  private final Normalization normalization;
  private final SampleImages samples;

  /**
   * @param weights the weights to export: the trained ones, or their average when the run keeps an
   *     exponential moving average
   * @param trainingWeights the weights being trained when {@code weights} is their average, else
   *     null
   * @param classNames one name per class of {@code weights.shape()}
   * @param samples the exported model's embedded sample images, or null for none
   * @throws IllegalArgumentException if the weights, class names and samples disagree
   */
  Checkpoint(
      StnWeights weights,
      StnWeights trainingWeights,
      Map<StnParameter, float[]> momentum,
      String trainingData,
      String settingsJson,
      List<EpochRecord> history,
      List<String> classNames,
      Normalization normalization,
      SampleImages samples) {
    this.weights = Objects.requireNonNull(weights, "weights");
    this.trainingWeights = trainingWeights;
    this.momentum = momentum;
    this.trainingData = trainingData;
    this.settingsJson = settingsJson;
    this.history = List.copyOf(history);
    this.classNames = List.copyOf(classNames);
    this.normalization = Objects.requireNonNull(normalization, "normalization");
    this.samples = samples;
    check();
  }

  private void check() {
    StnShape shape = weights.shape();
    if (trainingWeights != null
        && (!trainingWeights.shape().equals(shape)
            || trainingWeights.architecture() != weights.architecture())) {
      throw new IllegalArgumentException(
          "trained weights of " + trainingWeights.shape() + " beside exported ones of " + shape);
    }
    if (classNames.size() != shape.classes()) {
      throw new IllegalArgumentException(
          classNames.size() + " class names for a model of " + shape.classes() + " classes");
    }
    if (samples != null) {
      if (samples.imageSize() != shape.imageSize()) {
        throw new IllegalArgumentException(
            "sample images of size " + samples.imageSize() + " for a model of " + shape);
      }
      for (int label : samples.labels()) {
        if (label >= shape.classes()) {
          throw new IllegalArgumentException(
              "sample label " + label + " for a model of " + shape.classes() + " classes");
        }
      }
    }
  }

  /**
   * Reads and checks a checkpoint.
   *
   * @throws CheckpointException naming the file and what is wrong: missing, truncated or corrupt
   *     (bad magic, bad length, checksum mismatch), or another architecture (the first parameter
   *     whose name or shape differs, expected vs found)
   */
  public static Checkpoint read(Path file) throws IOException {
    return CheckpointFormat.read(file);
  }

  /** Writes {@code this} to {@code file} atomically: a reader sees the old or the new file. */
  void write(Path file) throws IOException {
    CheckpointFormat.write(this, file);
  }

  /**
   * The weights after the last completed epoch, as evaluated and exported: the moving average of
   * the trained weights when the run keeps one.
   */
  public StnWeights weights() {
    return weights;
  }

  /** The image size and class count of the model. */
  public StnShape shape() {
    return weights.shape();
  }

  /** The network: the STN, or its classifier alone ({@code stn train --no-transformer}). */
  public Architecture architecture() {
    return weights.architecture();
  }

  /** The class names in label order, {@code shape().classes()} of them. */
  public List<String> classNames() {
    return classNames;
  }

  /** The input normalisation the model was trained with. */
  public Normalization normalization() {
    return normalization;
  }

  /**
   * The images the exported model embeds as its sample set; empty for CIFAR-10 runs (their models
   * refer to a sample file) and checkpoints of format versions 1 and 2.
   */
  public Optional<SampleImages> samples() {
    return Optional.ofNullable(samples);
  }

  /** The weights being trained, when {@link #weights()} is their moving average; else null. */
  StnWeights trainingWeights() {
    return trainingWeights;
  }

  /** Epochs completed so far. */
  public int epochsCompleted() {
    return history.size();
  }

  /**
   * Test accuracy after the last completed epoch, in [0,1]; empty before the first epoch and in
   * runs with a validation split (they never evaluate the test split).
   */
  public OptionalDouble finalTestAccuracy() {
    Double last = history.isEmpty() ? null : history.get(history.size() - 1).testAccuracy();
    return last == null ? OptionalDouble.empty() : OptionalDouble.of(last);
  }

  /** The data the model was trained on, e.g. "CIFAR-10 (JPEG-q75 copy)". */
  public String trainingData() {
    return trainingData;
  }

  /** JSON object of the training settings. */
  public String settingsJson() {
    return settingsJson;
  }

  /** JSON array, one object per epoch (epoch, loss, train_acc, test_acc, seconds, lr). */
  public String historyJson() {
    ArrayNode array = JSON.createArrayNode();
    history.forEach(r -> array.add(toJson(r)));
    return array.toString();
  }

  List<EpochRecord> history() {
    return history;
  }

  /** Momentum buffers, or null when the checkpoint holds none. */
  Map<StnParameter, float[]> momentum() {
    return momentum;
  }

  static ObjectNode toJson(EpochRecord r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("epoch", r.epoch());
    o.put("loss", r.loss());
    o.put("train_acc", r.trainAccuracy());
    if (r.validationAccuracy() != null) {
      o.put("val_acc", r.validationAccuracy());
    }
    if (r.testAccuracy() != null) {
      o.put("test_acc", r.testAccuracy());
    }
    o.put("seconds", r.seconds());
    o.put("train_seconds", r.trainSeconds());
    o.put("lr", r.learningRate());
    return o;
  }

  static List<EpochRecord> parseHistory(String json) throws JsonProcessingException {
    List<EpochRecord> records = new ArrayList<>();
    for (JsonNode o : JSON.readTree(json)) {
      records.add(
          new EpochRecord(
              o.get("epoch").asInt(),
              o.get("loss").asDouble(),
              o.get("train_acc").asDouble(),
              o.hasNonNull("val_acc") ? o.get("val_acc").asDouble() : null,
              o.hasNonNull("test_acc") ? o.get("test_acc").asDouble() : null,
              o.get("seconds").asDouble(),
              o.path("train_seconds").asDouble(o.get("seconds").asDouble()),
              o.get("lr").asDouble()));
    }
    return records;
  }
}
