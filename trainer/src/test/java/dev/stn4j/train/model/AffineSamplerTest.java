package dev.stn4j.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sampler against values worked out by hand from PyTorch's align_corners=false convention. */
class AffineSamplerTest {
  private NDManager manager;

  @BeforeEach
  void start() {
    manager = Engine.getEngine("PyTorch").newBaseManager();
  }

  @AfterEach
  void stop() {
    manager.close();
  }

  /** A 1×1×h×w image whose pixel (y, x) is {@code x + 10·y + 1}. */
  private NDArray ramp(int h, int w) {
    float[] v = new float[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        v[y * w + x] = x + 10 * y + 1;
      }
    }
    return manager.create(v, new Shape(1, 1, h, w));
  }

  private NDArray theta(float a, float b, float tx, float c, float d, float ty) {
    return manager.create(new float[] {a, b, tx, c, d, ty}, new Shape(1, 2, 3));
  }

  @Test
  void identityReturnsTheInput() {
    NDArray input = manager.randomUniform(0f, 1f, new Shape(2, 3, 7, 5));
    NDArray identity =
        manager.create(new float[] {1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0}, new Shape(2, 2, 3));
    assertArrayEquals(
        input.toFloatArray(), AffineSampler.sample(input, identity).toFloatArray(), 1e-5f);
  }

  @Test
  void translationByOnePixelShiftsLeftAndPadsWithZero() {
    // tx = 2/W moves every sample point one pixel right: out(x) = in(x+1); the last column
    // samples x = W, outside the image.
    NDArray out = AffineSampler.sample(ramp(2, 4), theta(1, 0, 2f / 4, 0, 1, 0));
    assertArrayEquals(new float[] {2, 3, 4, 0, 12, 13, 14, 0}, out.toFloatArray(), 1e-5f);
  }

  @Test
  void pixelTranslationsFollowTheImagesOwnHeightAndWidth() {
    // A 64×48 image: tx = 2/48 is one pixel in x and ty = 4/64 two pixels in y only if the grid is
    // built for this H and W (a grid for 32×32 would move by other amounts or fail to fit).
    int h = 64;
    int w = 48;
    NDArray input = manager.randomUniform(0f, 1f, new Shape(1, 3, h, w));
    float[] in = input.toFloatArray();
    float[] out = AffineSampler.sample(input, theta(1, 0, 2f / w, 0, 1, 4f / h)).toFloatArray();
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float expected = y + 2 < h && x + 1 < w ? in[(c * h + y + 2) * w + x + 1] : 0f;
          assertEquals(expected, out[(c * h + y) * w + x], 1e-4f, c + "," + y + "," + x);
        }
      }
    }
  }

  @Test
  void translationByHalfAPixelAveragesNeighbours() {
    // ty = 1/H samples halfway between rows y and y+1; below the last row half the weight is zero.
    NDArray out = AffineSampler.sample(ramp(2, 3), theta(1, 0, 0, 0, 1, 1f / 2));
    assertArrayEquals(
        new float[] {6, 7, 8, 5.5f, 6f, 6.5f}, // (1+11)/2 ... ; (11+0)/2, (12+0)/2, (13+0)/2
        out.toFloatArray(),
        1e-5f);
  }

  @Test
  void scaleByHalfZoomsIntoTheCentre() {
    // On a 4-wide axis, x_norm = (2x+1)/4 - 1 = -0.75, -0.25, 0.25, 0.75; halved and mapped back
    // with ix = (x_norm + 1)·2 - 0.5 gives 0.75, 1.25, 1.75, 2.25. The ramp is linear, so bilinear
    // sampling returns ix + 10·iy + 1 exactly.
    float[] i = {0.75f, 1.25f, 1.75f, 2.25f};
    float[] expected = new float[16];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        expected[y * 4 + x] = i[x] + 10 * i[y] + 1;
      }
    }
    NDArray out = AffineSampler.sample(ramp(4, 4), theta(0.5f, 0, 0, 0, 0.5f, 0));
    assertArrayEquals(expected, out.toFloatArray(), 1e-4f);
  }

  @Test
  void scaleByTwoReadsZerosBeyondTheBorder() {
    // On a 2×2 image, θ = 2·I samples ix, iy in {-0.5, 1.5}: each output pixel is a quarter of
    // its own corner pixel, the other three neighbours lying outside.
    NDArray out = AffineSampler.sample(ramp(2, 2), theta(2, 0, 0, 0, 2, 0));
    assertArrayEquals(
        new float[] {0.25f, 0.5f, 2.75f, 3f}, // pixels 1, 2, 11, 12 times 1/4
        out.toFloatArray(),
        1e-5f);
  }

  @Test
  void samplesFarOutsideAreZero() {
    NDArray out = AffineSampler.sample(ramp(3, 3), theta(1, 0, 5, 0, 1, -5));
    assertArrayEquals(new float[9], out.toFloatArray(), 0f);
  }

  @Test
  void rejectsMismatchedTheta() {
    NDArray input = manager.zeros(new Shape(2, 1, 4, 4));
    NDArray theta = manager.zeros(new Shape(1, 2, 3));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> AffineSampler.sample(input, theta));
  }

  @Test
  void gradientWithRespectToThetaMatchesFiniteDifferences() {
    Random random = new Random(7);
    double[] image = new double[2 * 2 * 6 * 5];
    double[] probe = new double[image.length];
    for (int k = 0; k < image.length; k++) {
      image[k] = random.nextDouble();
      probe[k] = random.nextDouble() - 0.5;
    }
    // Rotated, scaled and shifted so that some samples fall outside; the digits are arbitrary so
    // that no sample point lands exactly on a pixel centre, where the sampler has a kink.
    double[] theta = {
      0.9137, 0.3071, 0.1123, -0.2519, 1.1043, -0.1687, 1.2011, -0.1093, 0.3127, 0.0511, 0.8029,
      0.2063
    };
    NDArray input = manager.create(image, new Shape(2, 2, 6, 5));
    NDArray weights = manager.create(probe, new Shape(2, 2, 6, 5));
    NDArray t = manager.create(theta, new Shape(2, 2, 3));
    t.setRequiresGradient(true);
    double[] analytic;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss = AffineSampler.sample(input, t).mul(weights).sum();
      collector.backward(loss);
      analytic = t.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
    }
    double eps = 1e-6;
    for (int k = 0; k < theta.length; k++) {
      double[] plus = theta.clone();
      double[] minus = theta.clone();
      plus[k] += eps;
      minus[k] -= eps;
      double numeric = (loss(input, weights, plus) - loss(input, weights, minus)) / (2 * eps);
      assertEquals(numeric, analytic[k], 1e-5, "d loss / d theta[" + k + "]");
    }
  }

  @Test
  void gradientSurvivesGarbageCollectionBetweenForwardAndBackward() {
    // Regression: constants made from Java numbers were freed by the GC while autograd still
    // held them, so θ's gradient read freed memory.
    NDArray input = manager.randomUniform(0f, 1f, new Shape(2, 3, 8, 8));
    NDArray weights = manager.randomUniform(-1f, 1f, new Shape(2, 3, 8, 8));
    float[] theta = {0.93f, 0.11f, 0.07f, -0.05f, 1.04f, 0.02f, 1.1f, 0f, -0.1f, 0.2f, 0.9f, 0.13f};
    float[] quiet = thetaGradient(input, weights, theta, false);
    float[] disturbed = thetaGradient(input, weights, theta, true);
    assertArrayEquals(quiet, disturbed, 0f);
  }

  private float[] thetaGradient(NDArray input, NDArray weights, float[] theta, boolean churn) {
    NDArray t = manager.create(theta, new Shape(2, 2, 3));
    t.setRequiresGradient(true);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss = AffineSampler.sample(input, t).mul(weights).sum();
      if (churn) {
        for (int i = 0; i < 20; i++) {
          java.nio.ByteBuffer.allocateDirect(1 << 16).put(new byte[1 << 16]);
          System.gc();
        }
      }
      collector.backward(loss);
      return t.getGradient().toFloatArray();
    }
  }

  private double loss(NDArray input, NDArray weights, double[] theta) {
    NDArray t = manager.create(theta, new Shape(2, 2, 3));
    return AffineSampler.sample(input, t).mul(weights).sum().getDouble();
  }
}
