package dev.stn4j.train.model;

import java.util.Arrays;

/**
 * The STN's 16 parameter tensors, in their canonical order, with their shapes. Convolution weights
 * are {@code [out,in,kh,kw]} and linear weights {@code [out,in]}, as in PyTorch and DJL.
 *
 * <p>This order is the contract between the trainer, checkpoints, the ONNX exporter and the
 * parameter checksum: never reorder it.
 */
public enum StnParameter {
  LOC_CONV1_WEIGHT("loc.conv1.weight", 8, 3, 7, 7),
  LOC_CONV1_BIAS("loc.conv1.bias", 8),
  LOC_CONV2_WEIGHT("loc.conv2.weight", 10, 8, 5, 5),
  LOC_CONV2_BIAS("loc.conv2.bias", 10),
  LOC_FC1_WEIGHT("loc.fc1.weight", 32, 160),
  LOC_FC1_BIAS("loc.fc1.bias", 32),
  LOC_FC2_WEIGHT("loc.fc2.weight", 6, 32),
  LOC_FC2_BIAS("loc.fc2.bias", 6),
  CLS_CONV1_WEIGHT("cls.conv1.weight", 10, 3, 5, 5),
  CLS_CONV1_BIAS("cls.conv1.bias", 10),
  CLS_CONV2_WEIGHT("cls.conv2.weight", 20, 10, 5, 5),
  CLS_CONV2_BIAS("cls.conv2.bias", 20),
  CLS_FC1_WEIGHT("cls.fc1.weight", 50, 500),
  CLS_FC1_BIAS("cls.fc1.bias", 50),
  CLS_FC2_WEIGHT("cls.fc2.weight", 10, 50),
  CLS_FC2_BIAS("cls.fc2.bias", 10);

  /** Total number of scalars over all parameters: 39,884. */
  public static final int TOTAL_SIZE = Arrays.stream(values()).mapToInt(StnParameter::size).sum();

  private final String key;
  private final long[] shape;
  private final int size;

  StnParameter(String key, long... shape) {
    this.key = key;
    this.shape = shape;
    this.size = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
  }

  /** Stable name used in checkpoints and as the ONNX initializer name. */
  public String key() {
    return key;
  }

  /** A copy of the shape. */
  public long[] shape() {
    return shape.clone();
  }

  /** Number of scalars. */
  public int size() {
    return size;
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
