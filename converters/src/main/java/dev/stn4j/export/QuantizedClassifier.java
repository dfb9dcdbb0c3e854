package dev.stn4j.export;

import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The classifier half of the STN in ONNX's QDQ form (docs/model-format.md, "Int8 models"), or, for
 * calibration, the same network in float with the tensors that will be quantized as extra outputs.
 *
 * <p>int8: every convolution and fully connected layer reads {@code DequantizeLinear} of int8
 * activations and of int8 weights (symmetric, one scale per output channel, in the options' {@link
 * Int8.WeightRange}) and an int32 bias; its ReLU output is quantized again ({@code QuantizeLinear →
 * DequantizeLinear}), and max pooling and flattening sit between two such pairs with the same
 * parameters. ONNX Runtime fuses these patterns into its integer kernels ({@code QLinearConv}, int8
 * {@code MaxPool}, {@code QGemm}) when it loads the model; the last layer's logits stay float for
 * the softmax. The localization network, the affine grid and the sampler are not here: they stay
 * float (θ steers the sampler).
 *
 * <p>Channels are not padded to the NCHWc block: that layout is ONNX Runtime's float convolution's;
 * its integer convolution works on plain channel counts.
 */
final class QuantizedClassifier implements StnGraph.Classifier {
  /** The activations that are quantized: each is the input of a quantized layer. */
  enum Tap {
    /** The sampled image (centred), the first convolution's input: {@code [3,S,S]}. */
    SAMPLED,
    /** ReLU of the first convolution (and, pooled, the second's input): {@code [10,S-4,S-4]}. */
    CONV1,
    /**
     * ReLU of the second convolution (pooled and flattened: the first Gemm's input): {@code
     * [20,c,c]}, {@code c = (S-4)/2 - 4}.
     */
    CONV2,
    /** ReLU of the first fully connected layer, the second's input: {@code [50]}. */
    FC1;

    /** The graph output that carries this tensor in the calibration graph. */
    String outputName() {
      return "calibration." + name().toLowerCase(Locale.ROOT);
    }

    /** The tensor's dimensions for one image of a model of the given shape. */
    int[] dims(StnShape shape) {
      int side = shape.imageSize();
      int conv2 = (side - 4) / 2 - 4;
      return switch (this) {
        case SAMPLED -> new int[] {3, side, side};
        case CONV1 -> new int[] {10, side - 4, side - 4};
        case CONV2 -> new int[] {20, conv2, conv2};
        case FC1 -> new int[] {50};
      };
    }

    Object[] graphDims(StnShape shape) {
      int[] dims = dims(shape);
      Object[] d = new Object[dims.length + 1];
      d[0] = StnGraph.BATCH;
      for (int i = 0; i < dims.length; i++) {
        d[i + 1] = dims[i];
      }
      return d;
    }
  }

  private final StnWeights weights;
  private final StnShape shape;
  private final Normalization normalization;
  private final ActivationRanges ranges; // null: the float calibration graph
  private final boolean floatFirstConv;
  private final Int8.WeightRange weightRange;
  private final Map<Tap, String> tapped = new EnumMap<>(Tap.class);
  private final Map<Tap, String[]> activationParams = new EnumMap<>(Tap.class);

  private QuantizedClassifier(
      StnWeights weights,
      Normalization normalization,
      ActivationRanges ranges,
      Int8Quantizer.Options options) {
    this.weights = weights;
    this.shape = weights.shape();
    this.normalization = Objects.requireNonNull(normalization, "normalization");
    this.ranges = ranges;
    this.floatFirstConv = options.floatFirstConv();
    this.weightRange = options.weightRange();
  }

  /**
   * The int8 classifier with activations quantized to {@code ranges}.
   *
   * @param normalization the statistics the weights were trained with (the first convolution's
   *     weight is divided by their std before it is quantized)
   * @param options whether the first convolution (3 input channels) and its pooling stay float
   *     (ONNX Runtime's int8 kernels are slower than its float ones on so few channels), and the
   *     int8 weights' range
   */
  static QuantizedClassifier int8(
      StnWeights weights,
      Normalization normalization,
      ActivationRanges ranges,
      Int8Quantizer.Options options) {
    return new QuantizedClassifier(
        weights,
        normalization,
        Objects.requireNonNull(ranges, "ranges"),
        Objects.requireNonNull(options, "options"));
  }

  /**
   * The float classifier (the trained function, unpadded) whose graph also outputs every {@link
   * Tap}, named {@link Tap#outputName()}, for calibration.
   */
  static QuantizedClassifier calibration(StnWeights weights, Normalization normalization) {
    return new QuantizedClassifier(weights, normalization, null, Int8Quantizer.Options.DEFAULT);
  }

  @Override
  public boolean storesItself(StnParameter p) {
    return !p.isLocalization();
  }

