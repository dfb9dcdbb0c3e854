package dev.stn4j.train;

import dev.stn4j.train.model.Architecture;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;
import java.util.ArrayList;
import java.util.List;

/**
 * The layer table of {@code stn train --summary}, in the seed's (torchsummary's) format. Output
 * shapes are derived layer by layer from the S×S input and the kernel shapes in {@link
 * StnParameter} (valid convolutions, 2×2 pooling), and parameter counts are summed from it, so the
 * table cannot drift from the model.
 *
 * <pre>{@code
 * System.out.print(ModelSummary.table(new StnShape(64, 3)));
 * }</pre>
 */
final class ModelSummary {
  private record Row(String layer, String shape, long params) {}

  private static final int CHANNELS = 3;

  private final List<Row> rows = new ArrayList<>();
  private final StnShape shape;
  private long channels = CHANNELS;
  private long height;
  private long width;
  private long features;

  private ModelSummary(StnShape shape) {
    this.shape = shape;
    this.height = shape.imageSize();
    this.width = shape.imageSize();
  }

  /** The table of CIFAR-10's model. */
  static String table() {
    return table(StnShape.CIFAR10);
  }

  /** The table of the STN of {@code shape}. */
  static String table(StnShape shape) {
    return table(Architecture.STN, shape);
  }

  /** The table of the model of {@code architecture} and {@code shape}. */
  static String table(Architecture architecture, StnShape shape) {
    ModelSummary s = new ModelSummary(shape);
    if (architecture.hasTransformer()) {
      s.localization();
    }
    // The seed's classifier pools and activates functionally (F.max_pool2d, F.relu), so
    // torchsummary lists no rows for them; they still shape what follows.
    s.conv(StnParameter.CLS_CONV1_WEIGHT, StnParameter.CLS_CONV1_BIAS);
    s.unlistedPool();
    s.conv(StnParameter.CLS_CONV2_WEIGHT, StnParameter.CLS_CONV2_BIAS);
    s.add("Dropout2d", 0);
    s.unlistedPool();
    s.linear(StnParameter.CLS_FC1_WEIGHT, StnParameter.CLS_FC1_BIAS);
    s.linear(StnParameter.CLS_FC2_WEIGHT, StnParameter.CLS_FC2_BIAS);
    return s.render(architecture);
  }

  /** The localization network's rows, then the sampler's, which restores the image's shape. */
  private void localization() {
    conv(StnParameter.LOC_CONV1_WEIGHT, StnParameter.LOC_CONV1_BIAS);
    pool();
    relu();
    conv(StnParameter.LOC_CONV2_WEIGHT, StnParameter.LOC_CONV2_BIAS);
    pool();
    relu();
    linear(StnParameter.LOC_FC1_WEIGHT, StnParameter.LOC_FC1_BIAS);
    relu();
    linear(StnParameter.LOC_FC2_WEIGHT, StnParameter.LOC_FC2_BIAS);
    // The sampler warps the (normalised) input image, so the classifier starts from its shape.
    channels = CHANNELS;
    height = shape.imageSize();
    width = shape.imageSize();
    features = 0;
    add("AffineGridSample", 0);
  }

  private void conv(StnParameter weight, StnParameter bias) {
    long[] w = weight.shape(shape);
    if (w[1] != channels) {
      throw new IllegalStateException(weight.key() + " expects " + w[1] + " input channels");
    }
    channels = w[0];
    height = height - w[2] + 1;
    width = width - w[3] + 1;
    add("Conv2d", (long) weight.size(shape) + bias.size(shape));
  }

  private void pool() {
    unlistedPool();
    add("MaxPool2d", 0);
  }

  private void unlistedPool() {
    height /= 2;
    width /= 2;
  }

  private void relu() {
    add("ReLU", 0);
  }

  private void linear(StnParameter weight, StnParameter bias) {
    long[] w = weight.shape(shape);
    long in = features > 0 ? features : channels * height * width;
    if (w[1] != in) {
      throw new IllegalStateException(weight.key() + " expects " + w[1] + " inputs, gets " + in);
    }
    features = w[0];
    add("Linear", (long) weight.size(shape) + bias.size(shape));
  }

  private void add(String type, long params) {
    String shape =
        features > 0
            ? "[-1, " + features + "]"
            : "[-1, " + channels + ", " + height + ", " + width + "]";
    rows.add(new Row(type + "-" + (rows.size() + 1), shape, params));
  }

  private String render(Architecture architecture) {
    long total = rows.stream().mapToLong(Row::params).sum();
    String rule = "-".repeat(64);
    StringBuilder out = new StringBuilder();
    out.append(rule).append('\n');
    out.append(String.format("%24s %25s %15s%n", "Layer (type)", "Output Shape", "Param #"));
    out.append("=".repeat(64)).append('\n');
    for (Row r : rows) {
      out.append(String.format("%24s %25s %,15d%n", r.layer(), r.shape(), r.params()));
    }
    out.append("=".repeat(64)).append('\n');
    out.append(String.format("Total params: %,d%n", total));
    out.append(String.format("Trainable params: %,d%n", total));
    out.append("Non-trainable params: 0\n");
    out.append(rule).append('\n');
    int size = shape.imageSize();
    out.append("Input: [-1, " + CHANNELS + ", " + size + ", " + size + "]")
        .append(" RGB in [0,1], normalised inside the model\n");
    if (!architecture.hasTransformer()) {
      out.append("Architecture: ")
          .append(architecture.description())
          .append(": theta is the identity\n");
    }
    return out.toString();
  }
}
