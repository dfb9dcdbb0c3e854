package dev.stn4j.sdk;

/**
 * The 2×3 affine transform θ = {@code [[a, b, tx], [c, d, ty]]} that the spatial transformer
 * predicted for one image, with a documented decomposition.
 *
 * <p><b>Coordinates.</b> θ works in normalised image coordinates: x from -1 (left edge) to +1
 * (right edge), y from -1 (top edge) to +1 (bottom edge), as PyTorch's {@code affine_grid} with
 * {@code align_corners=false}. θ maps <em>output</em> (warped image) coordinates to <em>input</em>
 * coordinates: the warped pixel at {@code (x, y)} is sampled from the input at {@code (a x + b y +
 * tx, c x + d y + ty)}. So a scale of 0.5 means the warped image shows half the input's width, i.e.
 * it zooms in ×2, and a translation of +0.2 moves the viewed window right, so the content moves
 * left.
 *
 * <p><b>Decomposition.</b> The linear part is factored as
 *
 * <pre>
 *   [[a, b], [c, d]] = R(rotation) · [[1, shear], [0, 1]] · diag(scaleX, scaleY)
 *   R(φ) = [[cos φ, -sin φ], [sin φ, cos φ]]
 * </pre>
 *
 * applied right to left to an output point: first scale, then shear x by {@code shear · y}, then
 * rotate. {@link #rotationDegrees()} is φ in degrees in (-180, 180]; with y pointing down a
 * positive φ turns the sampling grid clockwise on screen, so the warped image shows the content
 * turned counter-clockwise. {@link #scaleX()} is always ≥ 0; {@link #scaleY()} is negative when θ
 * mirrors. {@link #translationX()}, {@link #translationY()} are {@code tx}, {@code ty} in the
 * normalised units above. Degenerate cases: if the first column is zero, rotation is 0; if θ is
 * singular (scaleY = 0), shear is 0. {@link #compose} rebuilds θ from the parts.
 *
 * <pre>{@code
 * Theta t = prediction.theta();
 * System.out.printf("zoom x%.2f, rotated %.1f°, shifted (%.2f, %.2f)%n",
 *     1 / t.scaleX(), t.rotationDegrees(), t.translationX(), t.translationY());
 * }</pre>
 */
public record Theta(float a, float b, float tx, float c, float d, float ty) {
  /** The identity transform: the warped image is the input. */
  public static Theta identity() {
    return new Theta(1, 0, 0, 0, 1, 0);
  }

  /** θ from its two rows, {@code [[a, b, tx], [c, d, ty]]}. */
  public static Theta of(float[][] rows) {
    if (rows.length != 2 || rows[0].length != 3 || rows[1].length != 3) {
      throw new IllegalArgumentException("theta must be 2 rows of 3 values");
    }
    return new Theta(rows[0][0], rows[0][1], rows[0][2], rows[1][0], rows[1][1], rows[1][2]);
  }

  /**
   * Builds θ from the parts of the decomposition described above: {@code R(rotationDegrees) · [[1,
   * shear], [0, 1]] · diag(scaleX, scaleY)}, translation {@code (translationX, translationY)}.
   */
  public static Theta compose(
      double scaleX,
      double scaleY,
      double rotationDegrees,
      double shear,
      double translationX,
      double translationY) {
    double phi = Math.toRadians(rotationDegrees);
    double cos = Math.cos(phi);
    double sin = Math.sin(phi);
    // R · [[sx, shear·sy], [0, sy]]
    double a = cos * scaleX;
    double c = sin * scaleX;
    double b = cos * shear * scaleY - sin * scaleY;
    double d = sin * shear * scaleY + cos * scaleY;
    return new Theta(
        (float) a, (float) b, (float) translationX, (float) c, (float) d, (float) translationY);
  }

  /** θ as a fresh 2×3 array {@code [[a, b, tx], [c, d, ty]]}. */
  public float[][] rows() {
    return new float[][] {{a, b, tx}, {c, d, ty}};
  }

  /** Horizontal scale of the sampling grid (≥ 0); below 1 means zoom in. */
  public double scaleX() {
    return Math.hypot(a, c);
  }

  /** Vertical scale of the sampling grid; negative when θ mirrors. */
  public double scaleY() {
    double sx = scaleX();
    if (sx == 0) {
      return d;
    }
    return ((double) a * d - (double) b * c) / sx;
  }

  /** Rotation φ of the sampling grid in degrees, in (-180, 180]. */
  public double rotationDegrees() {
    if (a == 0 && c == 0) {
      return 0;
    }
    double deg = Math.toDegrees(Math.atan2(c, a));
    return deg == -180 ? 180 : deg;
  }

  /** Shear factor k of {@code [[1, k], [0, 1]]} (x shifted by k·y), dimensionless. */
  public double shear() {
    double sy = scaleY();
    if (sy == 0) {
      return 0;
    }
    double sx = scaleX();
    if (sx == 0) {
      return b / sy;
    }
    double cos = a / sx;
    double sin = c / sx;
    return (cos * b + sin * d) / sy;
  }

  /** Horizontal translation {@code tx} in normalised units (the full width is 2). */
  public double translationX() {
    return tx;
  }

  /** Vertical translation {@code ty} in normalised units (the full height is 2). */
  public double translationY() {
    return ty;
  }
}
