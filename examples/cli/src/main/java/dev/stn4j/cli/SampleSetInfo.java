package dev.stn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stn4j.sdk.ModelInfo;
import dev.stn4j.sdk.SampleSet;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code stn info} says about a model's sample set: where it is (a file, or N images embedded
 * in the model), how many answers it records and, for embedded images, the self-check's result.
 *
 * @param source the file named by {@code stn4j.sample_set}, {@code "embedded"}, or null if none
 * @param records the number of records (answers recorded, for a file)
 * @param imageSize S of embedded images, 0 otherwise
 * @param checked images whose answer the self-check confirmed (0 when not run)
 * @param failure the self-check's error, or null
 */
record SampleSetInfo(String source, int records, int imageSize, int checked, String failure) {
  static SampleSetInfo of(ModelInfo info, StnClassifier classifier) {
    Optional<String> source = info.sampleSource();
    if (source.isEmpty()) {
      return new SampleSetInfo(null, 0, 0, 0, null);
    }
    Optional<SampleSet> embedded = info.sampleSet();
    if (embedded.isEmpty()) {
      int records = info.samplePredictions().map(p -> p.length).orElse(0);
      return new SampleSetInfo(source.get(), records, 0, 0, null);
    }
    int n = embedded.get().size();
    int size = embedded.get().imageSize();
    try {
      return new SampleSetInfo(source.get(), n, size, classifier.verifySamples(), null);
    } catch (StnException e) {
      return new SampleSetInfo(source.get(), n, size, 0, e.getMessage());
    }
  }

  boolean embedded() {
    return imageSize > 0;
  }

  boolean checkFailed() {
    return failure != null;
  }

  String describe() {
    if (source == null) {
      return "not recorded";
    }
    if (embedded()) {
      return String.format(
          "%d images embedded in the model (%dx%d)", records, imageSize, imageSize);
    }
    return "file " + source + " (" + records + " records)";
  }

  /** The self-check line: only for embedded images. */
  Optional<String> checkText() {
    if (!embedded()) {
      return Optional.empty();
    }
    return Optional.of(
        failure == null
            ? "passed: all " + checked + " embedded images give their recorded answers"
            : "FAILED: " + failure);
  }

  ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode node = mapper.createObjectNode();
    if (source == null) {
      node.putNull("source");
      return node;
    }
    node.put("source", source);
    node.put("records", records);
    if (embedded()) {
      node.put("image_size", imageSize);
      ObjectNode check = node.putObject("self_check");
      check.put("passed", failure == null);
      check.put("checked", checked);
      if (failure != null) {
        check.put("error", failure);
      }
    }
    return node;
  }

  /** The metadata with long values (the embedded pixels: up to 1 MiB of base64) cut to a note. */
  static Map<String, String> shortened(Map<String, String> metadata) {
    metadata.replaceAll(
        (key, value) ->
            value.length() > 4096 ? "(" + value.length() + " characters, not shown)" : value);
    return metadata;
  }
}
