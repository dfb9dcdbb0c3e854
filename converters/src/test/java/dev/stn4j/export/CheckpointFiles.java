package dev.stn4j.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stn4j.train.SampleImages;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnWeights;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/**
 * Writes checkpoint files in the trainer's documented layout ({@code CheckpointFormat}: magic,
 * version, payload length, payload, SHA-256), for tests that need valid and deliberately foreign
 * checkpoints; the trainer's own writer is not public. Format 1 (a CIFAR-10 model, as older
 * trainers wrote) or format 3 (any shape, with class names, statistics and sample images).
 */
final class CheckpointFiles {
  private CheckpointFiles() {}

  static void write(Path file, StnWeights weights, double testAccuracy) throws Exception {
    write(file, weights, testAccuracy, null, null);
  }

  /** Format 3: the model's shape, class names, statistics and, if not null, sample images. */
  static void write(
      Path file,
      StnWeights weights,
      double testAccuracy,
      List<String> classNames,
      Normalization normalization,
      SampleImages samples)
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    head(out, weights, testAccuracy, null, null);
    out.writeBoolean(false); // no separate training weights (format 2)
    ObjectNode model = new ObjectMapper().createObjectNode();
    model.put("architecture", "stn");
    model.put("image_size", weights.shape().imageSize());
    ArrayNode names = model.putArray("class_names");
    classNames.forEach(names::add);
    model.set("normalization", new ObjectMapper().readTree(normalization.toJson()));
    string(out, model.toString());
    out.writeBoolean(samples != null);
    if (samples != null) {
      out.writeInt(samples.count());
      for (int label : samples.labels()) {
        out.writeInt(label);
      }
      out.write(samples.pixels());
    }
    out.flush();
    seal(file, 3, bytes.toByteArray());
  }

  /**
   * @param foreign a parameter written with {@code foreignShape} instead of its own (another
   *     architecture); null for none
   */
  static void write(
      Path file, StnWeights weights, double testAccuracy, StnParameter foreign, long[] foreignShape)
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    head(out, weights, testAccuracy, foreign, foreignShape);
    out.flush();
    seal(file, 1, bytes.toByteArray());
  }

  /** Format 1's payload: names, settings, history, parameters, no momentum. */
  private static void head(
      DataOutputStream out,
      StnWeights weights,
      double testAccuracy,
      StnParameter foreign,
      long[] foreignShape)
      throws IOException {
    string(out, "synthetic test data");
    string(out, "{\"epochs\":2,\"batch_size\":64,\"seed\":1}");
    string(
        out,
        "[{\"epoch\":1,\"loss\":2.0,\"train_acc\":0.3,\"test_acc\":0.25,\"seconds\":1.0,\"lr\":0.01},"
            + "{\"epoch\":2,\"loss\":1.5,\"train_acc\":0.5,\"test_acc\":"
            + testAccuracy
            + ",\"seconds\":1.0,\"lr\":0.01}]");
    out.writeInt(StnParameter.values().length);
    for (StnParameter p : StnParameter.values()) {
      long[] shape = p == foreign ? foreignShape : p.shape(weights.shape());
      string(out, p.key());
      out.writeInt(shape.length);
      long size = 1;
      for (long d : shape) {
        out.writeInt((int) d);
        size *= d;
      }
      ByteBuffer values = ByteBuffer.allocate((int) size * Float.BYTES);
      float[] w = weights.get(p);
      for (int k = 0; k < size; k++) {
        values.putFloat(w[k % w.length]);
      }
      out.write(values.array());
    }
    out.writeBoolean(false);
  }

  private static void seal(Path file, int version, byte[] payload) throws Exception {
    ByteBuffer file0 = ByteBuffer.allocate(8 + 4 + 8 + payload.length + 32);
    file0
        .put("STN4JCKP".getBytes(StandardCharsets.US_ASCII))
        .putInt(version)
        .putLong(payload.length);
    file0.put(payload).put(MessageDigest.getInstance("SHA-256").digest(payload));
    Files.write(file, file0.array());
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }
}
