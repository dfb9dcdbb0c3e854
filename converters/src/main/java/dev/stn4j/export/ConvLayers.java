package dev.stn4j.export;

import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;

/**
 * The Conv → Relu → MaxPool stages of the graph, with each convolution's output channels
 * zero-padded up to a multiple of a channel block (docs/model-format.md, "Channels padded to the
 * NCHWc block").
 *
 * <p>Why: on x86, ONNX Runtime runs convolutions in a blocked layout (NCHWc; 16 channels per block
 * with AVX-512, 8 with AVX2) and converts a following MaxPool to that layout only when the channel
 * count is a whole number of blocks. With the trainer's 8, 10, 10 and 20 channels every
 * convolution's output was reordered back to plain NCHW before its pooling; padded, the pooling
 * runs blocked and the reorder moves after it, on a quarter of the values, which is faster at every
 * batch size. The computed values are the same: the extra filters and biases are zero, stay zero
 * through ReLU and MaxPool, and are cut off again ({@code Slice}) before a convolution, or meet
 * zero weight columns in the fully connected layer that follows. The padding is {@code Pad} on the
 * trainer's initializers, which ONNX Runtime evaluates once at load, so the initializers keep the
 * trainer's values and shapes.
 *
 * <p>A runtime without the blocked layout (CUDA, ARM CPUs, ONNX Runtime below ALL_OPT) computes the
 * zero channels literally; export with block 1 for such targets.
 */
final class ConvLayers {
  private final GraphBuilder g;
  private final int block;
  private final StnShape shape;

  /**
   * @param block output channels are padded to a multiple of this; 1 leaves them as trained
   * @param shape the model's shape, which fixes the fully connected layers' inputs
   */
  ConvLayers(GraphBuilder g, int block, StnShape shape) {
    if (block < 1) {
      throw new IllegalArgumentException("channel block must be at least 1, got " + block);
    }
    this.g = g;
    this.block = block;
    this.shape = shape;
  }

  /** The parameters of conv → conv → fully connected, the start of both networks of the STN. */
  record Trunk(
      StnParameter conv1Weight,
      StnParameter conv1Bias,
      StnParameter conv2Weight,
      StnParameter conv2Bias,
      StnParameter fcWeight,
      StnParameter fcBias) {}

  /**
   * Conv (its weight ÷ {@code std}, the folded normalisation) → Relu → MaxPool → Conv → Relu →
   * MaxPool → Flatten → Gemm → Relu, from an image centred on the mean.
   */
  String trunk(String centredImage, String std, Trunk p) {
    String x =
        convReluPool(
            centredImage,
            g.div(StnGraph.key(p.conv1Weight()), std),
            p.conv1Weight(),
            p.conv1Bias(),
            true);
    x = convReluPool(x, StnGraph.key(p.conv2Weight()), p.conv2Weight(), p.conv2Bias(), false);
    return g.relu(
        g.gemm(
            g.flatten(x),
            fullyConnectedWeight(p.fcWeight(), p.conv2Weight()),
            StnGraph.key(p.fcBias())));
  }

  /**
   * Conv → Relu → 2×2 MaxPool, equal to PyTorch's relu(max_pool2d(conv(x), 2)): Relu comes first
   * (the same numbers, ReLU is monotonic) so that ONNX Runtime fuses it into the convolution.
   *
   * @param weight the weight value to use (the parameter itself, or computed from it)
   * @param shapeOf the parameter {@code weight} has the shape of
   * @param sliceBack whether a convolution follows, which must see the trained channels only
   */
  private String convReluPool(
      String x, String weight, StnParameter shapeOf, StnParameter bias, boolean sliceBack) {
    long channels = shapeOf.shape(shape)[0];
    long extra = padded(channels) - channels;
    String w = extra == 0 ? weight : g.padEnd(weight, 4, 0, extra);
    String b = extra == 0 ? StnGraph.key(bias) : g.padEnd(StnGraph.key(bias), 1, 0, extra);
    String pooled = g.maxPool2(g.relu(g.conv(x, w, b)));
    return sliceBack && extra > 0 ? g.slice(pooled, 1, 0, channels) : pooled;
  }

  /**
   * The weight of the fully connected layer that reads the flattened output of {@code conv}: zero
   * columns for the padded channels, which flatten (channel-major) after the trained ones.
   */
  private String fullyConnectedWeight(StnParameter fc, StnParameter conv) {
    long channels = conv.shape(shape)[0];
    long extra = padded(channels) - channels;
    if (extra == 0) {
      return StnGraph.key(fc);
    }
    long perChannel = fc.shape(shape)[1] / channels;
    return g.padEnd(StnGraph.key(fc), 2, 1, extra * perChannel);
  }

  private long padded(long channels) {
    return (channels + block - 1) / block * block;
  }
}
