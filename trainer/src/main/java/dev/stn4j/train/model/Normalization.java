package dev.stn4j.train.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.data.Cifar10;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-channel mean and standard deviation (R, G, B, of inputs in [0,1]) a model subtracts and
 * divides by before its first layer. CIFAR-10 models use the seed's constants; image-folder models
 * use statistics of their training split. Arrays are copied in and out.
 *
 * <pre>{@code
 * Normalization n = Normalization.fromJson("{\"mean\":[0.5,0.5,0.5],\"std\":[0.25,0.25,0.25]}");
 * String json = Normalization.CIFAR10.toJson(); // the model's stn4j.normalization value
 * }</pre>
 *
 * @param mean three channel means, finite
 * @param std three channel standard deviations, finite and positive
 */
public record Normalization(float[] mean, float[] std) {
  /** The seed's CIFAR-10 statistics, as in {@link Cifar10#means()} and {@link Cifar10#stds()}. */
  public static final Normalization CIFAR10 = new Normalization(Cifar10.means(), Cifar10.stds());

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @throws IllegalArgumentException unless both arrays hold 3 finite values and every std is
   *     positive
   */
  public Normalization {
    mean = check("mean", mean);
    std = check("std", std);
    for (float s : std) {
      if (!(s > 0f)) {
        throw new IllegalArgumentException(
            "normalization std must be positive, got " + Arrays.toString(std));
      }
    }
  }

  private static float[] check(String name, float[] values) {
    if (values == null || values.length != 3) {
      throw new IllegalArgumentException(
          "normalization "
              + name
              + " needs 3 values (R, G, B), got "
              + (values == null ? "none" : Arrays.toString(values)));
    }
    for (float v : values) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(
            "normalization " + name + " must be finite, got " + Arrays.toString(values));
      }
    }
    return values.clone();
  }

  /** A copy of the three channel means. */
  @Override
  public float[] mean() {
    return mean.clone();
  }

  /** A copy of the three channel standard deviations. */
  @Override
  public float[] std() {
    return std.clone();
  }

  /** {@code {"mean":[r,g,b],"std":[r,g,b]}}: the model contract's {@code stn4j.normalization}. */
  public String toJson() {
    Map<String, float[]> json = new LinkedHashMap<>();
    json.put("mean", mean);
    json.put("std", std);
    try {
      return JSON.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("arrays of floats always serialize", e);
    }
  }

  /**
   * Reads {@link #toJson()}'s form.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code json}
   */
  public static Normalization fromJson(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("normalization is not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("normalization must be a JSON object, got " + json);
    }
    return new Normalization(values(root, "mean"), values(root, "std"));
  }

  private static float[] values(JsonNode root, String name) {
    JsonNode node = root.get(name);
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException("normalization has no \"" + name + "\" array: " + root);
    }
    float[] values = new float[node.size()];
    for (int i = 0; i < values.length; i++) {
      if (!node.get(i).isNumber()) {
        throw new IllegalArgumentException(
            "normalization " + name + " holds a non-number: " + node.get(i));
      }
      values[i] = node.get(i).floatValue();
    }
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return toJson();
  }
}
