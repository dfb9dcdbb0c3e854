package dev.stn4j.train.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * The values of all parameters of one {@link Architecture} and {@link StnShape} (39,884 for
 * CIFAR-10's STN, 31,340 for its classifier alone), engine-free: what a checkpoint stores, what the
 * exporter writes into ONNX initializers and what the DJL model is built from.
 *
 * <p>Immutable: arrays are copied in and out.
 *
 * <pre>{@code
 * StnWeights w = StnWeights.initial(StnShape.CIFAR10, 42); // PyTorch-style init, θ = identity
 * float[] bias = w.get(StnParameter.LOC_FC2_BIAS);         // {1,0,0, 0,1,0}
 * }</pre>
 */
public final class StnWeights {
  private final Architecture architecture;
  private final StnShape shape;
  private final EnumMap<StnParameter, float[]> values;

  private StnWeights(
      Architecture architecture, StnShape shape, EnumMap<StnParameter, float[]> values) {
    this.architecture = architecture;
    this.shape = shape;
    this.values = values;
  }

  /**
   * Builds weights of an STN of {@code shape} from one array per parameter.
   *
   * @throws IllegalArgumentException naming the parameter that is missing or of the wrong size
   */
  public static StnWeights of(StnShape shape, Map<StnParameter, float[]> arrays) {
    return of(Architecture.STN, shape, arrays);
  }

  /**
   * Builds weights of a model of {@code architecture} and {@code shape} from one array per
   * parameter of the architecture (others in {@code arrays} are ignored).
   *
   * @throws IllegalArgumentException naming the parameter that is missing or of the wrong size
   */
  public static StnWeights of(
      Architecture architecture, StnShape shape, Map<StnParameter, float[]> arrays) {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(shape, "shape");
    EnumMap<StnParameter, float[]> copy = new EnumMap<>(StnParameter.class);
    for (StnParameter p : architecture.parameters()) {
      float[] a = arrays.get(p);
      if (a == null) {
        throw new IllegalArgumentException("missing parameter " + p.key());
      }
      if (a.length != p.size(shape)) {
        throw new IllegalArgumentException(
            String.format(
                "parameter %s has %d values, expected %d for shape %s",
                p.key(), a.length, p.size(shape), Arrays.toString(p.shape(shape))));
      }
      copy.put(p, a.clone());
    }
    return new StnWeights(architecture, shape, copy);
  }

  /**
   * The initial weights of a fresh model of {@code shape}: PyTorch's default initialisation
   * (uniform in ±1/√fan_in for weights and biases), except θ's last layer, which is zero weights
   * and the identity bias {@code (1,0,0,0,1,0)} so training starts from the identity transform. One
   * {@link Random} stream in parameter order, so CIFAR-10's initial weights of a seed never change.
   */
  public static StnWeights initial(StnShape shape, long seed) {
    return initial(Architecture.STN, shape, seed);
  }

  /**
   * The initial weights of a fresh model of {@code architecture}: its parameters of {@link
   * #initial(StnShape, long)}, so the classifier alone starts from the very classifier the STN of
   * the same seed starts from.
   */
  public static StnWeights initial(Architecture architecture, StnShape shape, long seed) {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(shape, "shape");
    Random random = new Random(seed);
    EnumMap<StnParameter, float[]> init = new EnumMap<>(StnParameter.class);
    StnParameter[] all = StnParameter.values();
    for (int i = 0; i < all.length; i += 2) {
      StnParameter weight = all[i];
      StnParameter bias = all[i + 1];
      int size = weight.size(shape);
      int fanIn = size / (int) weight.shape(shape)[0];
      float bound = (float) (1.0 / Math.sqrt(fanIn));
      init.put(weight, uniform(random, size, bound));
      init.put(bias, uniform(random, bias.size(shape), bound));
    }
    init.put(StnParameter.LOC_FC2_WEIGHT, new float[StnParameter.LOC_FC2_WEIGHT.size(shape)]);
    init.put(StnParameter.LOC_FC2_BIAS, new float[] {1, 0, 0, 0, 1, 0});
    init.keySet().retainAll(architecture.parameters());
    return new StnWeights(architecture, shape, init);
  }

  private static float[] uniform(Random random, int n, float bound) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (random.nextFloat() * 2 - 1) * bound;
    }
    return a;
  }

  /** The network these weights are for. */
  public Architecture architecture() {
    return architecture;
  }

  /** The image size and class count these weights are for. */
  public StnShape shape() {
    return shape;
  }

  /**
   * A copy of one parameter's values, row-major in its {@link StnParameter#shape(StnShape)}.
   *
   * @throws IllegalArgumentException if the architecture has no such parameter
   */
  public float[] get(StnParameter parameter) {
    float[] v = values.get(parameter);
    if (v == null) {
      throw new IllegalArgumentException(
          architecture.key() + " weights have no parameter " + parameter.key());
    }
    return v.clone();
  }

  /** Total number of scalars: {@code architecture().parameterCount(shape())}. */
  public int size() {
    return architecture.parameterCount(shape);
  }

  /**
   * Hex SHA-256 of every parameter of the architecture as little-endian float32, in {@link
   * StnParameter} order: the checksum stored in checkpoints and in the ONNX metadata.
   */
  public String sha256() {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    // Parameter by parameter: the same bytes as one buffer of everything, without holding a
    // second copy of a large model's weights.
    for (StnParameter p : architecture.parameters()) {
      float[] v = values.get(p);
      ByteBuffer buffer =
          ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      buffer.asFloatBuffer().put(v);
      digest.update(buffer.array());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
