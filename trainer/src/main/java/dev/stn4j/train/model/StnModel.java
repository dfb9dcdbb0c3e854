package dev.stn4j.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The STN in DJL, built from engine-free weights: normalisation, localization network, affine
 * sampler and classifier, as functional operations on explicit parameter arrays. Its image size and
 * class count are the weights' {@link StnShape}; for {@link Architecture#CNN} weights it is the
 * classifier alone, on the normalised image, with θ the identity. Owns its parameters' NDArrays (in
 * a sub-manager of the one given) until {@link #close()}.
 *
 * <pre>{@code
 * Engine.getEngine("PyTorch");
 * StnWeights weights = StnWeights.initial(new StnShape(64, 3), 42);
 * try (NDManager manager = NDManager.newBaseManager();
 *     StnModel model = StnModel.create(manager, weights, Normalization.CIFAR10)) {
 *   StnModel.Output out = model.forward(images, false); // images [N,3,64,64], RGB in [0,1]
 *   float[] probabilities = out.probabilities().toFloatArray();
 * }
 * }</pre>
 */
public final class StnModel implements AutoCloseable {
  private static final Shape POOL = new Shape(2, 2);
  private static final Shape NO_PADDING = new Shape(0, 0);

  private final NDManager manager;
  private final Architecture architecture;
  private final StnShape shape;
  private final EnumMap<StnParameter, NDArray> parameters;
  private final NDArray mean;
  private final NDArray std;
  private final float convDropout;
  private final float fcDropout;
  private SplittableRandom dropoutRandom;
  private boolean closed;

  private StnModel(
      NDManager manager,
      StnWeights weights,
      Normalization normalization,
      float convDropout,
      float fcDropout) {
    this.manager = manager;
    this.architecture = weights.architecture();
    this.shape = weights.shape();
    this.convDropout = convDropout;
    this.fcDropout = fcDropout;
    this.dropoutRandom = new SplittableRandom(0);
    this.parameters = new EnumMap<>(StnParameter.class);
    for (StnParameter p : architecture.parameters()) {
      parameters.put(p, engineOwned(manager.create(weights.get(p), new Shape(p.shape(shape)))));
    }
    this.mean = engineOwned(manager.create(normalization.mean(), new Shape(1, 3, 1, 1)));
    this.std = engineOwned(manager.create(normalization.std(), new Shape(1, 3, 1, 1)));
  }

  /**
   * A copy of {@code fromJava} in memory allocated by the engine, closing the original. An array
   * created from Java data is a tensor over a direct buffer that lives only as long as its Java
   * wrapper; autograd may keep the tensor for the backward pass after the wrapper is gone (DJL's
   * {@code mul(Number)} does exactly that), and then reads freed memory. Engine-owned copies are
   * safe to keep anywhere.
   */
  public static NDArray engineOwned(NDArray fromJava) {
    NDArray copy = fromJava.duplicate();
    fromJava.close();
    return copy;
  }

  /**
   * A model with the given weights, CIFAR-10's normalisation and no dropout; its arrays live in a
   * sub-manager of {@code manager}.
   */
  public static StnModel create(NDManager manager, StnWeights weights) {
    return create(manager, weights, Normalization.CIFAR10, 0f, 0f);
  }

  /**
   * A model with the given weights, CIFAR-10's normalisation and dropout rates, applied only by
   * {@code forward(x, true)}.
   */
  public static StnModel create(
      NDManager manager, StnWeights weights, float convDropout, float fcDropout) {
    return create(manager, weights, Normalization.CIFAR10, convDropout, fcDropout);
  }

  /** A model with the given weights and input normalisation, and no dropout. */
  public static StnModel create(
      NDManager manager, StnWeights weights, Normalization normalization) {
    return create(manager, weights, normalization, 0f, 0f);
  }

  /**
   * A model with the given weights, input normalisation and dropout rates, applied only by {@code
   * forward(x, true)}.
   *
   * @param convDropout channel dropout after the classifier's second convolution (the seed's
   *     Dropout2d), in [0,1)
   * @param fcDropout dropout after the classifier's first linear layer, in [0,1)
   */
  public static StnModel create(
      NDManager manager,
      StnWeights weights,
      Normalization normalization,
      float convDropout,
      float fcDropout) {
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(normalization, "normalization");
    checkRate("convDropout", convDropout);
    checkRate("fcDropout", fcDropout);
    return new StnModel(manager.newSubManager(), weights, normalization, convDropout, fcDropout);
  }

  /** The image size and class count of this model. */
  public StnShape shape() {
    return shape;
  }

  /** The network: the STN, or its classifier alone. */
  public Architecture architecture() {
    return architecture;
  }

  private static void checkRate(String name, float rate) {
    if (!(rate >= 0f && rate < 1f)) {
      throw new IllegalArgumentException(name + " must be in [0,1), got " + rate);
    }
  }

  /**
   * Runs the network.
   *
   * @param images float32 {@code [N,3,S,S]}, RGB in [0,1], S the model's image size
   * @param training true applies dropout (masks drawn from {@link #reseedDropout})
   */
  public Output forward(NDArray images, boolean training) {
    checkOpen();
    Shape in = images.getShape();
    int s = shape.imageSize();
    if (in.dimension() != 4 || in.get(1) != 3 || in.get(2) != s || in.get(3) != s) {
      throw new IllegalArgumentException("images must be [N,3," + s + "," + s + "], got " + in);
    }
    long n = in.get(0);
    NDArray x = images.sub(mean).div(std);
    NDArray theta;
    NDArray warped;
    if (architecture.hasTransformer()) {
      theta = localize(x, n);
      warped = AffineSampler.sample(x, theta);
    } else {
      theta = identityTheta(images.getManager(), n);
      warped = x;
    }

    NDArray cls = conv(warped, StnParameter.CLS_CONV1_WEIGHT, StnParameter.CLS_CONV1_BIAS);
    cls = Activation.relu(maxPool(cls));
    cls = conv(cls, StnParameter.CLS_CONV2_WEIGHT, StnParameter.CLS_CONV2_BIAS);
    if (training && convDropout > 0f) {
      cls = cls.mul(dropoutMask(images.getManager(), new Shape(n, 20, 1, 1), convDropout));
    }
    cls = Activation.relu(maxPool(cls)).reshape(n, shape.clsFeatures());
    cls = Activation.relu(linear(cls, StnParameter.CLS_FC1_WEIGHT, StnParameter.CLS_FC1_BIAS));
    if (training && fcDropout > 0f) {
      cls = cls.mul(dropoutMask(images.getManager(), new Shape(n, 50), fcDropout));
    }
    NDArray logits = linear(cls, StnParameter.CLS_FC2_WEIGHT, StnParameter.CLS_FC2_BIAS);
    return new Output(logits, logits.softmax(1), theta, warped);
  }

  private NDArray localize(NDArray x, long n) {
    NDArray loc = conv(x, StnParameter.LOC_CONV1_WEIGHT, StnParameter.LOC_CONV1_BIAS);
    loc = Activation.relu(maxPool(loc));
    loc = conv(loc, StnParameter.LOC_CONV2_WEIGHT, StnParameter.LOC_CONV2_BIAS);
    loc = Activation.relu(maxPool(loc)).reshape(n, shape.locFeatures());
    loc = Activation.relu(linear(loc, StnParameter.LOC_FC1_WEIGHT, StnParameter.LOC_FC1_BIAS));
    return linear(loc, StnParameter.LOC_FC2_WEIGHT, StnParameter.LOC_FC2_BIAS).reshape(n, 2, 3);
  }

  /** θ of the classifier alone: the identity for each of the {@code n} images. */
  private static NDArray identityTheta(NDManager target, long n) {
    float[] identity = new float[(int) n * 6];
    for (int i = 0; i < n; i++) {
      identity[i * 6] = 1;
      identity[i * 6 + 4] = 1;
    }
    return engineOwned(target.create(identity, new Shape(n, 2, 3)));
  }

  /**
   * Restarts the dropout masks' random sequence, so a run (and a resumed run) is repeatable. Masks
   * are drawn in Java rather than by the engine because the engine's RNG state cannot be saved.
   */
  public void reseedDropout(long seed) {
    checkOpen();
    dropoutRandom = new SplittableRandom(seed);
  }

  private NDArray dropoutMask(NDManager target, Shape shape, float rate) {
    float[] mask = new float[(int) shape.size()];
    float keep = 1f / (1f - rate);
    for (int i = 0; i < mask.length; i++) {
      mask[i] = dropoutRandom.nextDouble() < rate ? 0f : keep;
    }
    return engineOwned(target.create(mask, shape));
  }

  private NDArray conv(NDArray x, StnParameter weight, StnParameter bias) {
    return Conv2d.conv2d(x, parameters.get(weight), parameters.get(bias)).singletonOrThrow();
  }

  private NDArray linear(NDArray x, StnParameter weight, StnParameter bias) {
    return Linear.linear(x, parameters.get(weight), parameters.get(bias)).singletonOrThrow();
  }

  private static NDArray maxPool(NDArray x) {
    return Pool.maxPool2d(x, POOL, POOL, NO_PADDING, false);
  }

  /**
   * The live parameter array (not a copy): the trainer attaches gradients to it and updates it in
   * place. Valid until {@link #close()}.
   *
   * @throws IllegalArgumentException if the architecture has no such parameter
   */
  public NDArray parameter(StnParameter parameter) {
    checkOpen();
    NDArray p = parameters.get(parameter);
    if (p == null) {
      throw new IllegalArgumentException(
          architecture.key() + " model has no parameter " + parameter.key());
    }
    return p;
  }

  /** Copies the current parameter values out of the engine. */
  public StnWeights weights() {
    checkOpen();
    Map<StnParameter, float[]> values = new EnumMap<>(StnParameter.class);
    for (Map.Entry<StnParameter, NDArray> e : parameters.entrySet()) {
      values.put(e.getKey(), e.getValue().toType(DataType.FLOAT32, false).toFloatArray());
    }
    return StnWeights.of(architecture, shape, values);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("StnModel is closed");
    }
  }

  /** Frees the parameters' native memory. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }

  /**
   * One forward pass's results, in the manager of the input images.
   *
   * @param logits {@code [N,K]}
   * @param probabilities {@code [N,K]}, softmax of the logits
   * @param theta {@code [N,2,3]}, the affine transform the localization network predicted (the
   *     identity without one)
   * @param warped {@code [N,3,S,S]} in normalised space, exactly what the classifier saw (display
   *     space is {@code warped * std + mean})
   */
  public record Output(NDArray logits, NDArray probabilities, NDArray theta, NDArray warped) {}
}
