package dev.stn4j.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Reads rows of any {@link BufferedImage} as sRGB floats in [0,1], alpha composited on white,
 * straight from the raster's samples (no per-pixel {@code getRGB}). Grey samples are taken as
 * display grey (r = g = b = sample), not as Java's linear grey colour space, which would brighten
 * them. Colour models without a direct path (CMYK, ICC profiles other than sRGB, linear RGB) are
 * first converted to sRGB with a colour-managed {@link ColorConvertOp}.
 */
abstract class RowSource {
  final Raster raster;
  final int minX;
  final int minY;

  RowSource(Raster raster) {
    this.raster = raster;
    this.minX = raster.getMinX();
    this.minY = raster.getMinY();
  }

  static RowSource of(BufferedImage image) {
    ColorModel cm = image.getColorModel();
    ColorSpace cs = cm.getColorSpace();
    Raster raster = image.getRaster();
    if (cm instanceof IndexColorModel icm) {
      return new Indexed(raster, icm);
    }
    boolean srgb = cs.isCS_sRGB();
    boolean grey = cs.getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1;
    RowSource direct = DirectRows.of(image, srgb, grey);
    if (direct != null) {
      return direct;
    }
    if (cm instanceof ComponentColorModel && (srgb || grey)) {
      return new Component(raster, cm, grey);
    }
    if (cm instanceof DirectColorModel dcm && srgb) {
      return new Component(raster, dcm, false);
    }
    return of(toSrgb(image));
  }

  private static BufferedImage toSrgb(BufferedImage image) {
    int type =
        image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
    BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), type);
    new ColorConvertOp(null).filter(image, rgb);
    return rgb;
  }

  /**
   * Fills {@code r}, {@code g}, {@code b} from index 0 with pixels {@code x..x+n-1} of row {@code
   * y}, both relative to the image's top-left corner.
   */
  abstract void read(int y, int x, int n, float[] r, float[] g, float[] b);

  /** Rasters whose bands are colour components then optional alpha (RGB[A] or grey[+alpha]). */
  private static final class Component extends RowSource {
    private final int bands;
    private final boolean grey;
    private final boolean alpha;
    private final boolean premultiplied;
    private final boolean floating;
    private final float[] scale;
    private int[] ints = new int[0];
    private float[] floats = new float[0];

    Component(Raster raster, ColorModel cm, boolean grey) {
      super(raster);
      this.bands = raster.getNumBands();
      this.grey = grey;
      this.alpha = cm.hasAlpha();
      this.premultiplied = cm.isAlphaPremultiplied();
      int transfer = raster.getTransferType();
      this.floating = transfer == DataBuffer.TYPE_FLOAT || transfer == DataBuffer.TYPE_DOUBLE;
      this.scale = new float[bands];
      for (int i = 0; i < bands; i++) {
        int bits = cm.getComponentSize(i);
        // 1/255f for 8-bit, the same constant CifarBatch uses, so 8-bit pixels map identically.
        scale[i] = floating ? 1f : bits == 8 ? 1f / 255f : (float) (1.0 / ((1L << bits) - 1));
      }
    }

    @Override
    void read(int y, int x, int n, float[] r, float[] g, float[] b) {
      int count = n * bands;
      if (floating) {
        if (floats.length < count) {
          floats = new float[count];
        }
        raster.getPixels(minX + x, minY + y, n, 1, floats);
      } else {
        if (ints.length < count) {
          ints = new int[count];
        }
        raster.getPixels(minX + x, minY + y, n, 1, ints);
      }
      int colours = grey ? 1 : 3;
      for (int i = 0, at = 0; i < n; i++, at += bands) {
        float cr = sample(at);
        float cg = grey ? cr : sample(at + 1);
        float cb = grey ? cr : sample(at + 2);
        if (alpha) {
          float a = Math.min(1f, Math.max(0f, sample(at + colours)));
          float white = 1f - a;
          if (premultiplied) {
            cr += white;
            cg += white;
            cb += white;
          } else {
            cr = cr * a + white;
            cg = cg * a + white;
            cb = cb * a + white;
          }
        }
        r[i] = cr;
        g[i] = cg;
        b[i] = cb;
      }
    }

    private float sample(int at) {
      int band = at % bands;
      return floating ? floats[at] * scale[band] : ints[at] * scale[band];
    }
  }

  /** Palette images: one index band looked up in the colour map. */
  private static final class Indexed extends RowSource {
    private final float[] pr;
    private final float[] pg;
    private final float[] pb;
    private int[] idx = new int[0];

    Indexed(Raster raster, IndexColorModel icm) {
      super(raster);
      int size = icm.getMapSize();
      pr = new float[size];
      pg = new float[size];
      pb = new float[size];
      for (int i = 0; i < size; i++) {
        float a = icm.getAlpha(i) * (1f / 255f);
        pr[i] = icm.getRed(i) * (1f / 255f) * a + (1f - a);
        pg[i] = icm.getGreen(i) * (1f / 255f) * a + (1f - a);
        pb[i] = icm.getBlue(i) * (1f / 255f) * a + (1f - a);
      }
    }

    @Override
    void read(int y, int x, int n, float[] r, float[] g, float[] b) {
      if (idx.length < n) {
        idx = new int[n];
      }
      raster.getSamples(minX + x, minY + y, n, 1, 0, idx);
      int last = pr.length - 1;
      for (int i = 0; i < n; i++) {
        int k = Math.min(idx[i], last);
        r[i] = pr[k];
        g[i] = pg[k];
        b[i] = pb[k];
      }
    }
  }
}
