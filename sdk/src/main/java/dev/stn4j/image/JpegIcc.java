package dev.stn4j.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The ICC profile a JPEG carries in its APP2 {@code ICC_PROFILE} segments (phones embed sRGB or
 * Display P3), so pixels TurboJPEG decodes can be tagged with it and converted to sRGB by the
 * pre-processing, as the JDK road converts them.
 */
final class JpegIcc {
  private static final int APP2 = 0xE2;
  private static final int START_OF_SCAN = 0xDA;
  private static final int END_OF_IMAGE = 0xD9;
  private static final byte[] NAME = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);

  /** What the segments hold: no profile, a readable one, or one that cannot be used here. */
  enum Kind {
    NONE,
    PROFILE,
    UNUSABLE
  }

  final Kind kind;
  private final ColorSpace space;

  private JpegIcc(Kind kind, ColorSpace space) {
    this.kind = kind;
    this.space = space;
  }

  /** Reads the profile from the segments before the first scan of {@code jpeg}. */
  static JpegIcc of(ByteBuffer jpeg) {
    byte[][] chunks = null;
    int at = 2;
    while (at + 4 <= jpeg.limit() && (jpeg.get(at) & 0xFF) == 0xFF) {
      int marker = jpeg.get(at + 1) & 0xFF;
      if (marker == 0xFF) {
        at++; // fill byte
        continue;
      }
      if (marker == START_OF_SCAN || marker == END_OF_IMAGE) {
        break;
      }
      int length = ((jpeg.get(at + 2) & 0xFF) << 8) | (jpeg.get(at + 3) & 0xFF);
      int data = at + 4 + NAME.length + 2;
      if (marker == APP2 && length >= NAME.length + 4 && named(jpeg, at + 4)) {
        int sequence = jpeg.get(data - 2) & 0xFF;
        int count = jpeg.get(data - 1) & 0xFF;
        if (chunks == null) {
          chunks = new byte[Math.max(count, 1)][];
        }
        if (sequence < 1 || sequence > chunks.length || at + 2 + length > jpeg.limit()) {
          return new JpegIcc(Kind.UNUSABLE, null);
        }
        byte[] chunk = new byte[at + 2 + length - data];
        jpeg.get(data, chunk);
        chunks[sequence - 1] = chunk;
      }
      at += 2 + length;
    }
    return chunks == null ? new JpegIcc(Kind.NONE, null) : parse(chunks);
  }

  /**
   * {@code decoded} tagged with the profile; null when the profile does not describe it (a grey
   * image keeps its grey, as the pre-processing reads grey as display grey either way).
   */
  BufferedImage tag(BufferedImage decoded) {
    if (kind == Kind.NONE || decoded.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      return kind == Kind.UNUSABLE ? null : decoded;
    }
    if (kind == Kind.UNUSABLE || space.getNumComponents() != 3) {
      return null;
    }
    ComponentColorModel model =
        new ComponentColorModel(space, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    return new BufferedImage(model, decoded.getRaster(), false, null);
  }

  private static JpegIcc parse(byte[][] chunks) {
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    for (byte[] chunk : chunks) {
      if (chunk == null) {
        return new JpegIcc(Kind.UNUSABLE, null);
      }
      whole.writeBytes(chunk);
    }
    try {
      ICC_Profile profile = ICC_Profile.getInstance(whole.toByteArray());
      return new JpegIcc(
          profile.getColorSpaceType() == ColorSpace.TYPE_RGB ? Kind.PROFILE : Kind.UNUSABLE,
          new ICC_ColorSpace(profile));
    } catch (RuntimeException e) {
      return new JpegIcc(Kind.UNUSABLE, null); // broken profiles: the JDK road's readers cope
    }
  }

  private static boolean named(ByteBuffer jpeg, int at) {
    if (at + NAME.length > jpeg.limit()) {
      return false;
    }
    for (int i = 0; i < NAME.length; i++) {
      if (jpeg.get(at + i) != NAME[i]) {
        return false;
      }
    }
    return true;
  }
}
