package dev.stn4j.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.internal.Checkout;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.SampleImages;
import dev.stn4j.train.data.TrainingImages;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's sample set and the class the DJL model predicted for each of its images at export,
 * stored in the model ({@code ModelFormat.KEY_SAMPLE_SET}) so any runtime can check that it
 * computes what the trainer computed. Two forms (docs/model-format.md, "The sample set"):
 *
 * <ul>
 *   <li><b>embedded</b>: the images travel in the model ({@code ModelFormat.KEY_SAMPLE_PIXELS},
 *       base64 of their bytes) with their labels; any image size and class count;
 *   <li><b>file</b>: the first 1,000 records of CIFAR-10's {@code test_batch.bin}, kept in the
 *       repository and named by their path and checksum; CIFAR-10 models only.
 * </ul>
 *
 * <pre>{@code
 * SampleAnswers answers = checkpoint.samples().isPresent()
 *     ? SampleAnswers.computeEmbedded(weights, normalization, checkpoint.samples().get())
 *     : SampleAnswers.compute(weights, normalization, sampleFile, SampleAnswers.DEFAULT_PATH);
 * String json = answers.toJson();
 * }</pre>
 *
 * @param source the sample-set file's path relative to the repository root, or {@code "embedded"}
 * @param records number of images
 * @param sha256 hex SHA-256 of the sample-set file's bytes, or of the embedded pixel bytes
 * @param predicted one class index per image, or {@code null} when not computed
 * @param embedded the images themselves, for the embedded form
 */
