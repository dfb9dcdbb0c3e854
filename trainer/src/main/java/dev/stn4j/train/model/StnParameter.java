package dev.stn4j.train.model;

import java.util.Arrays;
import java.util.function.Function;

/**
 * The STN's 16 parameter tensors, in their canonical order, with their shapes for a given {@link
 * StnShape}. Convolution weights are {@code [out,in,kh,kw]} and linear weights {@code [out,in]}, as
 * in PyTorch and DJL. Only {@code loc.fc1.weight}, {@code cls.fc1.weight} (their inputs follow the
 * image size) and {@code cls.fc2} (its outputs are the classes) change with the shape.
 *
 * <p>This order is the contract between the trainer, checkpoints, the ONNX exporter and the
 * parameter checksum: never reorder it.
 *
 * <pre>{@code
 * long[] fc1 = StnParameter.CLS_FC1_WEIGHT.shape(StnShape.CIFAR10); // {50, 500}
 * int all = StnParameter.totalSize(new StnShape(64, 3));
 * }</pre>
 */
public enum StnParameter {
  LOC_CONV1_WEIGHT("loc.conv1.weight", fixed(8, 3, 7, 7)),
  LOC_CONV1_BIAS("loc.conv1.bias", fixed(8)),
  LOC_CONV2_WEIGHT("loc.conv2.weight", fixed(10, 8, 5, 5)),
  LOC_CONV2_BIAS("loc.conv2.bias", fixed(10)),
  LOC_FC1_WEIGHT("loc.fc1.weight", s -> new long[] {32, s.locFeatures()}),
  LOC_FC1_BIAS("loc.fc1.bias", fixed(32)),
  LOC_FC2_WEIGHT("loc.fc2.weight", fixed(6, 32)),
  LOC_FC2_BIAS("loc.fc2.bias", fixed(6)),
  CLS_CONV1_WEIGHT("cls.conv1.weight", fixed(10, 3, 5, 5)),
  CLS_CONV1_BIAS("cls.conv1.bias", fixed(10)),
  CLS_CONV2_WEIGHT("cls.conv2.weight", fixed(20, 10, 5, 5)),
  CLS_CONV2_BIAS("cls.conv2.bias", fixed(20)),
  CLS_FC1_WEIGHT("cls.fc1.weight", s -> new long[] {50, s.clsFeatures()}),
  CLS_FC1_BIAS("cls.fc1.bias", fixed(50)),
  CLS_FC2_WEIGHT("cls.fc2.weight", s -> new long[] {s.classes(), 50}),
  CLS_FC2_BIAS("cls.fc2.bias", s -> new long[] {s.classes()});

  private final String key;
  private final Function<StnShape, long[]> shape;

  StnParameter(String key, Function<StnShape, long[]> shape) {
    this.key = key;
    this.shape = shape;
  }

  private static Function<StnShape, long[]> fixed(long... dims) {
    return s -> dims.clone();
  }

  /** Stable name used in checkpoints and as the ONNX initializer name. */
  public String key() {
    return key;
  }

  /** This parameter's shape in a model of the given shape (a fresh array). */
  public long[] shape(StnShape s) {
    return shape.apply(s);
  }

  /** Number of scalars in a model of the given shape. */
  public int size(StnShape s) {
    // StnShape guarantees the total fits an int, so every part does.
    return (int) Arrays.stream(shape(s)).reduce(1, (a, b) -> a * b);
  }

  /** Scalars over all parameters of a model of the given shape: 39,884 for CIFAR-10. */
  public static int totalSize(StnShape s) {
    return Arrays.stream(values()).mapToInt(p -> p.size(s)).sum();
  }

  /** True for the localization network's parameters (trained at a lower learning rate). */
  public boolean isLocalization() {
    return key.startsWith("loc.");
  }

  /** The parameter called {@code key}, or an exception naming it. */
  public static StnParameter byKey(String key) {
    for (StnParameter p : values()) {
      if (p.key.equals(key)) {
        return p;
      }
    }
    throw new IllegalArgumentException("not an STN parameter: " + key);
  }
}