  @Override
  public String logits(GraphBuilder g, String sampled, String std) {
    String x;
    if (floatFirstConv) {
      // As in the float model: the trainer's weight, divided by std in the graph.
      String w =
          g.div(
              g.initializer(
                  StnParameter.CLS_CONV1_WEIGHT.key(),
                  weights.get(StnParameter.CLS_CONV1_WEIGHT),
                  StnParameter.CLS_CONV1_WEIGHT.shape(shape)),
              std);
      String b =
          g.initializer(
              StnParameter.CLS_CONV1_BIAS.key(),
              weights.get(StnParameter.CLS_CONV1_BIAS),
              StnParameter.CLS_CONV1_BIAS.shape(shape));
      x = g.relu(g.conv(sampled, w, b));
      x = requantized(g, g.maxPool2(x), Tap.CONV1);
    } else {
      // The folded normalisation (÷ std per input channel) goes into the weight before
      // quantizing: the same float32 division ONNX Runtime folds in the float model.
      x = quantized(g, sampled, Tap.SAMPLED);
      x = g.relu(layer(g, "Conv", x, Tap.SAMPLED, StnParameter.CLS_CONV1_WEIGHT, foldedConv1()));
      x = requantized(g, g.maxPool2(quantized(g, x, Tap.CONV1)), Tap.CONV1);
    }
    x = g.relu(layer(g, "Conv", x, Tap.CONV1, StnParameter.CLS_CONV2_WEIGHT, null));
    x = requantized(g, g.maxPool2(quantized(g, x, Tap.CONV2)), Tap.CONV2);
    x = requantized(g, g.flatten(x), Tap.CONV2);
    x = g.relu(layer(g, "Gemm", x, Tap.CONV2, StnParameter.CLS_FC1_WEIGHT, null));
    x = quantized(g, x, Tap.FC1);
    // No quantization after the last layer: float logits for the softmax.
    return layer(g, "Gemm", x, Tap.FC1, StnParameter.CLS_FC2_WEIGHT, null);
  }

  @Override
  public void finish(GraphBuilder g) {
    if (ranges == null) {
      tapped.forEach((tap, value) -> g.output(tap.outputName(), value, tap.graphDims(shape)));
    }
  }

  /** The first quantization of an activation (calibration: the tensor is recorded). */
  private String quantized(GraphBuilder g, String x, Tap tap) {
    if (ranges == null) {
      tapped.put(tap, x);
      return x;
    }
    return requantized(g, x, tap);
  }

  /**
   * {@code QuantizeLinear → DequantizeLinear} with the parameters of {@code tap}; around max
   * pooling and flattening, which ONNX Runtime then runs on int8 (their output range is their
   * input's).
   */
  private String requantized(GraphBuilder g, String x, Tap tap) {
    if (ranges == null) {
      return x;
    }
    String[] p = activationParams.computeIfAbsent(tap, t -> activationConstants(g, t));
    return g.dequantizeLinear(g.quantizeLinear(x, p[0], p[1]), p[0], p[1]);
  }

  private String[] activationConstants(GraphBuilder g, Tap tap) {
    Int8.Activation a = ranges.activation(tap);
    String name = "quant." + tap.name().toLowerCase(Locale.ROOT);
    return new String[] {
      g.initializer(name + ".scale", new float[] {a.scale()}),
      g.constant(OnnxInitializers.int8Tensor(name + ".zero_point", new byte[] {a.zeroPoint()}))
    };
  }

  /**
   * A Conv or Gemm ({@code transB=1}) of parameter {@code weight} and its bias: float in the
   * calibration graph, else int8 weights and int32 bias behind {@code DequantizeLinear}.
   *
   * @param values the weight's values if not the trainer's (the folded first convolution)
   */
  private String layer(
      GraphBuilder g, String op, String x, Tap input, StnParameter weight, float[] values) {
    if (ranges == null) {
      return floatLayer(g, op, x, weight, values);
    }
    StnParameter bias = StnParameter.values()[weight.ordinal() + 1];
    float[] w = values != null ? values : weights.get(weight);
    long[] dims = weight.shape(shape);
    Int8.ChannelWeights q = Int8.perChannel(w, (int) dims[0], weightRange);
    float inputScale = ranges.activation(input).scale();
    // The zero point (all 0) is written out: without it ONNX Runtime 1.28 does not fuse a QDQ
    // Gemm into its integer QGemm (measured; it does for Conv).
    String wName =
        g.dequantizeLinear(
            g.constant(OnnxInitializers.int8Tensor(weight.key() + ".int8", q.values(), dims)),
            g.initializer(weight.key() + ".scale", q.scales(), dims[0]),
            g.constant(
                OnnxInitializers.int8Tensor(
                    weight.key() + ".zero_point", new byte[(int) dims[0]], dims[0])),
            0);
    String bName =
        g.dequantizeLinear(
            g.constant(
                OnnxInitializers.int32Tensor(
                    bias.key() + ".int32",
                    Int8.bias(weights.get(bias), inputScale, q.scales()),
                    dims[0])),
            g.initializer(bias.key() + ".scale", Int8.biasScales(inputScale, q.scales()), dims[0]),
            0);
    return op.equals("Conv") ? g.conv(x, wName, bName) : g.gemmExplicit(x, wName, bName);
  }

  /**
   * The layer in float32, its weight the trainer's or {@code values} (stored as {@code .folded}).
   */
  private String floatLayer(
      GraphBuilder g, String op, String x, StnParameter weight, float[] values) {
    StnParameter bias = StnParameter.values()[weight.ordinal() + 1];
    float[] w = values != null ? values : weights.get(weight);
    String wName =
        g.initializer(weight.key() + (values != null ? ".folded" : ""), w, weight.shape(shape));
    String bName = g.initializer(bias.key(), weights.get(bias), bias.shape(shape));
    return op.equals("Conv") ? g.conv(x, wName, bName) : g.gemm(x, wName, bName);
  }

  /** {@code cls.conv1.weight ÷ std} per input channel, in float32. */
  private float[] foldedConv1() {
    float[] w = weights.get(StnParameter.CLS_CONV1_WEIGHT).clone();
    float[] std = normalization.std();
    int perInputChannel = 5 * 5;
    for (int i = 0; i < w.length; i++) {
      w[i] /= std[(i / perInputChannel) % std.length];
    }
    return w;
  }
}
