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
    // The corners are constants for autograd (floor's gradient is zero anyway), so the index
    // arithmetic below stays out of the graph; the gradient reaches θ through the weights.
    NDArray x0 = ix.floor().stopGradient();
    NDArray y0 = iy.floor().stopGradient();
    NDArray wx1 = ix.sub(x0);
    NDArray wx0 = wx1.neg().add(1f);
    NDArray wy1 = iy.sub(y0);
    NDArray wy0 = wy1.neg().add(1f);

    // Zero padding made explicit: a one-pixel zero border, and corner coordinates clipped to it,
    // so every corner outside the image reads a zero without masks.
    int pw = w + 2;
    NDArray padded = input.pad(new Shape(1, 1, 1, 1), 0).reshape(n, c, (long) (h + 2) * pw);
    NDArray left = x0.clip(-1, w).add(1f);
    NDArray right = x0.add(1f).clip(-1, w).add(1f);
    NDArray top = y0.clip(-1, h).add(1f).mul(pw);
    NDArray bottom = y0.add(1f).clip(-1, h).add(1f).mul(pw);
    NDArray out = corner(padded, left, top, n, c, hw).mul(wx0.mul(wy0).reshape(n, 1, hw));
    out = out.add(corner(padded, right, top, n, c, hw).mul(wx1.mul(wy0).reshape(n, 1, hw)));
    out = out.add(corner(padded, left, bottom, n, c, hw).mul(wx0.mul(wy1).reshape(n, 1, hw)));
    out = out.add(corner(padded, right, bottom, n, c, hw).mul(wx1.mul(wy1).reshape(n, 1, hw)));
    return out.reshape(n, c, h, w);
  }

  /** The padded input's values at flat positions {@code row + column}, for every channel. */
  private static NDArray corner(
      NDArray padded, NDArray column, NDArray row, long n, long c, int hw) {
    NDArray index = row.add(column).toType(DataType.INT64, false);
    return padded.gather(index.reshape(n, 1, hw).broadcast(n, c, hw), 2);
  }

  /**
   * PyTorch's {@code affine_grid} base grid for align_corners=false: one row {@code (x_j, y_i, 1)}
   * per output pixel in row-major order, with pixel centres {@code x_j = (2j+1)/w − 1} and {@code
   * y_i = (2i+1)/h − 1}. Shared with the ONNX exporter, so both compute the grid from the same
   * constants.
   */
  public static float[] baseGrid(int h, int w) {
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
}
