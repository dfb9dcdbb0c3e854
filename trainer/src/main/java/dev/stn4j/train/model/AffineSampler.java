package dev.stn4j.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * PyTorch's {@code affine_grid} followed by {@code grid_sample} (bilinear, zero padding, {@code
 * align_corners=false}), built from DJL operations because DJL has neither. Differentiable with
 * respect to the input and to θ.
 *
 * <pre>{@code
 * NDArray warped = AffineSampler.sample(images, theta); // [N,C,H,W], [N,2,3] -> [N,C,H,W]
 * }</pre>
 */
public final class AffineSampler {
  private AffineSampler() {}

  /**
   * Samples {@code input} at the points {@code θ · (x, y, 1)} of the normalised output grid.
   *
   * @param input {@code [N,C,H,W]} float32
   * @param theta {@code [N,2,3]} float32, mapping output coordinates in [-1,1] to input coordinates
   * @return {@code [N,C,H,W]}; points outside the input read zeros
   */
  public static NDArray sample(NDArray input, NDArray theta) {
    Shape in = input.getShape();
    if (in.dimension() != 4) {
      throw new IllegalArgumentException("input must be [N,C,H,W], got " + in);
    }
    long n = in.get(0);
    long c = in.get(1);
    int h = (int) in.get(2);
    int w = (int) in.get(3);
    if (!theta.getShape().equals(new Shape(n, 2, 3))) {
      throw new IllegalArgumentException(
          "theta must be [" + n + ",2,3] for input " + in + ", got " + theta.getShape());
    }
    NDManager manager = input.getManager();
    int hw = h * w;
    NDArray base =
        StnModel.engineOwned(manager.create(baseGrid(h, w), new Shape(1, hw, 3)))
            .toType(theta.getDataType(), false);
    // Never multiply by a Java number on the gradient path: DJL turns it into a tensor over Java
    // memory and frees that right away, while autograd keeps it for the backward pass.
    NDArray scale =
        StnModel.engineOwned(manager.create(new float[] {w / 2f, h / 2f}))
            .toType(theta.getDataType(), false);
    // [1,HW,3] x [N,3,2] -> [N,HW,2]: the (x, y) input coordinates of every output pixel, in
    // pixels (align_corners=false: -1 and 1 are the outer edges of the corner pixels).
    NDArray pixels = base.matMul(theta.transpose(0, 2, 1)).add(1f).mul(scale).sub(0.5f);
    NDArray ix = pixels.get(":, :, 0");
    NDArray iy = pixels.get(":, :, 1");
    NDArray x0 = ix.floor();
    NDArray y0 = iy.floor();
    NDArray x1 = x0.add(1f);
    NDArray y1 = y0.add(1f);
    // floor() has a zero gradient, so the gradient reaches θ through these fractional weights.
    NDArray wx1 = ix.sub(x0);
    NDArray wx0 = wx1.neg().add(1f);
    NDArray wy1 = iy.sub(y0);
    NDArray wy0 = wy1.neg().add(1f);

    // All four corners in one gather: indices and weights laid out [N, 4*HW].
    NDArray index =
        flatIndex(x0, y0, w, h)
            .concat(flatIndex(x1, y0, w, h), 1)
            .concat(flatIndex(x0, y1, w, h), 1)
            .concat(flatIndex(x1, y1, w, h), 1);
    NDArray weight =
        wx0.mul(wy0)
            .mul(inside(x0, y0, w, h))
            .concat(wx1.mul(wy0).mul(inside(x1, y0, w, h)), 1)
            .concat(wx0.mul(wy1).mul(inside(x0, y1, w, h)), 1)
            .concat(wx1.mul(wy1).mul(inside(x1, y1, w, h)), 1);
    NDArray values =
        input.reshape(n, c, hw).gather(index.reshape(n, 1, 4L * hw).broadcast(n, c, 4L * hw), 2);
    return values
        .mul(weight.reshape(n, 1, 4L * hw))
        .reshape(n, c, 4, hw)
        .sum(new int[] {2})
        .reshape(n, c, h, w);
  }

  /** PyTorch's base grid for align_corners=false: pixel centres in [-1,1], rows of (x, y, 1). */
  static float[] baseGrid(int h, int w) {
    float[] grid = new float[h * w * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int at = (y * w + x) * 3;
        grid[at] = (2f * x + 1f) / w - 1f;
        grid[at + 1] = (2f * y + 1f) / h - 1f;
        grid[at + 2] = 1f;
      }
    }
    return grid;
  }

  private static NDArray flatIndex(NDArray x, NDArray y, int w, int h) {
    // Clipped so the gather stays in bounds; outside corners get weight 0 from inside().
    return y.clip(0, h - 1).mul(w).add(x.clip(0, w - 1)).toType(DataType.INT64, false);
  }

  private static NDArray inside(NDArray x, NDArray y, int w, int h) {
    return x.gte(0f)
        .logicalAnd(x.lte(w - 1f))
        .logicalAnd(y.gte(0f))
        .logicalAnd(y.lte(h - 1f))
        .toType(DataType.FLOAT32, false);
  }
}
