package dev.stn4j.image;

import dev.stn4j.sdk.ErrorCode;
import dev.stn4j.sdk.StnException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Decodes image files safely for a service that reads whatever it is given: the format is found
 * from the content (a PNG named {@code .jpg} still decodes), the file size is checked before
 * reading, and the pixel count in the header is checked <em>before</em> any pixel is decoded, so a
 * file claiming gigapixels costs nothing. Every failure is a {@link StnException} with {@link
 * ErrorCode#INVALID_INPUT} and the message {@code "<file>: <reason>"}: missing, directory, empty,
 * too large, not an image, truncated (including JPEGs that the JDK would silently grey-fill),
 * corrupt, too big for memory.
 *
 * <p>Formats: those of ImageIO plus TwelveMonkeys' JPEG reader (CMYK and YCCK JPEGs, broken ICC
 * profiles). Multi-image files give their first image. A JPEG's EXIF orientation is applied, so a
 * phone's portrait photo comes out upright, as a viewer shows it (an unreadable EXIF block is
 * ignored). Thread-safe and stateless.
 *
 * <p><b>Photos at the model's size.</b> {@link #read(Path, int)} is told the side S the image will
 * be shrunk to, and decodes a large JPEG at 1/2, 1/4 or 1/8 of its size: the largest reduction that
 * keeps the shorter side at least 4·S, so the area averaging to S×S still has 4×4 pixels or more
 * per output pixel (at 2×2, the CIFAR-10 test set as 640×480 JPEGs lost 0.21 points of accuracy; at
 * 4×4 it is within 0.03 of the full decode). With libjpeg-turbo on the system ({@code
 * libturbojpeg.so.0}) the reduction happens in the DCT domain (each pixel the mean of its block, as
 * Pillow's {@code draft} does), which skips most of the decoding work; without it, or for CMYK/YCCK
 * JPEGs and JPEGs with an unusable ICC profile, the JDK reader reads every 2nd/4th/8th pixel
 * (source subsampling). {@link #jpegDecoder()} says which applies; {@code
 * -Dstn4j.jpeg.native=false} or {@link #pureJava()} turns the native road off. Images too small to
 * reduce, and other formats, decode in full.
 *
 * <pre>{@code
 * ImageLoader loader = ImageLoader.defaults();          // 50 MP, 256 MiB
 * Preprocessor p = classifier.preprocessor();
 * float[] chw = p.chw(loader.read(Path.of("photo.jpg"), p.size()));
 * }</pre>
 */
public final class ImageLoader {
  /** Default pixel limit: 50 megapixels. */
  public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

  /** Default file size limit: 256 MiB. */
  public static final long DEFAULT_MAX_FILE_BYTES = 256L << 20;

  // Small files are read whole: faster than ImageIO's unbuffered file stream for 1 KB JPEGs.
  private static final long READ_WHOLE_BELOW = 8L << 20;

  // A photo is mapped for the native road (no copy on the heap); a smaller file is read once and
  // its bytes serve both roads.
  private static final long MAP_FROM = 1L << 20;

  private static final ImageLoader DEFAULTS =
      new ImageLoader(DEFAULT_MAX_PIXELS, DEFAULT_MAX_FILE_BYTES, TurboJpeg.system());

  private final long maxPixels;
  private final long maxFileBytes;
  private final TurboJpeg turbo;

  private ImageLoader(long maxPixels, long maxFileBytes, TurboJpeg turbo) {
    this.maxPixels = maxPixels;
    this.maxFileBytes = maxFileBytes;
    this.turbo = turbo;
  }

  /** A loader with {@link #DEFAULT_MAX_PIXELS} and {@link #DEFAULT_MAX_FILE_BYTES}. */
  public static ImageLoader defaults() {
    return DEFAULTS;
  }

  /**
   * A loader with other limits.
   *
   * @throws IllegalArgumentException if a limit is below 1, naming it
   */
  public static ImageLoader withLimits(long maxPixels, long maxFileBytes) {
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels must be >= 1, got " + maxPixels);
    }
    if (maxFileBytes < 1) {
      throw new IllegalArgumentException("maxFileBytes must be >= 1, got " + maxFileBytes);
    }
    return new ImageLoader(maxPixels, maxFileBytes, TurboJpeg.system());
  }

  /**
   * This loader without the native JPEG road: reduced JPEGs come from the JDK reader's source
   * subsampling, the same on every machine.
   */
  public ImageLoader pureJava() {
    return new ImageLoader(maxPixels, maxFileBytes, null);
  }

  /** Whether this loader decodes large JPEGs with libjpeg-turbo (present and not turned off). */
  public boolean usesNativeJpeg() {
    return turbo != null;
  }

  /**
   * Which decoder reduced JPEGs get on this machine by default, and why: e.g. {@code
   * "libjpeg-turbo, DCT-scaled (/usr/lib/x86_64-linux-gnu/libturbojpeg.so.0)"}.
   */
  public static String jpegDecoder() {
    return TurboJpeg.describe();
  }

  /** Images whose header claims more pixels than this are refused before decoding. */
  public long maxPixels() {
    return maxPixels;
  }

  /** Files larger than this many bytes are refused before reading. */
  public long maxFileBytes() {
    return maxFileBytes;
  }

  /**
   * Decodes the first image of {@code file}.
   *
   * @throws StnException {@link ErrorCode#INVALID_INPUT}, message {@code "<file>: <reason>"}
   */
  public BufferedImage read(Path file) throws StnException {
    return read(file, 0);
  }

  /**
   * Decodes the first image of {@code file} for a pre-processing to {@code side}×{@code side}: a
   * large JPEG at reduced resolution (see the class comment), anything else as {@link #read(Path)}.
   *
   * @param side the side the image will be shrunk to ({@link Preprocessor#size()}); 0 for full size
   * @throws StnException {@link ErrorCode#INVALID_INPUT}, message {@code "<file>: <reason>"}
   */
  public BufferedImage read(Path file, int side) throws StnException {
    requireSide(side);
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw invalid(file, "file not found", e);
    } catch (IOException e) {
      throw invalid(file, "cannot read file attributes: " + e.getMessage(), e);
    }
    if (attributes.isDirectory()) {
      throw invalid(file, "is a directory, not an image file", null);
    }
    if (!attributes.isRegularFile()) {
      throw invalid(file, "not a regular file", null);
    }
    long size = attributes.size();
    if (size == 0) {
      throw invalid(file, "empty file (0 bytes)", null);
    }
    if (size > maxFileBytes) {
      throw invalid(
          file,
          String.format("file is %,d bytes, more than the limit of %,d", size, maxFileBytes),
          null);
    }
    boolean nativeRoad = turbo != null && side > 0;
    if (nativeRoad && size >= MAP_FROM) {
      BufferedImage reduced = ReducedJpeg.read(turbo, file.toString(), file, null, side, maxPixels);
      if (reduced != null) {
        return reduced;
      }
    }
    byte[] bytes = null;
    try {
      if (size < READ_WHOLE_BELOW) {
        bytes = Files.readAllBytes(file);
      }
    } catch (IOException e) {
      throw invalid(file.toString(), "cannot read: " + describe(e), e);
    }
    if (nativeRoad && size < MAP_FROM) {
      BufferedImage reduced =
          ReducedJpeg.read(turbo, file.toString(), null, bytes, side, maxPixels);
      if (reduced != null) {
        return reduced;
      }
    }
    return ImageIoRoad.decodeFirst(file.toString(), file, bytes, side, maxPixels);
  }

  /**
   * Decodes the first image of {@code content}: an image file's bytes held in memory, for example a
   * row of a table read with Spark's {@code binaryFile} source. The same checks and limits as
   * {@link #read(Path)}, the byte limit included.
   *
   * <pre>{@code
   * BufferedImage image = ImageLoader.defaults().read(bytes, "s3://bucket/cat.jpg");
   * }</pre>
   *
   * @param content the file's bytes (not copied, not changed)
   * @param name what messages call the content, e.g. its path
   * @throws StnException {@link ErrorCode#INVALID_INPUT}, message {@code "<name>: <reason>"}
   */
  public BufferedImage read(byte[] content, String name) throws StnException {
    return read(content, name, 0);
  }

  /**
   * Decodes {@code content} for a pre-processing to {@code side}×{@code side}, as {@link
   * #read(Path, int)} does a file.
   *
   * @throws StnException {@link ErrorCode#INVALID_INPUT}, message {@code "<name>: <reason>"}
   */
  public BufferedImage read(byte[] content, String name, int side) throws StnException {
    requireSide(side);
    String where = String.valueOf(name);
    if (content == null) {
      throw invalid(where, "no content (null)", null);
    }
    if (content.length == 0) {
      throw invalid(where, "empty file (0 bytes)", null);
    }
    if (content.length > maxFileBytes) {
      throw invalid(
          where,
          String.format(
              "file is %,d bytes, more than the limit of %,d", content.length, maxFileBytes),
          null);
    }
    if (turbo != null && side > 0) {
      BufferedImage reduced = ReducedJpeg.read(turbo, where, null, content, side, maxPixels);
      if (reduced != null) {
        return reduced;
      }
    }
    return ImageIoRoad.decodeFirst(where, null, content, side, maxPixels);
  }

  private static void requireSide(int side) {
    if (side < 0 || side > Preprocessor.MAX_SIZE) {
      throw new IllegalArgumentException(
          "side must be 0 (full size) or 1.." + Preprocessor.MAX_SIZE + ", got " + side);
    }
  }

  /** Refuses an image whose header claims no pixels or more than {@code maxPixels}. */
  static void checkPixels(String name, String format, int width, int height, long maxPixels)
      throws StnException {
    if (width < 1 || height < 1) {
      throw invalid(name, format + " header gives size " + width + "x" + height, null);
    }
    long pixels = (long) width * height;
    if (pixels > maxPixels) {
      throw invalid(
          name,
          String.format(
              "%s image is %dx%d = %,d pixels, more than the limit of %,d (not decoded)",
              format, width, height, pixels, maxPixels),
          null);
    }
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return message;
  }

  private static StnException invalid(Path file, String reason, Throwable cause) {
    return invalid(file.toString(), reason, cause);
  }

  static StnException invalid(String name, String reason, Throwable cause) {
    return new StnException(ErrorCode.INVALID_INPUT, name + ": " + reason, cause);
  }
}
