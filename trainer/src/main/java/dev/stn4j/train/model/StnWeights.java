package dev.stn4j.train.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

/**
 * The values of all 39,884 STN parameters, engine-free: what a checkpoint stores, what the exporter
 * writes into ONNX initializers and what the DJL model is built from.
 *
 * <p>Immutable: arrays are copied in and out.
 *
 * <pre>{@code
 * StnWeights w = StnWeights.initial(42);           // PyTorch-style init, θ = identity
 * float[] bias = w.get(StnParameter.LOC_FC2_BIAS); // {1,0,0, 0,1,0}
 * }</pre>
 */
public final class StnWeights {
  private final EnumMap<StnParameter, float[]> values;

  private StnWeights(EnumMap<StnParameter, float[]> values) {
    this.values = values;
  }

  /**
   * Builds weights from one array per parameter.
   *
   * @throws IllegalArgumentException naming the parameter that is missing or of the wrong size
   */
  public static StnWeights of(Map<StnParameter, float[]> arrays) {
    EnumMap<StnParameter, float[]> copy = new EnumMap<>(StnParameter.class);
    for (StnParameter p : StnParameter.values()) {
      float[] a = arrays.get(p);
      if (a == null) {
        throw new IllegalArgumentException("missing parameter " + p.key());
      }
      if (a.length != p.size()) {
        throw new IllegalArgumentException(
            String.format(
                "parameter %s has %d values, expected %d for shape %s",
                p.key(), a.length, p.size(), java.util.Arrays.toString(p.shape())));
      }
      copy.put(p, a.clone());
    }
    return new StnWeights(copy);
  }

  /**
   * The initial weights of a fresh model: PyTorch's default initialisation (uniform in ±1/√fan_in
   * for weights and biases), except θ's last layer, which is zero weights and the identity bias
   * {@code (1,0,0,0,1,0)} so training starts from the identity transform.
   */
  public static StnWeights initial(long seed) {
    Random random = new Random(seed);
    EnumMap<StnParameter, float[]> init = new EnumMap<>(StnParameter.class);
    StnParameter[] all = StnParameter.values();
    for (int i = 0; i < all.length; i += 2) {
      StnParameter weight = all[i];
      StnParameter bias = all[i + 1];
      long[] shape = weight.shape();
      int fanIn = weight.size() / (int) shape[0];
      float bound = (float) (1.0 / Math.sqrt(fanIn));
      init.put(weight, uniform(random, weight.size(), bound));
      init.put(bias, uniform(random, bias.size(), bound));
    }
    init.put(StnParameter.LOC_FC2_WEIGHT, new float[StnParameter.LOC_FC2_WEIGHT.size()]);
    init.put(StnParameter.LOC_FC2_BIAS, new float[] {1, 0, 0, 0, 1, 0});
    return new StnWeights(init);
  }

  private static float[] uniform(Random random, int n, float bound) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (random.nextFloat() * 2 - 1) * bound;
    }
    return a;
  }

  /** A copy of one parameter's values, row-major in its {@link StnParameter#shape()}. */
  public float[] get(StnParameter parameter) {
    return values.get(parameter).clone();
  }

  /** Total number of scalars (39,884). */
  public int size() {
    return StnParameter.TOTAL_SIZE;
  }

  /**
   * Hex SHA-256 of every parameter as little-endian float32, in {@link StnParameter} order: the
   * checksum stored in checkpoints and in the ONNX metadata.
   */
  public String sha256() {
    ByteBuffer buffer =
        ByteBuffer.allocate(StnParameter.TOTAL_SIZE * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (StnParameter p : StnParameter.values()) {
      buffer.asFloatBuffer().put(values.get(p));
      buffer.position(buffer.position() + p.size() * Float.BYTES);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(buffer.array()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
