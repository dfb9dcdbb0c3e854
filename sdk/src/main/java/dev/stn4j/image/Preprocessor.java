package dev.stn4j.image;

import dev.stn4j.data.Cifar10;
import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * Turns any {@link BufferedImage} into a model's input: 3×S×S sRGB floats in [0,1], channel-major
 * (R plane, G plane, B plane), the layout of {@link dev.stn4j.data.CifarBatch#copyImage}; S is the
 * model's image size (32 for CIFAR-10). The one pre-processing of the project: the trainer (for
 * image folders), the SDK, the CLI and the benchmarks all call it, so what the network sees never
 * depends on the door an image came through.
 *
 * <p><b>Aspect ratio:</b> the largest centred square is cropped (like torchvision's {@code
 * Resize(S)} then {@code CenterCrop(S)}); when the excess is odd, the extra pixel is cut on the
 * right or bottom. Nothing is stretched and no border is added.
 *
 * <p><b>Resize filter:</b> a square of exactly S×S is copied as is (8-bit samples become {@code v *
 * (1f/255f)}, bit-identical to {@code CifarBatch.copyImage}); a larger square is shrunk by area
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
 * Preprocessor p = Preprocessor.ofSize(64);            // classifier.preprocessor() for a model's
 * float[] chw = p.toChw(ImageIO.read(file));           // 3×64×64
 * float[] batch = new float[n * p.imageValues()];
 * p.toChw(image, batch, i * p.imageValues());          // straight into a batch
 * }</pre>
 *
 * <p>Immutable and thread-safe. The static methods are the 32×32 pre-processing of CIFAR-10 models
 * (the shipped default model's).
 */
public final class Preprocessor {
  /** The smallest image side a pre-processor makes. */
  public static final int MIN_SIZE = 1;

  /** The largest image side a pre-processor makes (a model's input is 3×S×S floats). */
  public static final int MAX_SIZE = 1024;

  private static final Preprocessor CIFAR = new Preprocessor(Cifar10.WIDTH);

  private final int size;
  private final int plane;

  private Preprocessor(int size) {
    this.size = size;
    this.plane = size * size;
  }

  /**
   * The pre-processing to S×S.
   *
   * @throws IllegalArgumentException unless {@code MIN_SIZE <= size <= MAX_SIZE}
   */
  public static Preprocessor ofSize(int size) {
    if (size < MIN_SIZE || size > MAX_SIZE) {
      throw new IllegalArgumentException(
          "image size must be " + MIN_SIZE + ".." + MAX_SIZE + ", got " + size);
    }
    return size == CIFAR.size ? CIFAR : new Preprocessor(size);
  }

  /** The side S of the square it makes. */
  public int size() {
    return size;
  }

  /** Floats per image: 3·S·S. */
  public int imageValues() {
    return 3 * plane;
  }

  /** The image as a fresh array of 3×32×32 floats in [0,1] (CIFAR-10 models). */
  public static float[] toChw(BufferedImage image) {
    return CIFAR.chw(image);
  }

  /** Writes the image's 3×32×32 floats into {@code dst} from {@code offset} (CIFAR-10 models). */
  public static void toChw(BufferedImage image, float[] dst, int offset) {
    CIFAR.chw(image, dst, offset);
  }

  /** The image as a fresh array of 3×S×S floats in [0,1]. */
  public float[] chw(BufferedImage image) {
    float[] chw = new float[imageValues()];
    chw(image, chw, 0);
    return chw;
  }

  /** Writes the image's 3×S×S floats into {@code dst} from {@code offset}. */
  public void chw(BufferedImage image, float[] dst, int offset) {
    Objects.requireNonNull(image, "image");
    if (offset < 0 || offset > dst.length - imageValues()) {
      throw new IndexOutOfBoundsException(
          "need " + imageValues() + " floats at offset " + offset + " of " + dst.length);
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int side = Math.min(w, h);
    int x0 = (w - side) / 2;
    int y0 = (h - side) / 2;
    RowSource source = RowSource.of(image);
    if (side == size) {
      copy(source, x0, y0, dst, offset);
    } else if (side > size) {
      shrink(source, x0, y0, side, dst, offset);
    } else {
      enlarge(source, x0, y0, side, dst, offset);
    }
  }

  private void copy(RowSource source, int x0, int y0, float[] dst, int offset) {
    float[] r = new float[size];
    float[] g = new float[size];
    float[] b = new float[size];
    for (int y = 0; y < size; y++) {
      source.read(y0 + y, x0, size, r, g, b);
      int at = offset + y * size;
      for (int x = 0; x < size; x++) {
        dst[at + x] = clamp(r[x]);
        dst[at + plane + x] = clamp(g[x]);
        dst[at + 2 * plane + x] = clamp(b[x]);
      }
    }
  }

  /** Area averaging, one source row at a time, so a large image costs only a row of floats. */
  private void shrink(RowSource source, int x0, int y0, int side, float[] dst, int offset) {
    AreaWeights wts = new AreaWeights(side, size);
    float[] r = new float[side];
    float[] g = new float[side];
    float[] b = new float[side];
    float[] row = new float[3 * size];
    float[] acc = new float[3 * plane];
    for (int y = 0; y < side; y++) {
      source.read(y0 + y, x0, side, r, g, b);
      java.util.Arrays.fill(row, 0f);
      for (int x = 0; x < side; x++) {
        int o = wts.first[x];
        float w = wts.firstWeight[x];
        row[o] += w * r[x];
        row[size + o] += w * g[x];
        row[2 * size + o] += w * b[x];
        int o2 = wts.second[x];
        if (o2 >= 0) {
          float w2 = wts.secondWeight[x];
          row[o2] += w2 * r[x];
          row[size + o2] += w2 * g[x];
          row[2 * size + o2] += w2 * b[x];
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

  private void addRow(float[] acc, float[] row, int outY, float weight) {
    for (int c = 0; c < 3; c++) {
      int to = c * plane + outY * size;
      int from = c * size;
      for (int x = 0; x < size; x++) {
        acc[to + x] += weight * row[from + x];
      }
    }
  }

  /** Bilinear with pixel centres aligned and edges clamped; the source square is small here. */
  private void enlarge(RowSource source, int x0, int y0, int side, float[] dst, int offset) {
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
    int[] lo = new int[size];
    int[] hi = new int[size];
    float[] frac = new float[size];
    for (int i = 0; i < size; i++) {
      double s = (i + 0.5) * side / size - 0.5;
      s = Math.max(0, Math.min(side - 1, s));
      lo[i] = (int) Math.floor(s);
      hi[i] = Math.min(lo[i] + 1, side - 1);
      frac[i] = (float) (s - lo[i]);
    }
    for (int c = 0; c < 3; c++) {
      int base = c * n;
      for (int y = 0; y < size; y++) {
        int top = base + lo[y] * side;
        int bottom = base + hi[y] * side;
        float fy = frac[y];
        for (int x = 0; x < size; x++) {
          float fx = frac[x];
          float upper = px[top + lo[x]] * (1 - fx) + px[top + hi[x]] * fx;
          float lower = px[bottom + lo[x]] * (1 - fx) + px[bottom + hi[x]] * fx;
          dst[offset + c * plane + y * size + x] = clamp(upper * (1 - fy) + lower * fy);
        }
      }
    }
  }

  private static float clamp(float v) {
    return v < 0f ? 0f : v > 1f ? 1f : v;
  }

  /**
   * For each source index of a {@code side}-long axis, the one or two output indices of the S-long
   * axis it overlaps and the overlap as a fraction of the output pixel. In units of 1/S source
   * pixel, source j covers [S·j, S·j+S) and output i covers [side·i, side·(i+1)), so the overlaps
   * are exact integers and each output's weights sum to 1.
   */
  private static final class AreaWeights {
    final int[] first;
    final float[] firstWeight;
    final int[] second;
    final float[] secondWeight;

    AreaWeights(int side, int size) {
      first = new int[side];
      firstWeight = new float[side];
      second = new int[side];
      secondWeight = new float[side];
      for (int j = 0; j < side; j++) {
        long start = (long) size * j;
        int out = (int) (start / side);
        long outEnd = (long) side * (out + 1);
        first[j] = out;
        if (start + size <= outEnd) {
          firstWeight[j] = (float) size / side;
          second[j] = -1;
        } else {
          long part = outEnd - start;
          firstWeight[j] = (float) part / side;
          second[j] = out + 1;
          secondWeight[j] = (float) (size - part) / side;
        }
      }
    }
  }
}
