package dev.stn4j.image;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The marker segments of a JPEG before its first scan, walked once in Java: the frame size of the
 * first start-of-frame segment (SOFn) and the APP2 {@code ICC_PROFILE} chunks, in file order, as
 * views of the buffer (nothing is copied). {@link ReducedJpeg} decides from the frame size whether
 * a file is worth the native road, and {@link JpegIcc} assembles the chunks; the walk never reads
 * past the buffer, whatever the file holds.
 *
 * <pre>{@code
 * JpegSegments segments = JpegSegments.read(ByteBuffer.wrap(jpegBytes));
 * if (segments.frame() != null) { int w = segments.frame().width(); ... }
 * }</pre>
 */
record JpegSegments(Frame frame, List<IccChunk> iccChunks) {
  private static final int APP2 = 0xE2;
  private static final int START_OF_SCAN = 0xDA;
  private static final int END_OF_IMAGE = 0xD9;
  private static final byte[] ICC_NAME = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);

  /** A frame header's size in pixels. */
  record Frame(int width, int height) {}

  /**
   * One APP2 {@code ICC_PROFILE} chunk: its 1-based sequence number and the chunk count it claims,
   * and its profile bytes. {@code complete} is false when the file ends inside the chunk; then the
   * numbers are 0 if the file ends before them, and {@code data} is empty.
   */
  record IccChunk(int sequence, int count, ByteBuffer data, boolean complete) {}

  /** Walks {@code jpeg} from just after its start-of-image marker to its first scan. */
  static JpegSegments read(ByteBuffer jpeg) {
    Frame frame = null;
    List<IccChunk> icc = new ArrayList<>(1);
    int limit = jpeg.limit();
    int at = 2;
    while (at + 4 <= limit && (jpeg.get(at) & 0xFF) == 0xFF) {
      int marker = jpeg.get(at + 1) & 0xFF;
      if (marker == 0xFF) {
        at++; // fill byte
        continue;
      }
      if (marker == START_OF_SCAN || marker == END_OF_IMAGE) {
        break;
      }
      if (frame == null && startsFrame(marker) && at + 9 <= limit) {
        frame = new Frame(unsigned16(jpeg, at + 7), unsigned16(jpeg, at + 5));
      }
      int length = unsigned16(jpeg, at + 2);
      if (marker == APP2 && length >= ICC_NAME.length + 4 && named(jpeg, at + 4)) {
        icc.add(iccChunk(jpeg, at, length));
      }
      at += 2 + length;
    }
    return new JpegSegments(frame, List.copyOf(icc));
  }

  /** SOF0 to SOF15, but not DHT (C4), JPG (C8) or DAC (CC), which share the range. */
  private static boolean startsFrame(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }

  /** The chunk of the APP2 segment at {@code at}: name, sequence, count, then profile bytes. */
  private static IccChunk iccChunk(ByteBuffer jpeg, int at, int length) {
    int data = at + 4 + ICC_NAME.length + 2;
    int end = at + 2 + length;
    if (end > jpeg.limit()) {
      boolean numbered = data <= jpeg.limit();
      return new IccChunk(
          numbered ? jpeg.get(data - 2) & 0xFF : 0,
          numbered ? jpeg.get(data - 1) & 0xFF : 0,
          ByteBuffer.allocate(0),
          false);
    }
    return new IccChunk(
        jpeg.get(data - 2) & 0xFF, jpeg.get(data - 1) & 0xFF, jpeg.slice(data, end - data), true);
  }

  private static int unsigned16(ByteBuffer b, int at) {
    return ((b.get(at) & 0xFF) << 8) | (b.get(at + 1) & 0xFF);
  }

  private static boolean named(ByteBuffer jpeg, int at) {
    if (at + ICC_NAME.length > jpeg.limit()) {
      return false;
    }
    for (int i = 0; i < ICC_NAME.length; i++) {
      if (jpeg.get(at + i) != ICC_NAME[i]) {
        return false;
      }
    }
    return true;
  }
}
