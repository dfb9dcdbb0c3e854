package dev.stn4j.image;

import dev.stn4j.data.Cifar10;
import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * Turns any {@link BufferedImage} into the model's input: 3×32×32 sRGB floats in [0,1],
 * channel-major (R plane, G plane, B plane), the layout of {@link
 * dev.stn4j.data.CifarBatch#copyImage}. The one pre-processing of the project: the SDK, the CLI and
 * the benchmarks all call it.
 *
 * <p><b>Aspect ratio:</b> the largest centred square is cropped (like torchvision's {@code
 * Resize(32)} then {@code CenterCrop(32)}); when the excess is odd, the extra pixel is cut on the
 * right or bottom. Nothing is stretched and no border is added.
 *
 * <p><b>Resize filter:</b> a square of exactly 32×32 is copied as is (8-bit samples become {@code v
 * * (1f/255f)}, bit-identical to {@code CifarBatch.copyImage}); a larger square is shrunk by area
 * averaging (each output pixel is the mean of the source area it covers, partial pixels weighted by
 * their coverage), which does not alias; a smaller one is enlarged bilinearly with pixel centres
 * aligned ({@code align_corners=false}) and edges clamped.
 *
 * <p><b>Colour:</b> grey becomes r = g = b; palette, 16-bit and float samples are scaled to [0,1];
 * CMYK, YCCK and other ICC colour spaces are converted to sRGB colour-managed; transparency is
 * composited on <em>white</em> (a transparent pixel becomes white, as a viewer on a white page
 * shows it). EXIF orientation is {@link ImageLoader}'s business: it hands out JPEGs upright.
 *
 * <pre>{@code
 * float[] chw = Preprocessor.toChw(ImageIO.read(file));
 * float[] batch = new float[n * Cifar10.IMAGE_VALUES];
 * Preprocessor.toChw(image, batch, i * Cifar10.IMAGE_VALUES);   // straight into a batch
 * }</pre>
 */
public final class Preprocessor {
  private static final int SIZE = Cifar10.WIDTH;
  private static final int PLANE = Cifar10.HEIGHT * Cifar10.WIDTH;

  private Preprocessor() {}

  /** The image as a fresh array of 3×32×32 floats in [0,1]. */
  public static float[] toChw(BufferedImage image) {
    float[] chw = new float[Cifar10.IMAGE_VALUES];
    toChw(image, chw, 0);
    return chw;
  }

