package dev.stn4j.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.awt.image.ImagingOpException;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;

/**
 * The EXIF orientation of a JPEG (tag 274): how the stored pixels must be turned to be shown
 * upright. Cameras and phones store photos as the sensor read them and record the turn here, so a
 * portrait photo decodes lying on its side unless the turn is applied; viewers apply it, and so
 * does {@link ImageLoader}.
 *
 * <p>Values, as in the EXIF/TIFF specification (the stored image's row 0 and column 0 are shown at
 * the): 1 top-left (as stored), 2 top-right (mirrored left-right), 3 bottom-right (turned 180°), 4
 * bottom-left (mirrored top-bottom), 5 left-top (transposed), 6 right-top (turned 90° clockwise), 7
 * right-bottom (transversed), 8 left-bottom (turned 90° counter-clockwise).
 */
final class ExifOrientation {
  static final int UPRIGHT = 1;

  private ExifOrientation() {}

  /**
   * The orientation recorded in the first EXIF segment of the JPEG in {@code in} (read from its
   * start), or {@link #UPRIGHT} when there is none or it cannot be read: a broken EXIF block must
   * not fail an image that decoded.
   */
  static int read(ImageInputStream in) {
    try {
      in.seek(0);
      List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
      if (exif.isEmpty()) {
        return UPRIGHT;
      }
      try (InputStream data = exif.get(0).data()) {
        data.read(); // the pad byte after "Exif\0"
        try (ImageInputStream tiff = ImageIO.createImageInputStream(data)) {
          Directory ifd0 = new TIFFReader().read(tiff);
          Entry entry = ifd0.getEntryById(TIFF.TAG_ORIENTATION);
          if (entry != null && entry.getValue() instanceof Number n) {
            int value = n.intValue();
            return value >= 1 && value <= 8 ? value : UPRIGHT;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Unreadable metadata: the pixels are still good, shown as stored.
    }
    return UPRIGHT;
  }

  /** {@code image} turned as {@code orientation} says; the same object for {@link #UPRIGHT}. */
  static BufferedImage apply(BufferedImage image, int orientation) {
    if (orientation <= UPRIGHT || orientation > 8) {
      return image;
    }
    WritableRaster in = image.getRaster();
    int w = in.getWidth();
    int h = in.getHeight();
    boolean swapsSides = orientation >= 5;
    WritableRaster out = in.createCompatibleWritableRaster(swapsSides ? h : w, swapsSides ? w : h);
    AffineTransform toShown = transform(orientation, w, h);
    try {
      new AffineTransformOp(toShown, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(in, out);
    } catch (ImagingOpException | IllegalArgumentException e) {
      // A sample layout the JDK's native imaging library does not take: move pixel by pixel.
      copyPixels(in, out, toShown);
    }
    return new BufferedImage(image.getColorModel(), out, image.isAlphaPremultiplied(), null);
  }

  /** Maps a stored pixel's corner (x, y) of a w×h image to where it is shown. */
  static AffineTransform transform(int orientation, int w, int h) {
    return switch (orientation) {
      case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);
      case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);
      case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);
      case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);
      case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);
      case 7 -> new AffineTransform(0, -1, -1, 0, h, w);
      case 8 -> new AffineTransform(0, -1, 1, 0, 0, w);
      default -> new AffineTransform();
    };
  }

  /** Moves each pixel to where {@code toShown} maps its centre; for any sample layout. */
  static void copyPixels(WritableRaster in, WritableRaster out, AffineTransform toShown) {
    double[] centre = new double[2];
    Object pixel = null;
    for (int y = 0; y < in.getHeight(); y++) {
      for (int x = 0; x < in.getWidth(); x++) {
        centre[0] = x + 0.5;
        centre[1] = y + 0.5;
        toShown.transform(centre, 0, centre, 0, 1);
        pixel = in.getDataElements(x, y, pixel);
        out.setDataElements((int) Math.floor(centre[0]), (int) Math.floor(centre[1]), pixel);
      }
    }
  }
}
