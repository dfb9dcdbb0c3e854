package dev.stn4j.train.model;

import dev.stn4j.image.Preprocessor;
import java.util.Locale;

/**
 * The image side S and class count K of the seed's network: everything that varies between STN
 * models. The layers are the seed's at every shape; only the inputs of the two first linear layers
 * (which see the flattened feature maps) and the classifier's output grow with S and K.
 *
 * <pre>{@code
 * StnShape shape = new StnShape(64, 3);     // 64x64 RGB images, 3 classes
 * int inputs = shape.imageValues();         // 12,288 floats per image
 * int scalars = shape.parameterCount();     // what StnWeights.initial(shape, seed).size() holds
 * }</pre>
 *
 * @param imageSize side S of the square input images, in pixels
 * @param classes number K of classes the classifier tells apart
 */
public record StnShape(int imageSize, int classes) {
  /** CIFAR-10's shape: 32x32 images, 10 classes (39,884 parameters). */
  public static final StnShape CIFAR10 = new StnShape(32, 10);

  /**
   * The smallest S both branches take. The localization branch is the tighter one: a 7x7
   * convolution, a 2x2 pooling, a 5x5 convolution and another 2x2 pooling must leave at least one
   * pixel, so {@code floor((S-6)/2) - 4 >= 2}, which first holds at S = 18 (the classifier's 5x5,
   * pool, 5x5, pool chain already works from 16).
   */
  public static final int SMALLEST_IMAGE_SIZE = 18;

  /** The largest S: the largest image the SDK's pre-processing makes. */
  public static final int LARGEST_IMAGE_SIZE = Preprocessor.MAX_SIZE;

  /**
   * @throws IllegalArgumentException if {@code classes < 2}, if the image size is outside {@link
   *     #SMALLEST_IMAGE_SIZE}..{@link #LARGEST_IMAGE_SIZE}, or if the parameters would not fit in
   *     Java arrays
   */
  public StnShape {
    if (classes < 2) {
      throw new IllegalArgumentException("a model needs at least 2 classes, got " + classes);
    }
    if (imageSize < SMALLEST_IMAGE_SIZE) {
      throw new IllegalArgumentException(
          "image size "
              + imageSize
              + " is too small for the seed's layers (7x7 and 5x5 convolutions, two 2x2 poolings"
              + " in each branch): the smallest that works is "
              + SMALLEST_IMAGE_SIZE);
    }
    if (imageSize > LARGEST_IMAGE_SIZE) {
      throw new IllegalArgumentException(
          "image size "
              + imageSize
              + " is larger than the largest supported, "
              + LARGEST_IMAGE_SIZE);
    }
    // Every parameter array, and the checkpoint's total, must stay addressable by an int.
    long total = parameterCount(imageSize, classes);
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%d classes at image size %d need %,d parameters, more than a Java array holds",
              classes,
              imageSize,
              total));
    }
  }

  /** Inputs of {@code loc.fc1}: 10 feature maps of a×a, 160 at S = 32. */
  public int locFeatures() {
    return locFeatures(imageSize);
  }

  /** Inputs of {@code cls.fc1}: 20 feature maps of b×b, 500 at S = 32. */
  public int clsFeatures() {
    return clsFeatures(imageSize);
  }

  /** Values in one input image: {@code 3*S*S}. */
  public int imageValues() {
    return 3 * imageSize * imageSize;
  }

  /** Scalars over all 16 parameters: 39,884 for {@link #CIFAR10}. */
  public int parameterCount() {
    return (int) parameterCount(imageSize, classes);
  }

  private static int locFeatures(int s) {
    int a = side(side(s, 7), 5);
    return 10 * a * a;
  }

  private static int clsFeatures(int s) {
    int b = side(side(s, 5), 5);
    return 20 * b * b;
  }

  /** The side after a valid {@code kernel}x{@code kernel} convolution and a 2x2 max pooling. */
  private static int side(int in, int kernel) {
    return (in - kernel + 1) / 2;
  }

  private static long parameterCount(int s, int k) {
    long loc = 8 * 3 * 49 + 8 + 10 * 8 * 25 + 10 + 32L * locFeatures(s) + 32 + 6 * 32 + 6;
    long cls = 10 * 3 * 25 + 10 + 20 * 10 * 25 + 20 + 50L * clsFeatures(s) + 50 + 50L * k + k;
    return loc + cls;
  }
}
