package dev.stn4j.image;

import dev.stn4j.sdk.StnException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * {@link ImageLoader}'s road through ImageIO's readers, every format's: the readers that accept the
 * content are tried in turn, the JDK's first, and a JPEG reduced for a side S is read with source
 * subsampling. Truncation warnings become errors; a colour-profiled image gets a second reader's
 * chance.
 */
final class ImageIoRoad {
  private ImageIoRoad() {}

  /** Decodes from {@code bytes} when given, else from {@code file}; messages name {@code name}. */
  static BufferedImage decodeFirst(String name, Path file, byte[] bytes, int side, long maxPixels)
      throws StnException {
    try {
      List<ImageReaderSpi> providers = providers(file, bytes);
      if (providers.isEmpty()) {
        throw ImageLoader.invalid(name, "not a recognised image format", null);
      }
      // Every provider accepted the same content, so the first one tells the format.
      boolean jpeg = isJpeg(providers.get(0));
      StnException failure = null;
      BufferedImage profiled = null;
      for (int i = 0; i < providers.size(); i++) {
        ImageReader reader = providers.get(i).createReaderInstance();
        try (ImageInputStream in = open(file, bytes)) {
          BufferedImage image = decode(name, in, reader, jpeg ? side : 0, maxPixels);
          if (plainColour(image) || i == providers.size() - 1) {
            return upright(file, bytes, jpeg, image);
          }
          // Colour-profiled: a later reader may do better, but this one is kept in case it fails.
          profiled = profiled == null ? image : profiled;
        } catch (Fallback f) {
          failure = f.reason;
        } finally {
          reader.dispose();
        }
      }
      if (profiled != null) {
        return upright(file, bytes, jpeg, profiled);
      }
      throw failure;
    } catch (IOException e) {
      throw ImageLoader.invalid(name, "cannot read: " + ImageLoader.describe(e), e);
    }
  }

  /**
   * Providers of the readers that accept the content, the JDK's own first: for ordinary JPEGs it
   * gives the same pixels as TwelveMonkeys' (which wraps it) without the wrapping; TwelveMonkeys
   * then handles what the JDK cannot (CMYK, YCCK, ICC profiles). Readers are created only when
   * tried, as creating TwelveMonkeys' also creates a JDK reader.
   */
  private static List<ImageReaderSpi> providers(Path file, byte[] bytes) throws IOException {
    List<ImageReaderSpi> found = new ArrayList<>();
    try (ImageInputStream in = open(file, bytes)) {
      Iterator<ImageReaderSpi> it =
          IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true);
      while (it.hasNext()) {
        ImageReaderSpi spi = it.next();
        if (accepts(spi, in)) {
          found.add(spi);
        }
      }
    }
    found.sort(
        Comparator.comparing(spi -> spi.getClass().getName().startsWith("com.sun.") ? 0 : 1));
    return found;
  }

  private static boolean isJpeg(ImageReaderSpi spi) {
    for (String name : spi.getFormatNames()) {
      if (name.equalsIgnoreCase("jpeg")) {
        return true;
      }
    }
    return false;
  }

  private static boolean accepts(ImageReaderSpi spi, ImageInputStream in) {
    try {
      return spi.canDecodeInput(in);
    } catch (IOException | RuntimeException e) {
      // A probe that trips over a few bytes (EOF in a 3-byte file) just does not accept them.
      try {
        in.seek(0);
      } catch (IOException ignored) {
        return false;
      }
      return false;
    }
  }

  private static ImageInputStream open(Path file, byte[] bytes) throws IOException {
    if (bytes != null) {
      return new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
    }
    return new FileImageInputStream(file.toFile());
  }

  /** sRGB or grey: nothing another reader could do better with colour profiles. */
  private static boolean plainColour(BufferedImage image) {
    ColorSpace cs = image.getColorModel().getColorSpace();
    return cs.isCS_sRGB() || cs.getType() == ColorSpace.TYPE_GRAY;
  }

  /** A reader failed in a way the next reader might not: a decoding error, not a limit. */
  private static final class Fallback extends Exception {
    private static final long serialVersionUID = 1L;
    final transient StnException reason;

    Fallback(StnException reason) {
      super(null, null, false, false);
      this.reason = reason;
    }
  }

  /** Decodes with {@code reader}, subsampled for {@code side} unless it is 0. */
  private static BufferedImage decode(
      String file, ImageInputStream in, ImageReader reader, int side, long maxPixels)
      throws StnException, Fallback {
    String format = format(reader);
    List<String> warnings = new ArrayList<>();
    IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
    try {
      reader.setInput(in, true, true);
      reader.addIIOReadWarningListener(listener);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      ImageLoader.checkPixels(file, format, width, height, maxPixels);
      ImageReadParam param = reader.getDefaultReadParam();
      int reduction = side > 0 ? ReducedJpeg.reduction(width, height, side) : 1;
      if (reduction > 1) {
        // The pixel nearest the middle of each reduction×reduction block, so the image is not
        // shifted against the DCT-scaled one.
        param.setSourceSubsampling(reduction, reduction, reduction / 2, reduction / 2);
      }
      BufferedImage image = reader.read(0, param);
      for (String warning : warnings) {
        if (isTruncation(warning)) {
          throw ImageLoader.invalid(
              file, "truncated or corrupt " + format + " data: " + warning, null);
        }
      }
      return image;
    } catch (IOException | RuntimeException e) {
      // Decoders throw all kinds of unchecked exceptions on hostile bytes; all mean "corrupt".
      throw new Fallback(
          ImageLoader.invalid(
              file, "cannot decode " + format + " data: " + ImageLoader.describe(e), e));
    } catch (OutOfMemoryError e) {
      throw ImageLoader.invalid(
          file, format + " image is too large to decode in the memory available", e);
    }
  }

  /** A JPEG turned as its EXIF orientation says ({@link ExifOrientation}); others as decoded. */
  private static BufferedImage upright(Path file, byte[] bytes, boolean jpeg, BufferedImage image)
      throws IOException {
    if (!jpeg) {
      return image;
    }
    int orientation;
    try (ImageInputStream in = open(file, bytes)) {
      orientation = ExifOrientation.read(in);
    }
    return ExifOrientation.apply(image, orientation);
  }

  private static boolean isTruncation(String warning) {
    String w = warning.toLowerCase(Locale.ROOT);
    return w.contains("premature end") || w.contains("truncat");
  }

  private static String format(ImageReader reader) {
    try {
      return reader.getFormatName().toUpperCase(Locale.ROOT);
    } catch (IOException e) {
      return reader.getOriginatingProvider().getFormatNames()[0].toUpperCase(Locale.ROOT);
    }
  }
}
