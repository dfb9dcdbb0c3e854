package dev.stn4j.sdk;

import dev.stn4j.data.Cifar10;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * The image the classifier actually saw after the spatial transformer's warp: 3×32×32 RGB in [0,1]
 * (the model's {@code warped} output). Immutable: {@link #chw()} hands out copies.
 *
 * <pre>{@code
 * ImageIO.write(prediction.warped().toBufferedImage(), "png", new File("warped.png"));
 * }</pre>
 */
public final class WarpedImage {
  private final float[] chw;

  /** Takes ownership of {@code chw}; callers inside the SDK pass a fresh array. */
  WarpedImage(float[] chw) {
    if (chw.length != Cifar10.IMAGE_VALUES) {
      throw new IllegalArgumentException(
          "warped image needs " + Cifar10.IMAGE_VALUES + " values, got " + chw.length);
    }
    this.chw = chw;
  }

  /** Builds one from a copy of 3×32×32 CHW floats. */
  public static WarpedImage of(float[] chw) {
    return new WarpedImage(chw.clone());
  }

  /** A copy of the pixels, channel-major (R plane, G plane, B plane), values in [0,1]. */
  public float[] chw() {
    return chw.clone();
  }

  /** Width in pixels (32). */
  public int width() {
    return Cifar10.WIDTH;
  }

  /** Height in pixels (32). */
  public int height() {
    return Cifar10.HEIGHT;
  }

  /** A fresh 32×32 {@code TYPE_INT_RGB} image; values are clamped to [0,1] and rounded. */
  public BufferedImage toBufferedImage() {
    int plane = Cifar10.HEIGHT * Cifar10.WIDTH;
    int[] rgb = new int[plane];
    for (int i = 0; i < plane; i++) {
      rgb[i] = (toByte(chw[i]) << 16) | (toByte(chw[plane + i]) << 8) | toByte(chw[2 * plane + i]);
    }
    BufferedImage image =
        new BufferedImage(Cifar10.WIDTH, Cifar10.HEIGHT, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, Cifar10.WIDTH, Cifar10.HEIGHT, rgb, 0, Cifar10.WIDTH);
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
    return "WarpedImage[3x32x32]";
  }
}
