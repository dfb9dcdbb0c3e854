package dev.stn4j.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.data.Cifar10;
import dev.stn4j.sdk.internal.ModelFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What a model file says about itself, read from its ONNX {@code metadata_props} (keys in {@link
 * ModelFormat}). Texts that the file does not record are empty strings.
 *
 * <pre>{@code
 * ModelInfo info = classifier.modelInfo();
 * System.out.println(info.classNames() + " trained on " + info.trainingData());
 * info.testAccuracy().ifPresent(a -> System.out.printf("test accuracy %.2f%%%n", 100 * a));
 * }</pre>
 *
 * @param classNames class names in label order (CIFAR-10's when the file records none)
 * @param testAccuracy the trainer's final test accuracy in [0,1], absent for untrained models
 * @param trainingData free text naming the training data
 * @param producer the program that wrote the file and its version
 * @param created ISO-8601 instant the file was written
 * @param parametersSha256 hex SHA-256 of the parameters in the trainer's layout
 * @param opset the ONNX default-domain opset the graph uses, -1 if unknown
 * @param metadata every {@code metadata_props} entry, sorted by key
 */
public record ModelInfo(
    List<String> classNames,
    OptionalDouble testAccuracy,
    String trainingData,
    String producer,
    String created,
    String parametersSha256,
    long opset,
    Map<String, String> metadata) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies the collections, so a ModelInfo never changes. */
  public ModelInfo {
    classNames = List.copyOf(classNames);
    metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
  }

  /**
   * The exporter's predicted class for each image of the sample set, in record order, if the file
   * records them ({@code predicted} of {@link ModelFormat#KEY_SAMPLE_SET}). A fresh array each
   * call.
   */
  public Optional<int[]> samplePredictions() {
    String json = metadata.get(ModelFormat.KEY_SAMPLE_SET);
    if (json == null) {
      return Optional.empty();
    }
    try {
      JsonNode predicted = JSON.readTree(json).path("predicted");
      if (!predicted.isTextual()) {
        return Optional.empty();
      }
      String digits = predicted.asText();
      int[] classes = new int[digits.length()];
      for (int i = 0; i < classes.length; i++) {
        int v = Character.digit(digits.charAt(i), 10);
        if (v < 0) {
          return Optional.empty();
        }
        classes[i] = v;
      }
      return Optional.of(classes);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** Reads the stn4j keys out of a model's metadata; {@code model} names the file in errors. */
  static ModelInfo parse(
      String model, Map<String, String> metadata, String producerName, long opset)
      throws StnException {
    String version = metadata.get(ModelFormat.KEY_FORMAT_VERSION);
    if (version != null
        && !version.trim().equals(ModelFormat.FORMAT_VERSION)
        && !version.trim().equals(ModelFormat.FORMAT_VERSION_1)) {
      throw invalid(
          model,
          ModelFormat.KEY_FORMAT_VERSION,
          version,
          "this SDK reads format versions "
              + ModelFormat.FORMAT_VERSION_1
              + " and "
              + ModelFormat.FORMAT_VERSION);
    }
    List<String> classes = Cifar10.CLASS_NAMES;
    String names = metadata.get(ModelFormat.KEY_CLASS_NAMES);
    if (names != null) {
      classes = new ArrayList<>();
      try {
        JsonNode array = JSON.readTree(names);
        if (!array.isArray() || array.isEmpty()) {
          throw invalid(model, ModelFormat.KEY_CLASS_NAMES, names, "not a JSON array of names");
        }
        for (JsonNode n : array) {
          if (!n.isTextual()) {
            throw invalid(model, ModelFormat.KEY_CLASS_NAMES, names, "not a JSON array of names");
          }
          classes.add(n.asText());
        }
      } catch (JsonProcessingException e) {
        throw invalid(model, ModelFormat.KEY_CLASS_NAMES, names, e.getOriginalMessage());
      }
    }
    OptionalDouble accuracy = OptionalDouble.empty();
    String acc = metadata.get(ModelFormat.KEY_TEST_ACCURACY);
    if (acc != null && !acc.isBlank()) {
      try {
        accuracy = OptionalDouble.of(Double.parseDouble(acc.trim()));
      } catch (NumberFormatException e) {
        throw invalid(model, ModelFormat.KEY_TEST_ACCURACY, acc, "not a number");
      }
    }
    String producer = metadata.get(ModelFormat.KEY_PRODUCER);
    if (producer == null) {
      producer = producerName == null ? "" : producerName;
    }
    return new ModelInfo(
        classes,
        accuracy,
        metadata.getOrDefault(ModelFormat.KEY_TRAINING_DATA, ""),
        producer,
        metadata.getOrDefault(ModelFormat.KEY_CREATED, ""),
        metadata.getOrDefault(ModelFormat.KEY_PARAMETERS_SHA256, ""),
        opset,
        metadata);
  }

  private static StnException invalid(String model, String key, String value, String why) {
    String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return new StnException(
        ErrorCode.INVALID_MODEL,
        model + ": metadata " + key + " = '" + shown + "' is invalid: " + why);
  }
}
