package dev.stn4j.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.sdk.internal.ModelFormat;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the JSON values of a model's metadata, refusing a malformed one with {@link
 * ErrorCode#INVALID_MODEL} naming the model, the key and the problem.
 */
final class MetadataReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String model;
  private final Map<String, String> metadata;

  MetadataReader(String model, Map<String, String> metadata) {
    this.model = model;
    this.metadata = metadata;
  }

  /** The JSON under {@code key}, or empty when the key is absent. */
  Optional<JsonNode> json(String key) throws StnException {
    String value = metadata.get(key);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(value));
    } catch (JsonProcessingException e) {
      throw invalid(key, e.getOriginalMessage());
    }
  }

  /** A non-empty JSON array of names. */
  List<String> classNames(JsonNode array) throws StnException {
    List<String> names = new ArrayList<>();
    if (!array.isArray() || array.isEmpty()) {
      throw invalid(ModelFormat.KEY_CLASS_NAMES, "not a JSON array of names");
    }
    for (JsonNode n : array) {
      if (!n.isTextual()) {
        throw invalid(ModelFormat.KEY_CLASS_NAMES, "not a JSON array of names");
      }
      names.add(n.asText());
    }
    return names;
  }

  /** S from {@code [3,S,S]}. */
  int inputSize(JsonNode node) throws StnException {
    if (!node.isArray()
        || node.size() != 3
        || node.get(0).asInt() != 3
        || !node.get(1).canConvertToInt()
        || node.get(1).asInt() < 1
        || node.get(1).asInt() != node.get(2).asInt()) {
      throw invalid(ModelFormat.KEY_INPUT_SIZE, "expected [3,S,S] with S >= 1");
    }
    return node.get(1).asInt();
  }

  /** {"mean":[r,g,b],"std":[r,g,b]}, every std positive. */
  ModelInfo.Normalization normalization(JsonNode node) throws StnException {
    double[] mean = triple(node.path("mean"), false);
    double[] std = triple(node.path("std"), true);
    return new ModelInfo.Normalization(
        List.of(mean[0], mean[1], mean[2]), List.of(std[0], std[1], std[2]));
  }

  private double[] triple(JsonNode node, boolean positive) throws StnException {
    if (!node.isArray() || node.size() != 3) {
      throw invalid(ModelFormat.KEY_NORMALIZATION, "expected {\"mean\":[r,g,b],\"std\":[r,g,b]}");
    }
    double[] v = new double[3];
    for (int i = 0; i < 3; i++) {
      if (!node.get(i).isNumber() || (positive && node.get(i).asDouble() <= 0)) {
        throw invalid(
            ModelFormat.KEY_NORMALIZATION,
            "expected numbers" + (positive ? ", std > 0" : "") + ", got " + node);
      }
      v[i] = node.get(i).asDouble();
    }
    return v;
  }

  /**
   * {@code predicted} of the sample set: v1's string of digits or v2's array of ints; empty when
   * absent or not one of those.
   */
  static Optional<int[]> predictions(JsonNode predicted) {
    if (predicted.isTextual()) {
      String digits = predicted.asText();
      int[] classes = new int[digits.length()];
      for (int i = 0; i < classes.length; i++) {
        classes[i] = Character.digit(digits.charAt(i), 10);
        if (classes[i] < 0) {
          return Optional.empty();
        }
      }
      return Optional.of(classes);
    }
    if (predicted.isArray()) {
      int[] classes = new int[predicted.size()];
      for (int i = 0; i < classes.length; i++) {
        JsonNode v = predicted.get(i);
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
          return Optional.empty();
        }
        classes[i] = v.asInt();
      }
      return Optional.of(classes);
    }
    return Optional.empty();
  }

  /**
   * The embedded sample set, checked against its record count, S, K and its SHA-256; empty when the
   * set is absent or in a file.
   */
  Optional<SampleSet> embeddedSamples(int classes, int imageSize) throws StnException {
    String key = ModelFormat.KEY_SAMPLE_SET;
    Optional<JsonNode> found = json(key);
    if (found.isEmpty()
        || !ModelFormat.SAMPLE_SOURCE_EMBEDDED.equals(found.get().path("source").asText())) {
      return Optional.empty();
    }
    JsonNode set = found.get();
    int n = set.path("records").asInt(-1);
    if (n < 1) {
      throw invalid(key, "\"records\" must be a positive count");
    }
    if (set.path("image_size").asInt(-1) != imageSize) {
      throw invalid(key, "\"image_size\" is not the model's image size " + imageSize);
    }
    int[] labels = classIndices(set.path("labels"), "labels", n, classes);
    int[] predicted = classIndices(set.path("predicted"), "predicted", n, classes);
    byte[] pixels = pixels(n * 3 * imageSize * imageSize);
    if (!sha256(pixels).equalsIgnoreCase(set.path("sha256").asText())) {
      throw invalid(
          ModelFormat.KEY_SAMPLE_PIXELS, "SHA-256 differs from \"sha256\" of " + key + "");
    }
    float[] images = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      images[i] = (pixels[i] & 0xFF) / 255f;
    }
    return Optional.of(new SampleSet(imageSize, labels, predicted, images));
  }

  private int[] classIndices(JsonNode node, String field, int n, int classes) throws StnException {
    Optional<int[]> read = node.isArray() ? predictions(node) : Optional.empty();
    if (read.isEmpty() || read.get().length != n) {
      throw invalid(
          ModelFormat.KEY_SAMPLE_SET,
          "\"" + field + "\" must be an array of " + n + " class indices");
    }
    for (int c : read.get()) {
      if (c >= classes) {
        throw invalid(
            ModelFormat.KEY_SAMPLE_SET,
            "\"" + field + "\" holds class " + c + " but the model has " + classes + " classes");
      }
    }
    return read.get();
  }

  private byte[] pixels(int expected) throws StnException {
    String key = ModelFormat.KEY_SAMPLE_PIXELS;
    String base64 = metadata.get(key);
    if (base64 == null) {
      throw invalid(ModelFormat.KEY_SAMPLE_SET, "embedded, but " + key + " is missing");
    }
    byte[] pixels;
    try {
      pixels = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw invalid(key, "not base64: " + e.getMessage());
    }
    if (pixels.length != expected) {
      throw invalid(key, "holds " + pixels.length + " bytes, expected " + expected);
    }
    return pixels;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  StnException invalid(String key, String why) {
    String value = metadata.getOrDefault(key, "");
    String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return new StnException(
        ErrorCode.INVALID_MODEL,
        model + ": metadata " + key + " = '" + shown + "' is invalid: " + why);
  }

  StnException missing(String key, String version) {
    return new StnException(
        ErrorCode.INVALID_MODEL,
        model + ": metadata " + key + " is missing; format version " + version + " requires it");
  }
}