public record SampleAnswers(
    String source, int records, String sha256, int[] predicted, Optional<SampleImages> embedded) {
  /** Where the sample set lives, relative to the repository root. */
  public static final String DEFAULT_PATH = Checkout.SAMPLE_SET;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @throws IllegalArgumentException if the predictions are not one class index per record, or the
   *     embedded images are not {@code records} images under the source {@code "embedded"}
   */
  public SampleAnswers {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(embedded, "embedded");
    if (records < 0) {
      throw new IllegalArgumentException("records must not be negative, got " + records);
    }
    if (predicted != null) {
      if (predicted.length != records) {
        throw new IllegalArgumentException(
            predicted.length + " predictions for a sample set of " + records + " records");
      }
      for (int c : predicted) {
        if (c < 0) {
          throw new IllegalArgumentException("predicted class out of range: " + c);
        }
      }
      predicted = predicted.clone();
    }
    if (embedded.isPresent()) {
      if (!source.equals(ModelFormat.SAMPLE_SOURCE_EMBEDDED)) {
        throw new IllegalArgumentException(
            "embedded sample images need source \"embedded\", got \"" + source + "\"");
      }
      if (embedded.get().count() != records) {
        throw new IllegalArgumentException(
            embedded.get().count() + " embedded images for a sample set of " + records);
      }
    } else if (source.equals(ModelFormat.SAMPLE_SOURCE_EMBEDDED)) {
      throw new IllegalArgumentException("source \"embedded\" without embedded images");
    }
  }

  /** The file form, {@code predicted} possibly {@code null}. */
  public SampleAnswers(String source, int records, String sha256, int[] predicted) {
    this(source, records, sha256, predicted, Optional.empty());
  }

  /**
   * Describes the sample-set file (records and checksum), without predictions.
   *
   * @param source the name to record, e.g. {@link #DEFAULT_PATH}
   */
  public static SampleAnswers describe(Path file, String source) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length == 0 || bytes.length % Cifar10.RECORD_BYTES != 0) {
      throw new IOException(
          file + ": " + bytes.length + " bytes is not a whole number of CIFAR-10 records");
    }
    return new SampleAnswers(source, bytes.length / Cifar10.RECORD_BYTES, sha256(bytes), null);
  }

  /**
   * Describes the sample-set file and records the DJL model's ({@code StnModel}, inference mode)
   * predicted class for each of its images.
   *
   * @throws IllegalArgumentException if the model does not take 32×32 images
   */
  public static SampleAnswers compute(
      StnWeights weights, Normalization normalization, Path file, String source)
      throws IOException {
    CifarBatch batch = CifarBatch.read(file);
    return describe(file, source)
        .withPredictions(
            SamplePredictor.predictClasses(weights, normalization, TrainingImages.of(batch)));
  }

  /**
   * Describes embedded sample images (at most {@link SampleImages#limit(int)}, which {@code
   * SampleImages} enforces), without predictions.
   */
  public static SampleAnswers embedded(SampleImages images) {
    return new SampleAnswers(
        ModelFormat.SAMPLE_SOURCE_EMBEDDED,
        images.count(),
        sha256(images.pixels()),
        null,
        Optional.of(images));
  }

  /**
   * Embedded sample images with the DJL model's predicted class for each ({@code byte / 255}
   * inputs, arg-max, ties to the lower index).
   */
  public static SampleAnswers computeEmbedded(
      StnWeights weights, Normalization normalization, SampleImages images) {
    SampleAnswers described = embedded(images);
    return described.withPredictions(
        SamplePredictor.predictClasses(weights, normalization, images));
  }

  /**
   * The embedded sample set a model's metadata holds, if it holds one, its pixels decoded and
   * checked against their recorded checksum.
   *
   * @param modelName the model's name, for errors
   * @throws IOException naming the model and the problem when the embedded set is malformed
   */
  static Optional<SampleAnswers> embeddedIn(Map<String, String> metadata, String modelName)
      throws IOException {
    String json = metadata.get(ModelFormat.KEY_SAMPLE_SET);
    if (json == null) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(json);
      if (!ModelFormat.SAMPLE_SOURCE_EMBEDDED.equals(node.path("source").asText())) {
        return Optional.empty();
      }
      String base64 = metadata.get(ModelFormat.KEY_SAMPLE_PIXELS);
      if (base64 == null) {
        throw new IOException(
            modelName + ": an embedded sample set without " + ModelFormat.KEY_SAMPLE_PIXELS);
      }
      JsonNode labelsNode = node.path("labels");
      int[] labels = new int[labelsNode.size()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = labelsNode.get(i).asInt();
      }
      SampleImages images =
          new SampleImages(
              node.path("image_size").asInt(), labels, Base64.getDecoder().decode(base64));
      SampleAnswers answers = embedded(images);
      String recorded = node.path("sha256").asText();
      if (!answers.sha256().equals(recorded)) {
        throw new IOException(
            modelName
                + ": the embedded sample pixels' SHA-256 is "
                + answers.sha256()
                + ", the sample set records "
                + recorded);
      }
      return Optional.of(answers);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IOException(
          modelName + ": malformed " + ModelFormat.KEY_SAMPLE_SET + ": " + e.getMessage(), e);
    }
  }

  /** The same description with the predicted class of each record. */
  public SampleAnswers withPredictions(int[] classes) {
    return new SampleAnswers(source, records, sha256, classes, embedded);
  }

  /** For people: e.g. {@code 1000 images of data/sample-set/...} or {@code 100 embedded images}. */
  public String summary() {
    return embedded
        .map(e -> records + " embedded images (" + e.imageSize() + "x" + e.imageSize() + ")")
        .orElse(records + " images of " + source);
  }

  /** A copy of the predictions, or {@code null} when not computed. */
  @Override
  public int[] predicted() {
    return predicted == null ? null : predicted.clone();
  }

  /** The images to run: the embedded ones; empty for the file form. */
  Optional<TrainingImages> embeddedImages() {
    return embedded.map(images -> images);
  }

  /**
   * The value of {@code ModelFormat.KEY_SAMPLE_PIXELS} for the embedded form: base64 (no line
   * breaks) of the images' bytes; empty for the file form.
   */
  public Optional<String> pixelsBase64() {
    return embedded.map(images -> Base64.getEncoder().encodeToString(images.pixels()));
  }

  /** Value equality, predictions and embedded labels compared element by element. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SampleAnswers other
        && source.equals(other.source)
        && records == other.records
        && sha256.equals(other.sha256)
        && Arrays.equals(predicted, other.predicted)
        && embedded.map(SampleImages::imageSize).equals(other.embedded.map(SampleImages::imageSize))
        && Arrays.equals(
            embedded.map(SampleImages::labels).orElse(null),
            other.embedded.map(SampleImages::labels).orElse(null));
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, records, sha256) * 31 + Arrays.hashCode(predicted);
  }

  @Override
  public String toString() {
    return toJson();
  }

  /**
   * The metadata value. File form: {@code {"source":...,"records":1000,"sha256":...,
   * "predicted":[3,8,...]}}; embedded form: {@code {"source":"embedded","records":N,
   * "image_size":S,"sha256":...,"labels":[...],"predicted":[...]}}. {@code predicted} is left out
   * when not computed.
   */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode().put("source", source.replace('\\', '/'));
    node.put("records", records);
    if (embedded.isPresent()) {
      node.put("image_size", embedded.get().imageSize());
    }
    node.put("sha256", sha256);
    if (embedded.isPresent()) {
      ints(node.putArray("labels"), embedded.get().labels());
    }
    if (predicted != null) {
      ints(node.putArray("predicted"), predicted);
    }
    return node.toString();
  }

  private static void ints(ArrayNode array, int[] values) {
    for (int v : values) {
      array.add(v);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
