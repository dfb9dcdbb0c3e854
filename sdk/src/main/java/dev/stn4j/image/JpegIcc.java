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
import java.util.List;

/**
 * The ICC profile a JPEG carries in its APP2 {@code ICC_PROFILE} segments (phones embed sRGB or
 * Display P3), so pixels TurboJPEG decodes can be tagged with it and converted to sRGB by the
 * pre-processing, as the JDK road converts them.
 */
final class JpegIcc {
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
    return of(JpegSegments.read(jpeg));
  }

  /**
   * Assembles the profile from its chunks, whatever their order in the file: the first chunk's
   * count sets how many there are; a chunk numbered outside that count, a chunk cut short by the
   * end of the file, or a missing chunk makes it unusable.
   */
  static JpegIcc of(JpegSegments segments) {
    List<JpegSegments.IccChunk> found = segments.iccChunks();
    if (found.isEmpty()) {
      return new JpegIcc(Kind.NONE, null);
    }
    byte[][] chunks = new byte[Math.max(found.get(0).count(), 1)][];
    for (JpegSegments.IccChunk chunk : found) {
      if (chunk.sequence() < 1 || chunk.sequence() > chunks.length || !chunk.complete()) {
        return new JpegIcc(Kind.UNUSABLE, null);
      }
      byte[] bytes = new byte[chunk.data().remaining()];
      chunk.data().duplicate().get(bytes);
      chunks[chunk.sequence() - 1] = bytes;
    }
    return parse(chunks);
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
}
