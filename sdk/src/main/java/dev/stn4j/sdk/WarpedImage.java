package dev.stn4j.sdk;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * The image the classifier actually saw after the spatial transformer's warp: 3×S×S RGB in [0,1]
 * (the model's {@code warped} output; S = 32 for CIFAR-10). Immutable: {@link #chw()} hands out
 * copies.
 *
 * <pre>{@code
 * ImageIO.write(prediction.warped().toBufferedImage(), "png", new File("warped.png"));
 * }</pre>
 */
public final class WarpedImage {
  private final float[] chw;
  private final int size;

  /** Takes ownership of {@code chw}; callers inside the SDK pass a fresh array. */
  WarpedImage(float[] chw) {
    this.size = sideOf(chw.length);
    this.chw = chw;
  }

  /** Builds one from a copy of 3×S×S CHW floats; S follows from the length. */
  public static WarpedImage of(float[] chw) {
    return new WarpedImage(chw.clone());
  }

  private static int sideOf(int values) {
    int side = (int) Math.round(Math.sqrt(values / 3.0));
    if (side < 1 || 3 * side * side != values) {
      throw new IllegalArgumentException(
          "warped image needs 3xSxS values (3072 for 32x32), got " + values);
    }
    return side;
  }

  /** A copy of the pixels, channel-major (R plane, G plane, B plane), values in [0,1]. */
  public float[] chw() {
    return chw.clone();
  }

  /** Width in pixels: the model's S (32 for CIFAR-10). */
  public int width() {
    return size;
  }

  /** Height in pixels: the model's S (32 for CIFAR-10). */
  public int height() {
    return size;
  }

  /** A fresh S×S {@code TYPE_INT_RGB} image; values are clamped to [0,1] and rounded. */
  public BufferedImage toBufferedImage() {
    int plane = size * size;
    int[] rgb = new int[plane];
    for (int i = 0; i < plane; i++) {
      rgb[i] = (toByte(chw[i]) << 16) | (toByte(chw[plane + i]) << 8) | toByte(chw[2 * plane + i]);
    }
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, size, size, rgb, 0, size);
    return image;
  }

  private static int toByte(float v) {
    return Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarpedImage w && Arrays.equals(chw, w.chw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(chw);
  }

  @Override
  public String toString() {
    return "WarpedImage[3x" + size + "x" + size + "]";
  }
}
