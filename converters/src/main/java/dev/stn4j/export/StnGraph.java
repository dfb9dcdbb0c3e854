package dev.stn4j.export;

import ai.onnx.proto.OnnxMl.GraphProto;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.model.AffineSampler;
import dev.stn4j.train.model.Architecture;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;

/**
 * The STN as an ONNX graph: normalisation, localization network, affine grid, sampler, classifier,
 * and the three outputs of the model contract ({@code docs/model-format.md}), for the image size S
 * and class count K of the weights ({@link StnWeights#shape()}).
 */
final class StnGraph {
  /** Symbolic batch dimension of the input and the outputs. */
  static final String BATCH = "N";

  private static final int C = 3;

  private static final ConvLayers.Trunk LOCALIZATION =
      new ConvLayers.Trunk(
          StnParameter.LOC_CONV1_WEIGHT,
          StnParameter.LOC_CONV1_BIAS,
          StnParameter.LOC_CONV2_WEIGHT,
          StnParameter.LOC_CONV2_BIAS,
          StnParameter.LOC_FC1_WEIGHT,
          StnParameter.LOC_FC1_BIAS);
  static final ConvLayers.Trunk CLASSIFIER =
      new ConvLayers.Trunk(
          StnParameter.CLS_CONV1_WEIGHT,
          StnParameter.CLS_CONV1_BIAS,
          StnParameter.CLS_CONV2_WEIGHT,
          StnParameter.CLS_CONV2_BIAS,
          StnParameter.CLS_FC1_WEIGHT,
          StnParameter.CLS_FC1_BIAS);

  private StnGraph() {}

  /**
   * @param normalization the statistics the weights were trained with
   * @param channelBlock each convolution's output channels are zero-padded up to a multiple of this
   *     (1: none); see {@link ConvLayers}
   */
  static GraphProto build(StnWeights weights, Normalization normalization, int channelBlock) {
    return build(
        weights, normalization, channelBlock, new FloatClassifier(weights.shape(), channelBlock));
  }

  /**
   * The classifier half of the graph, from the sampled image to the logits: float as trained
   * ({@link FloatClassifier}), or int8 ({@link QuantizedClassifier}), whose parameters are not the
   * trainer's float initializers.
   */
  interface Classifier {
    /** Whether this classifier stores {@code p} itself instead of as the trainer's float tensor. */
    boolean storesItself(StnParameter p);

    /**
     * Adds the classifier's nodes reading {@code sampled} (the sampled image centred on the mean,
     * {@code [N,3,S,S]}) and returns the logits {@code [N,K]}.
     */
    String logits(GraphBuilder g, String sampled, String std);

    /** Called last, once the contract's outputs are declared (e.g. to add outputs of its own). */
    default void finish(GraphBuilder g) {}
  }

  /**
   * The graph with the localization network, affine grid and sampler in float (channel-padded to
   * {@code channelBlock}) and the given classifier.
   */
  static GraphProto build(
      StnWeights weights, Normalization normalization, int channelBlock, Classifier classifier) {
    StnShape shape = weights.shape();
    int side = shape.imageSize();
    GraphBuilder g = new GraphBuilder("stn4j_" + weights.architecture().key());
    for (StnParameter p : weights.architecture().parameters()) {
      if (!classifier.storesItself(p)) {
        g.initializer(p.key(), weights.get(p), p.shape(shape));
      }
    }
    String mean = g.initializer("normalization.mean", normalization.mean(), 1, C, 1, 1);
    String std = g.initializer("normalization.std", normalization.std(), 1, C, 1, 1);
    if (weights.architecture() == Architecture.CNN) {
      return classifierAlone(g, shape, mean, std, classifier);
    }
    String baseGrid =
        g.initializer("grid.base", AffineSampler.baseGrid(side, side), (long) side * side, 3);
    ConvLayers layers = new ConvLayers(g, channelBlock, shape);

    String image = g.input(ModelFormat.INPUT_IMAGE, BATCH, C, side, side);
    // The normalisation (x − mean)/std is folded (docs/model-format.md, "Folded normalisation"):
    // only the mean is subtracted at run time, the 1/std goes into the weights of the two
    // convolutions that read the image (Div of two constants, which ONNX Runtime folds at load),
    // so the sampler works on (x − mean) and the warped output is the sample plus the mean.
    String centred = g.sub(image, mean);

    // Localization network → θ [N,2,3].
    String loc = layers.trunk(centred, std, LOCALIZATION);
    String theta6 = g.gemm(loc, key(StnParameter.LOC_FC2_WEIGHT), key(StnParameter.LOC_FC2_BIAS));
    String theta = g.reshape(theta6, "shape.theta", -1, 2, 3);

    // affine_grid as one product: [H·W,3] · θᵀ [N,3,2] → [N,H·W,2] → [N,H,W,2].
    String grid = g.matMul(baseGrid, g.transpose(theta, 0, 2, 1));
    grid = g.reshape(grid, "shape.grid", -1, side, side, 2);
    String sampled = g.gridSample(centred, grid);

    String logits = classifier.logits(g, sampled, std);

    g.output(ModelFormat.OUTPUT_PROBABILITIES, g.softmax(logits), BATCH, shape.classes());
    g.output(ModelFormat.OUTPUT_THETA, theta, BATCH, 2, 3);
    g.output(ModelFormat.OUTPUT_WARPED, g.add(sampled, mean), BATCH, C, side, side);
    classifier.finish(g);
    return g.build();
  }

  /**
   * The {@code cnn} architecture: the classifier on the image itself, with the STN's outputs, so
   * every reader takes it unchanged: θ the identity for every image, {@code warped} the input.
   */
  private static GraphProto classifierAlone(
      GraphBuilder g, StnShape shape, String mean, String std, Classifier classifier) {
    int side = shape.imageSize();
    String identity = g.initializer("theta.identity", new float[] {1, 0, 0, 0, 1, 0}, 1, 2, 3);
    String image = g.input(ModelFormat.INPUT_IMAGE, BATCH, C, side, side);
    String logits = classifier.logits(g, g.sub(image, mean), std);
    g.output(ModelFormat.OUTPUT_PROBABILITIES, g.softmax(logits), BATCH, shape.classes());
    g.output(ModelFormat.OUTPUT_THETA, g.repeatPerItem(identity, image, 2, 3), BATCH, 2, 3);
    g.output(ModelFormat.OUTPUT_WARPED, g.identity(image), BATCH, C, side, side);
    classifier.finish(g);
    return g.build();
  }

  static String key(StnParameter p) {
    return p.key();
  }

  /** The classifier as trained, in float32 (its channels padded like the localization's). */
  static final class FloatClassifier implements Classifier {
    private final StnShape shape;
    private final int channelBlock;

    FloatClassifier(StnShape shape, int channelBlock) {
      this.shape = shape;
      this.channelBlock = channelBlock;
    }

    @Override
    public boolean storesItself(StnParameter p) {
      return false;
    }

    @Override
    public String logits(GraphBuilder g, String sampled, String std) {
      // Its dropout layers are the identity at inference and are left out.
      String cls = new ConvLayers(g, channelBlock, shape).trunk(sampled, std, CLASSIFIER);
      return g.gemm(cls, key(StnParameter.CLS_FC2_WEIGHT), key(StnParameter.CLS_FC2_BIAS));
    }
  }
}