  /** Writes the image's 3×32×32 floats into {@code dst} from {@code offset}. */
  public static void toChw(BufferedImage image, float[] dst, int offset) {
    Objects.requireNonNull(image, "image");
    if (offset < 0 || offset > dst.length - Cifar10.IMAGE_VALUES) {
      throw new IndexOutOfBoundsException(
          "need " + Cifar10.IMAGE_VALUES + " floats at offset " + offset + " of " + dst.length);
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int side = Math.min(w, h);
    int x0 = (w - side) / 2;
    int y0 = (h - side) / 2;
    RowSource source = RowSource.of(image);
    if (side == SIZE) {
      copy(source, x0, y0, dst, offset);
    } else if (side > SIZE) {
      shrink(source, x0, y0, side, dst, offset);
    } else {
      enlarge(source, x0, y0, side, dst, offset);
    }
  }

  private static void copy(RowSource source, int x0, int y0, float[] dst, int offset) {
    float[] r = new float[SIZE];
    float[] g = new float[SIZE];
    float[] b = new float[SIZE];
    for (int y = 0; y < SIZE; y++) {
      source.read(y0 + y, x0, SIZE, r, g, b);
      int at = offset + y * SIZE;
      for (int x = 0; x < SIZE; x++) {
        dst[at + x] = clamp(r[x]);
        dst[at + PLANE + x] = clamp(g[x]);
        dst[at + 2 * PLANE + x] = clamp(b[x]);
      }
    }
  }

  /** Area averaging, one source row at a time, so a large image costs only a row of floats. */
  private static void shrink(RowSource source, int x0, int y0, int side, float[] dst, int offset) {
    AreaWeights wts = new AreaWeights(side);
    float[] r = new float[side];
    float[] g = new float[side];
    float[] b = new float[side];
    float[] row = new float[3 * SIZE];
    float[] acc = new float[3 * PLANE];
    for (int y = 0; y < side; y++) {
      source.read(y0 + y, x0, side, r, g, b);
      java.util.Arrays.fill(row, 0f);
      for (int x = 0; x < side; x++) {
        int o = wts.first[x];
        float w = wts.firstWeight[x];
        row[o] += w * r[x];
        row[SIZE + o] += w * g[x];
        row[2 * SIZE + o] += w * b[x];
        int o2 = wts.second[x];
        if (o2 >= 0) {
          float w2 = wts.secondWeight[x];
          row[o2] += w2 * r[x];
          row[SIZE + o2] += w2 * g[x];
          row[2 * SIZE + o2] += w2 * b[x];
        }
      }
      addRow(acc, row, wts.first[y], wts.firstWeight[y]);
      if (wts.second[y] >= 0) {
        addRow(acc, row, wts.second[y], wts.secondWeight[y]);
      }
    }
    for (int k = 0; k < acc.length; k++) {
      dst[offset + k] = clamp(acc[k]);
    }
  }

  private static void addRow(float[] acc, float[] row, int outY, float weight) {
    for (int c = 0; c < 3; c++) {
      int to = c * PLANE + outY * SIZE;
      int from = c * SIZE;
      for (int x = 0; x < SIZE; x++) {
        acc[to + x] += weight * row[from + x];
      }
    }
  }

  /** Bilinear with pixel centres aligned and edges clamped; the source square is small here. */
  private static void enlarge(RowSource source, int x0, int y0, int side, float[] dst, int offset) {
    int n = side * side;
    float[] px = new float[3 * n];
    float[] r = new float[side];
    float[] g = new float[side];
    float[] b = new float[side];
    for (int y = 0; y < side; y++) {
      source.read(y0 + y, x0, side, r, g, b);
      System.arraycopy(r, 0, px, y * side, side);
      System.arraycopy(g, 0, px, n + y * side, side);
      System.arraycopy(b, 0, px, 2 * n + y * side, side);
    }
    int[] lo = new int[SIZE];
    int[] hi = new int[SIZE];
    float[] frac = new float[SIZE];
    for (int i = 0; i < SIZE; i++) {
      double s = (i + 0.5) * side / SIZE - 0.5;
      s = Math.max(0, Math.min(side - 1, s));
      lo[i] = (int) Math.floor(s);
      hi[i] = Math.min(lo[i] + 1, side - 1);
      frac[i] = (float) (s - lo[i]);
    }
    for (int c = 0; c < 3; c++) {
      int base = c * n;
      for (int y = 0; y < SIZE; y++) {
        int top = base + lo[y] * side;
        int bottom = base + hi[y] * side;
        float fy = frac[y];
        for (int x = 0; x < SIZE; x++) {
          float fx = frac[x];
          float upper = px[top + lo[x]] * (1 - fx) + px[top + hi[x]] * fx;
          float lower = px[bottom + lo[x]] * (1 - fx) + px[bottom + hi[x]] * fx;
          dst[offset + c * PLANE + y * SIZE + x] = clamp(upper * (1 - fy) + lower * fy);
        }
      }
    }
  }

  private static float clamp(float v) {
    return v < 0f ? 0f : v > 1f ? 1f : v;
  }

  /**
   * For each source index of a {@code side}-long axis, the one or two output indices of the 32-long
   * axis it overlaps and the overlap as a fraction of the output pixel. In units of 1/32 source
   * pixel, source j covers [32j, 32j+32) and output i covers [side·i, side·(i+1)), so the overlaps
   * are exact integers and each output's weights sum to 1.
   */
  private static final class AreaWeights {
    final int[] first;
    final float[] firstWeight;
    final int[] second;
    final float[] secondWeight;

    AreaWeights(int side) {
      first = new int[side];
      firstWeight = new float[side];
      second = new int[side];
      secondWeight = new float[side];
      for (int j = 0; j < side; j++) {
        long start = (long) SIZE * j;
        int out = (int) (start / side);
        long outEnd = (long) side * (out + 1);
        first[j] = out;
        if (start + SIZE <= outEnd) {
          firstWeight[j] = (float) SIZE / side;
          second[j] = -1;
        } else {
          long part = outEnd - start;
          firstWeight[j] = (float) part / side;
          second[j] = out + 1;
          secondWeight[j] = (float) (SIZE - part) / side;
        }
      }
    }
  }
}
