package dev.stn4j.image;

import java.util.Arrays;
import java.util.Locale;

/**
 * A rotation, scaling and shift of a square 3×S×S image (channel-major floats, the layout of {@link
 * Preprocessor}), with what comes from outside the image filled by one colour: how the trainer
 * distorts training images ({@code stn train --rotate --scale --translate}) and how distorted test
 * copies are made, so both are the same pixels.
 *
 * <p><b>Convention</b> (display coordinates: x to the right, y down): the content is scaled by
 * {@code scale} and turned by {@code degrees} about the image's centre, positive degrees
 * <em>counter-clockwise as displayed</em>, then moved {@code shiftX} pixels right and {@code
 * shiftY} pixels down (negative: left, up). {@code scale} above 1 enlarges the content.
 *
 * <p><b>Sampling</b> is PyTorch's {@code affine_grid} then {@code grid_sample} (bilinear, {@code
 * align_corners=false}) with the transform {@link #theta(int)}, which maps each output pixel centre
 * back into the input; taps outside the input read the fill colour, which equals sampling {@code x
 * − fill} with zero padding and adding {@code fill} back: the model's sampler does exactly that
 * with the normalisation mean, so use the model's mean colour to fill as it does. Whole-pixel
 * shifts and multiples of 90° (at scale 1) move pixels exactly; the identity copies the image
 * exactly.
 *
 * <pre>{@code
 * AffineWarp warp = AffineWarp.of(30, 0.8, 2, -1);          // 30° counter-clockwise, 80 %, →2 ↑1
 * float[] fill = {0.4914f, 0.4822f, 0.4465f};               // the model's normalisation mean
 * float[] out = warp.apply(chw, 32, fill);                  // a new 3×32×32 image
 * warp.apply(batch, i * 3072, 32, fill, batch, i * 3072);   // or in place, inside a batch
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class AffineWarp {
  /** The identity: every pixel stays where it is. */
  public static final AffineWarp IDENTITY = new AffineWarp(0, 1, 0, 0);

  private final double degrees;
  private final double scale;
  private final double shiftX;
  private final double shiftY;
  private final double cos;
  private final double sin;

  private AffineWarp(double degrees, double scale, double shiftX, double shiftY) {
    this.degrees = degrees;
    this.scale = scale;
    this.shiftX = shiftX;
    this.shiftY = shiftY;
    double[] cs = cosSin(degrees);
    this.cos = cs[0];
    this.sin = cs[1];
  }

  /**
   * The warp that turns the content by {@code degrees} (counter-clockwise as displayed), scales it
   * by {@code scale} about the centre, then shifts it by ({@code shiftX}, {@code shiftY}) pixels
   * (right, down).
   *
   * @throws IllegalArgumentException if a value is not finite or {@code scale <= 0}
   */
  public static AffineWarp of(double degrees, double scale, double shiftX, double shiftY) {
    if (!Double.isFinite(degrees) || !Double.isFinite(shiftX) || !Double.isFinite(shiftY)) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "warp angle and shifts must be finite, got %s°, (%s, %s)",
              degrees,
              shiftX,
              shiftY));
    }
    if (!(scale > 0) || !Double.isFinite(scale)) {
      throw new IllegalArgumentException("warp scale must be > 0 and finite, got " + scale);
    }
    return new AffineWarp(degrees, scale, shiftX, shiftY);
  }

  /** The rotation in degrees, counter-clockwise as displayed. */
  public double degrees() {
    return degrees;
  }

  /** The scale factor of the content (above 1: larger). */
  public double scale() {
    return scale;
  }

  /** The shift to the right, in pixels. */
  public double shiftX() {
    return shiftX;
  }

  /** The shift down, in pixels. */
  public double shiftY() {
    return shiftY;
  }

  /**
   * PyTorch's θ (row-major {@code [2,3]}) of this warp on S×S images: {@code affine_grid(θ)} maps
   * every output point (normalised to [−1,1], y down) to the input point it samples. A model's θ of
   * the same form undoes a distortion when it equals the inverse of this map.
   */
  public double[] theta(int size) {
    checkSize(size);
    // Inverse of "scale, rotate, shift": rotate back by the angle, divide by the scale.
    double a = cos / scale;
    double b = -sin / scale;
    double c = sin / scale;
    double d = cos / scale;
    double tx = 2 * shiftX / size;
    double ty = 2 * shiftY / size;
    return new double[] {a, b, -(a * tx + b * ty), c, d, -(c * tx + d * ty)};
  }

  /** The warped image as a new array; {@code image} holds 3×S×S floats. */
  public float[] apply(float[] image, int size, float[] fill) {
    checkSize(size);
    float[] out = new float[3 * size * size];
    apply(image, 0, size, fill, out, 0);
    return out;
  }

  /**
   * Writes the warped image ({@code 3·size·size} floats from {@code from} of {@code image}) to
   * {@code out} from {@code outOffset}; {@code out} may be the same region as the input.
   *
   * @param fill the colour (R, G, B) of what comes from outside the image
   */
  public void apply(float[] image, int from, int size, float[] fill, float[] out, int outOffset) {
    checkSize(size);
    int values = 3 * size * size;
    if (fill.length != 3) {
      throw new IllegalArgumentException("fill needs 3 values (R, G, B), got " + fill.length);
    }
    if (from < 0
        || from > image.length - values
        || outOffset < 0
        || outOffset > out.length - values) {
      throw new IndexOutOfBoundsException(
          "need "
              + values
              + " floats at "
              + from
              + " of "
              + image.length
              + " and at "
              + outOffset
              + " of "
              + out.length);
    }
    float[] source = image == out ? Arrays.copyOfRange(image, from, from + values) : image;
    int base = image == out ? 0 : from;
    sample(source, base, size, fill, out, outOffset);
  }

  private void sample(float[] in, int from, int size, float[] fill, float[] out, int at) {
    int plane = size * size;
    double centre = size / 2.0;
    // The inverse map in pixel units, as theta(size) in normalised ones: the same numbers up to a
    // change of unit, computed without it so whole-pixel moves stay exact.
    double a = cos / scale;
    double b = -sin / scale;
    double c = sin / scale;
    double d = cos / scale;
    for (int i = 0; i < size; i++) {
      double dy = i + 0.5 - centre - shiftY;
      for (int j = 0; j < size; j++) {
        double dx = j + 0.5 - centre - shiftX;
        // Input pixel coordinates (pixel k's centre at k), grid_sample's unnormalised point.
        double u = a * dx + b * dy + centre - 0.5;
        double v = c * dx + d * dy + centre - 0.5;
        double u0 = Math.floor(u);
        double v0 = Math.floor(v);
        double fu = u - u0;
        double fv = v - v0;
        int o = at + i * size + j;
        if (u0 >= 0 && v0 >= 0 && u0 < size - 1 && v0 < size - 1) {
          // All four taps inside: the common case, without per-tap checks.
          int p = from + (int) v0 * size + (int) u0;
          double w00 = (1 - fu) * (1 - fv);
          double w01 = fu * (1 - fv);
          double w10 = (1 - fu) * fv;
          double w11 = fu * fv;
          for (int ch = 0; ch < 3; ch++, p += plane) {
            out[o + ch * plane] =
                (float)
                    (w00 * in[p] + w01 * in[p + 1] + w10 * in[p + size] + w11 * in[p + size + 1]);
          }
        } else {
          edge(in, from, size, fill, out, o, u0, v0, fu, fv);
        }
      }
    }
  }

  /** A pixel some of whose taps fall outside the image, which read the fill colour. */
  private static void edge(
      float[] in,
      int from,
      int size,
      float[] fill,
      float[] out,
      int o,
      double u0,
      double v0,
      double fu,
      double fv) {
    int plane = size * size;
    int x0 = (int) Math.max(-2, Math.min(size + 1, u0));
    int y0 = (int) Math.max(-2, Math.min(size + 1, v0));
    double w00 = (1 - fu) * (1 - fv);
    double w01 = fu * (1 - fv);
    double w10 = (1 - fu) * fv;
    double w11 = fu * fv;
    for (int ch = 0; ch < 3; ch++) {
      int p = from + ch * plane;
      float f = fill[ch];
      double value =
          w00 * tap(in, p, size, x0, y0, f)
              + w01 * tap(in, p, size, x0 + 1, y0, f)
              + w10 * tap(in, p, size, x0, y0 + 1, f)
              + w11 * tap(in, p, size, x0 + 1, y0 + 1, f);
      out[o + ch * plane] = (float) value;
    }
  }

  private static float tap(float[] in, int plane, int size, int x, int y, float fill) {
    return x < 0 || y < 0 || x >= size || y >= size ? fill : in[plane + y * size + x];
  }

  /** cos and sin of an angle in degrees, exact at multiples of 90° (so those turns are exact). */
  private static double[] cosSin(double degrees) {
    double r = degrees % 360;
    if (r < 0) {
      r += 360;
    }
    if (r == 0) {
      return new double[] {1, 0};
    } else if (r == 90) {
      return new double[] {0, 1};
    } else if (r == 180) {
      return new double[] {-1, 0};
    } else if (r == 270) {
      return new double[] {0, -1};
    }
    double radians = Math.toRadians(degrees);
    // StrictMath: the same draws give the same pixels on every JVM and JIT state.
    return new double[] {StrictMath.cos(radians), StrictMath.sin(radians)};
  }

  private static void checkSize(int size) {
    if (size < 1 || size > Preprocessor.MAX_SIZE) {
      throw new IllegalArgumentException(
          "image size must be 1.." + Preprocessor.MAX_SIZE + ", got " + size);
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "AffineWarp[%s° counter-clockwise, scale %s, shift (%s, %s) px]",
        degrees,
        scale,
        shiftX,
        shiftY);
  }
}
