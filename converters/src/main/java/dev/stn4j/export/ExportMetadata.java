package dev.stn4j.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.data.Cifar10;
import dev.stn4j.train.model.Normalization;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the exporter records about a model besides its weights: provenance for the {@code
 * metadata_props} of the model contract. Immutable; built with {@link #builder()}.
 *
 * <pre>{@code
 * ExportMetadata meta = ExportMetadata.builder()
 *     .classNames(checkpoint.classNames())
 *     .normalization(checkpoint.normalization())
 *     .trainingData("CIFAR-10 (JPEG-q75 copy)")
 *     .testAccuracy(0.7213)
 *     .trainingSettingsJson(checkpoint.settingsJson())
 *     .sampleAnswers(SampleAnswers.computeEmbedded(weights, normalization, samples))
 *     .build();
 * }</pre>
 *
 * @param classNames the class names in label order, one per output of the model
 * @param normalization the per-channel statistics the model was trained with (applied inside the
 *     graph)
 * @param trainingData free text naming the training data
 * @param testAccuracy final test accuracy in [0,1]; empty for an untrained model
 * @param trainingSettingsJson the training settings as a compact JSON object
 * @param created when the model is written
 * @param sampleAnswers the sample set and the DJL model's predictions on it, if computed
 */
public record ExportMetadata(
    List<String> classNames,
    Normalization normalization,
    String trainingData,
    OptionalDouble testAccuracy,
    String trainingSettingsJson,
    Instant created,
    Optional<SampleAnswers> sampleAnswers) {

  /** Training data text of a model that was never trained. */
  public static final String UNTRAINED = "none (untrained placeholder: random initial weights)";

  private static final ObjectMapper JSON = new ObjectMapper();

  public ExportMetadata {
    classNames = List.copyOf(classNames);
    Objects.requireNonNull(normalization, "normalization");
    Objects.requireNonNull(trainingData, "trainingData");
    Objects.requireNonNull(testAccuracy, "testAccuracy");
    Objects.requireNonNull(trainingSettingsJson, "trainingSettingsJson");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(sampleAnswers, "sampleAnswers");
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builder of {@link ExportMetadata}; defaults describe an untrained CIFAR-10 model (its class
   * names and statistics) created now.
   */
  public static final class Builder {
    private List<String> classNames = Cifar10.CLASS_NAMES;
    private Normalization normalization = Normalization.CIFAR10;
    private String trainingData = UNTRAINED;
    private OptionalDouble testAccuracy = OptionalDouble.empty();
    private String trainingSettingsJson = "{}";
    private Instant created;
    private SampleAnswers sampleAnswers;

    private Builder() {}

    /** The class names in label order; as many as the model's classes, distinct, not blank. */
    public Builder classNames(List<String> names) {
      this.classNames = names;
      return this;
    }

    public Builder normalization(Normalization statistics) {
      this.normalization = statistics;
      return this;
    }

    public Builder trainingData(String text) {
      this.trainingData = text;
      return this;
    }

    /** Final test accuracy in [0,1]. */
    public Builder testAccuracy(double accuracy) {
      this.testAccuracy = OptionalDouble.of(accuracy);
      return this;
    }

    public Builder testAccuracy(OptionalDouble accuracy) {
      this.testAccuracy = accuracy;
      return this;
    }

    /** A JSON object; it is stored compacted. */
    public Builder trainingSettingsJson(String json) {
      this.trainingSettingsJson = json;
      return this;
    }

    public Builder created(Instant instant) {
      this.created = instant;
      return this;
    }

    public Builder sampleAnswers(SampleAnswers answers) {
      this.sampleAnswers = answers;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the bad value: no, blank or repeated class names, no
     *     normalization, blank training data, accuracy outside [0,1], settings that are not a JSON
     *     object
     */
    public ExportMetadata build() {
      checkClassNames(classNames);
      if (normalization == null) {
        throw new IllegalArgumentException("normalization must not be null");
      }
      if (trainingData == null || trainingData.isBlank()) {
        throw new IllegalArgumentException(
            "trainingData must not be blank: '" + trainingData + "'");
      }
      if (testAccuracy == null) {
        throw new IllegalArgumentException("testAccuracy must not be null (use empty)");
      }
      if (testAccuracy.isPresent()) {
        double a = testAccuracy.getAsDouble();
        if (!(a >= 0 && a <= 1)) {
          throw new IllegalArgumentException("testAccuracy must be in [0,1], got " + a);
        }
      }
      return new ExportMetadata(
          classNames,
          normalization,
          trainingData,
          testAccuracy,
          compactObject(trainingSettingsJson),
          created != null ? created : Instant.now(),
          Optional.ofNullable(sampleAnswers));
    }

    private static void checkClassNames(List<String> names) {
      if (names == null || names.isEmpty()) {
        throw new IllegalArgumentException("classNames must not be empty");
      }
      HashSet<String> seen = new HashSet<>();
      for (String name : names) {
        if (name == null || name.isBlank()) {
          throw new IllegalArgumentException("class names must not be blank: " + names);
        }
        if (!seen.add(name)) {
          throw new IllegalArgumentException("class name '" + name + "' appears twice");
        }
      }
    }

    private static String compactObject(String json) {
      if (json == null) {
        throw new IllegalArgumentException("trainingSettingsJson must not be null");
      }
      try {
        JsonNode node = JSON.readTree(json);
        if (node == null || !node.isObject()) {
          throw new IllegalArgumentException(
              "trainingSettingsJson must be a JSON object, got: " + abbreviate(json));
        }
        return JSON.writeValueAsString(node);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(
            "trainingSettingsJson is not valid JSON ("
                + e.getOriginalMessage()
                + "): "
                + abbreviate(json),
            e);
      }
    }

    private static String abbreviate(String s) {
      return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
  }
}
