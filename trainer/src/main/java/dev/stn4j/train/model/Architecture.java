package dev.stn4j.train.model;

import java.util.Arrays;
import java.util.List;

/**
 * Which network a model is: the seed's spatial transformer network, or the same classifier alone (θ
 * fixed to the identity, no localization network), the baseline that shows what the transformer
 * adds. The key is the checkpoint's {@code architecture}; the exporter writes the model contract's
 * {@code stn4j.architecture} of the same name.
 *
 * <pre>{@code
 * List<StnParameter> p = Architecture.CNN.parameters();    // the 8 cls.* tensors
 * int count = Architecture.CNN.parameterCount(StnShape.CIFAR10);
 * }</pre>
 */
public enum Architecture {
  /** Localization network, affine grid and sampler, classifier: all 16 parameters. */
  STN("stn", "spatial transformer network"),
  /** The classifier alone, on the input image as it is: the 8 {@code cls.*} parameters. */
  CNN("cnn", "plain CNN (no spatial transformer)");

  private final String key;
  private final String description;
  private final List<StnParameter> parameters;

  Architecture(String key, String description) {
    this.key = key;
    this.description = description;
    this.parameters =
        Arrays.stream(StnParameter.values())
            .filter(p -> key.equals("stn") || !p.isLocalization())
            .toList();
  }

  /** {@code "stn"} or {@code "cnn"}, as stored in models and checkpoints. */
  public String key() {
    return key;
  }

  /** What it is, in a few words, e.g. {@code "plain CNN (no spatial transformer)"}. */
  public String description() {
    return description;
  }

  /** Whether θ is learnt (true) or the identity (false). */
  public boolean hasTransformer() {
    return this == STN;
  }

  /** Its parameters, in the canonical {@link StnParameter} order. */
  public List<StnParameter> parameters() {
    return parameters;
  }

  /** Scalars over its parameters at {@code shape}: 39,884 (STN) or 31,340 (CNN) for CIFAR-10. */
  public int parameterCount(StnShape shape) {
    return parameters.stream().mapToInt(p -> p.size(shape)).sum();
  }

  /**
   * The architecture called {@code key}.
   *
   * @throws IllegalArgumentException naming the key and the known ones
   */
  public static Architecture byKey(String key) {
    for (Architecture a : values()) {
      if (a.key.equals(key)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown architecture \"" + key + "\" (this build knows \"stn\" and \"cnn\")");
  }
}
