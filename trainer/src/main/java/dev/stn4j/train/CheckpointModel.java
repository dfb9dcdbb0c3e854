package dev.stn4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stn4j.data.Cifar10;
import dev.stn4j.train.model.Architecture;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnShape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a checkpoint (format version 3) that describes the model rather than the run: the
 * JSON {@code {"architecture":"stn","image_size":S,"class_names":[...],"normalization":{...}}}
 * ({@code "cnn"} for the classifier alone, {@link Architecture}), then a flag and the sample images
 * (int count, count int labels, count·3·S·S pixel bytes).
 *
 * @param samples null for none
 */
record CheckpointModel(
    Architecture architecture,
    StnShape shape,
    List<String> classNames,
    Normalization normalization,
    SampleImages samples) {
  /** What checkpoints of format versions 1 and 2 hold: CIFAR-10 STNs, without samples. */
  static final CheckpointModel CIFAR10 =
      new CheckpointModel(
          Architecture.STN, StnShape.CIFAR10, Cifar10.CLASS_NAMES, Normalization.CIFAR10, null);

  private static final ObjectMapper JSON = new ObjectMapper();

  static CheckpointModel of(Checkpoint c) {
    return new CheckpointModel(
        c.architecture(), c.shape(), c.classNames(), c.normalization(), c.samples().orElse(null));
  }

  void write(DataOutputStream out) throws IOException {
    ObjectNode model = JSON.createObjectNode();
    model.put("architecture", architecture.key());
    model.put("image_size", shape.imageSize());
    ArrayNode names = model.putArray("class_names");
    classNames.forEach(names::add);
    model.set("normalization", JSON.readTree(normalization.toJson()));
    byte[] json = model.toString().getBytes(StandardCharsets.UTF_8);
    out.writeInt(json.length);
    out.write(json);
    out.writeBoolean(samples != null);
    if (samples != null) {
      out.writeInt(samples.count());
      for (int label : samples.labels()) {
        out.writeInt(label);
      }
      out.write(samples.pixels());
    }
  }

  /**
   * Reads what {@link #write} wrote.
   *
   * @throws CheckpointException when the model is of another architecture
   * @throws IllegalArgumentException naming what else is wrong
   */
  static CheckpointModel read(DataInputStream in, String json, Path file) throws IOException {
    JsonNode model = JSON.readTree(json);
    String key = model.path("architecture").asText();
    Architecture architecture;
    try {
      architecture = Architecture.byKey(key);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(
          String.format(
              "%s: another architecture: \"%s\", this build trains \"stn\" and \"cnn\"",
              file, key));
    }
    JsonNode names = model.path("class_names");
    if (!names.isArray()) {
      throw new IllegalArgumentException("the model has no class_names array");
    }
    List<String> classNames = new ArrayList<>();
    names.forEach(n -> classNames.add(n.asText()));
    StnShape shape = new StnShape(model.path("image_size").asInt(), classNames.size());
    Normalization normalization = Normalization.fromJson(model.path("normalization").toString());
    return new CheckpointModel(
        architecture,
        shape,
        classNames,
        normalization,
        in.readBoolean() ? readSamples(in, shape) : null);
  }

  private static SampleImages readSamples(DataInputStream in, StnShape shape) throws IOException {
    int count = in.readInt();
    if (count < 1 || count > SampleImages.limit(shape.imageSize())) {
      throw new IllegalArgumentException(count + " sample images");
    }
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = in.readInt();
    }
    byte[] pixels = new byte[count * shape.imageValues()];
    in.readFully(pixels);
    return new SampleImages(shape.imageSize(), labels, pixels);
  }
}
