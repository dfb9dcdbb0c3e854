package dev.stn4j.image;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.stn4j.sdk.StnException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The native road of {@link ImageLoader} for large JPEGs: TurboJPEG decodes at the {@link
 * #reduction} the pre-processing can afford, in the DCT domain; an embedded RGB ICC profile tags
 * the pixels, so the pre-processing converts them to sRGB. Returns null whenever the JDK road
 * should decide instead: a small image (no reduction, so today's exact decode), a colour space
 * other than YCbCr or grey, an ICC profile that is broken or not RGB, or anything TurboJPEG warns
 * about.
 */
final class ReducedJpeg {
  private ReducedJpeg() {}

  /**
   * The largest of 1, 2, 4 and 8 that still leaves the shorter side at least 4 × {@code side}
   * (rounding up, as JPEG scaling and subsampling do), so the area averaging to {@code side} that
   * follows has at least 4×4 source pixels per output pixel: with 2×2, reduction's rounding cost
   * 0.21 points of accuracy on the CIFAR-10 test set as 640×480 JPEGs.
   */
  static int reduction(int width, int height, int side) {
    int shorter = Math.min(width, height);
    int factor = 1;
    while (factor < 8 && TurboJpeg.scaled(shorter, factor * 2) >= 4L * side) {
      factor *= 2;
    }
    return factor;
  }

  /**
   * Decodes the JPEG held in {@code bytes}, or in {@code file} (memory-mapped, so a photo is not
   * copied onto the heap) when bytes is null, reduced for {@code side} and turned upright; null
   * when the JDK road should decode it, including when the file cannot be mapped (that road then
   * reports why it cannot be read).
   *
   * @throws StnException when its header claims more than {@code maxPixels}
   */
  static BufferedImage read(
      TurboJpeg turbo, String name, Path file, byte[] bytes, int side, long maxPixels)
      throws StnException {
    if (bytes != null) {
      ByteBuffer content = ByteBuffer.wrap(bytes);
      JpegSegments segments = segmentsWorthReducing(content, side);
      if (segments == null) {
        return null;
      }
      try (Memory memory = new Memory(bytes.length)) {
        memory.write(0, bytes, 0, bytes.length);
        return decode(turbo, name, memory, content, segments, side, maxPixels);
      }
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < 4 || size > Integer.MAX_VALUE) {
        return null;
      }
      ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      JpegSegments segments = segmentsWorthReducing(mapped, side);
      if (segments == null) {
        return null;
      }
      Pointer buffer = Native.getDirectBufferPointer(mapped);
      return decode(turbo, name, buffer, mapped, segments, side, maxPixels);
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  private static BufferedImage decode(
      TurboJpeg turbo,
      String name,
      Pointer buffer,
      ByteBuffer content,
      JpegSegments segments,
      int side,
      long maxPixels)
      throws StnException {
    long size = content.limit();
    TurboJpeg.Header header = turbo.header(buffer, size);
    JpegIcc icc = header == null ? null : JpegIcc.of(segments);
    if (header == null || icc.kind == JpegIcc.Kind.UNUSABLE) {
      return null;
    }
    ImageLoader.checkPixels(name, "JPEG", header.width(), header.height(), maxPixels);
    int reduction = reduction(header.width(), header.height(), side);
    BufferedImage decoded = reduction == 1 ? null : turbo.decode(buffer, size, header, reduction);
    BufferedImage image = decoded == null ? null : icc.tag(decoded);
    if (image == null) {
      return null;
    }
    try (ImageInputStream in = new MemoryCacheImageInputStream(new BufferStream(content))) {
      return ExifOrientation.apply(image, ExifOrientation.read(in));
    } catch (IOException e) {
      return image; // as ExifOrientation does: a broken EXIF block never fails a decoded image
    }
  }

  /**
   * The segments of a JPEG whose frame header, read here in Java, calls for a reduction; null for
   * anything else: small JPEGs (most of an image folder) go to the JDK road before any native call
   * or copy is made.
   */
  private static JpegSegments segmentsWorthReducing(ByteBuffer content, int side) {
    if (!startsAsJpeg(content)) {
      return null;
    }
    JpegSegments segments = JpegSegments.read(content);
    JpegSegments.Frame frame = segments.frame();
    return frame != null && reduction(frame.width(), frame.height(), side) > 1 ? segments : null;
  }

  private static boolean startsAsJpeg(ByteBuffer b) {
    return b.limit() > 3
        && (b.get(0) & 0xFF) == 0xFF
        && (b.get(1) & 0xFF) == 0xD8
        && (b.get(2) & 0xFF) == 0xFF;
  }

  /** Reads a buffer from its start without moving the buffer's own position. */
  private static final class BufferStream extends InputStream {
    private final ByteBuffer buffer;

    BufferStream(ByteBuffer content) {
      buffer = content.duplicate();
      buffer.position(0);
    }

    @Override
    public int read() {
      return buffer.hasRemaining() ? buffer.get() & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (!buffer.hasRemaining()) {
        return -1;
      }
      int n = Math.min(len, buffer.remaining());
      buffer.get(b, off, n);
      return n;
    }
  }
}
