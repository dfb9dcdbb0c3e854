package dev.stn4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one walk of a JPEG's marker segments, on headers built byte by byte. */
class JpegSegmentsTest {
  private static final byte[] SRGB = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();

  /** A JPEG header: start-of-image, then segments and bytes as they are added. */
  private static final class Header {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Header() {
      out.write(0xFF);
      out.write(0xD8);
    }

    Header segment(int marker, byte[] payload) {
      out.write(0xFF);
      out.write(marker);
      int length = payload.length + 2;
      out.write(length >> 8);
      out.write(length & 0xFF);
      out.writeBytes(payload);
      return this;
    }

    Header app0() {
      return segment(0xE0, "JFIF\0\1\1\0\0\1\0\1\0\0".getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A start-of-frame segment of three components. */
    Header frame(int marker, int width, int height) {
      byte[] sof = new byte[15];
      sof[0] = 8;
      sof[1] = (byte) (height >> 8);
      sof[2] = (byte) height;
      sof[3] = (byte) (width >> 8);
      sof[4] = (byte) width;
      sof[5] = 3;
      return segment(marker, sof);
    }

    Header icc(int sequence, int count, byte[] chunk) {
      return app2("ICC_PROFILE\0", sequence, count, chunk);
    }

    Header app2(String name, int sequence, int count, byte[] chunk) {
      ByteArrayOutputStream payload = new ByteArrayOutputStream();
      payload.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
      payload.write(sequence);
      payload.write(count);
      payload.writeBytes(chunk);
      return segment(0xE2, payload.toByteArray());
    }

    Header raw(int... bytes) {
      for (int b : bytes) {
        out.write(b);
      }
      return this;
    }

    /** Start of scan, then entropy-coded bytes a walk must not read as segments. */
    Header scan() {
      segment(0xDA, new byte[10]);
      return raw(0x12, 0xFF, 0x00, 0x34, 0xFF, 0xC0, 0, 17, 8, 0, 1, 0, 1, 3);
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    JpegSegments read() {
      return JpegSegments.read(ByteBuffer.wrap(bytes()));
    }
  }

  private static byte[] part(byte[] all, int index, int of) {
    int size = (all.length + of - 1) / of;
    return Arrays.copyOfRange(all, index * size, Math.min(all.length, (index + 1) * size));
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void theFirstStartOfFrameGivesTheSizeAndTablesInTheRangeAreNotFrames() {
    JpegSegments s =
        new Header()
            .app0()
            .segment(0xC4, new byte[20]) // DHT
            .segment(0xCC, new byte[4]) // DAC
            .frame(0xC2, 4000, 3000) // progressive
            .frame(0xC0, 10, 20)
            .scan()
            .read();
    assertEquals(new JpegSegments.Frame(4000, 3000), s.frame());
    assertEquals(List.of(), s.iccChunks());
    assertEquals(
        new JpegSegments.Frame(640, 480), new Header().frame(0xC9, 640, 480).read().frame());
  }

  @Test
  void fillBytesBeforeAMarkerAreSkipped() {
    JpegSegments s =
        new Header()
            .raw(0xFF, 0xFF)
            .app0()
            .raw(0xFF, 0xFF, 0xFF)
            .icc(1, 1, new byte[] {7, 8, 9})
            .raw(0xFF)
            .frame(0xC0, 1024, 768)
            .scan()
            .read();
    assertEquals(new JpegSegments.Frame(1024, 768), s.frame());
    assertEquals(1, s.iccChunks().size());
    assertArrayEquals(new byte[] {7, 8, 9}, bytes(s.iccChunks().get(0).data()));
  }

  @Test
  void withoutAFrameBeforeTheScanThereIsNoSize() {
    assertNull(new Header().app0().scan().read().frame());
    assertNull(new Header().app0().raw(0xFF, 0xD9).frame(0xC0, 9, 9).read().frame());
    assertNull(new Header().app0().read().frame());
    assertNull(new Header().raw(0x00, 0x00).frame(0xC0, 9, 9).read().frame(), "not a marker");
    // Segments after the scan are entropy-coded data, not the file's header.
    JpegSegments s = new Header().frame(0xC0, 9, 9).scan().icc(1, 1, SRGB).read();
    assertEquals(List.of(), s.iccChunks());
  }

  @Test
  void aTruncatedHeaderIsReadUpToWhereItEndsAndNeverPastIt() {
    byte[] whole = new Header().app0().icc(1, 1, SRGB).frame(0xC0, 4000, 3000).scan().bytes();
    int iccStart = new Header().app0().bytes().length;
    int frameStart = new Header().app0().icc(1, 1, SRGB).bytes().length;
    for (int cut = 0; cut <= whole.length; cut++) {
      JpegSegments s = JpegSegments.read(ByteBuffer.wrap(whole, 0, cut).slice());
      assertEquals(cut >= frameStart + 9, s.frame() != null, "cut at " + cut);
      if (cut < iccStart + 4 + 12) {
        assertEquals(List.of(), s.iccChunks(), "cut at " + cut);
        continue;
      }
      JpegSegments.IccChunk chunk = s.iccChunks().get(0);
      boolean complete = cut >= frameStart;
      assertEquals(complete, chunk.complete(), "cut at " + cut);
      assertEquals(complete ? SRGB.length : 0, chunk.data().remaining(), "cut at " + cut);
      JpegIcc icc = JpegIcc.of(s);
      assertEquals(complete ? JpegIcc.Kind.PROFILE : JpegIcc.Kind.UNUSABLE, icc.kind);
    }
  }

  @Test
  void iccChunksAreReportedInFileOrderAndAssembledInSequenceOrder() {
    byte[][] parts = {part(SRGB, 0, 3), part(SRGB, 1, 3), part(SRGB, 2, 3)};
    JpegSegments inOrder =
        new Header()
            .app0()
            .icc(1, 3, parts[0])
            .icc(2, 3, parts[1])
            .icc(3, 3, parts[2])
            .frame(0xC0, 64, 64)
            .read();
    JpegSegments shuffled =
        new Header()
            .icc(3, 3, parts[2])
            .app0()
            .icc(1, 3, parts[0])
            .frame(0xC0, 64, 64) // a chunk may follow the frame header
            .icc(2, 3, parts[1])
            .scan()
            .read();
    List<JpegSegments.IccChunk> chunks = shuffled.iccChunks();
    assertEquals(List.of(3, 1, 2), chunks.stream().map(JpegSegments.IccChunk::sequence).toList());
    for (JpegSegments.IccChunk chunk : chunks) {
      assertEquals(3, chunk.count());
      assertTrue(chunk.complete());
      assertArrayEquals(parts[chunk.sequence() - 1], bytes(chunk.data()));
    }
    assertEquals(JpegIcc.Kind.PROFILE, JpegIcc.of(inOrder).kind);
    assertEquals(JpegIcc.Kind.PROFILE, JpegIcc.of(shuffled).kind);
  }

  @Test
  void aMissingOrMisnumberedChunkMakesTheProfileUnusableAndOtherApp2SegmentsAreNotChunks() {
    byte[] first = part(SRGB, 0, 2);
    byte[] second = part(SRGB, 1, 2);
    assertEquals(
        JpegIcc.Kind.UNUSABLE, JpegIcc.of(new Header().icc(1, 2, first).read()).kind, "missing");
    assertEquals(
        JpegIcc.Kind.UNUSABLE,
        JpegIcc.of(new Header().icc(1, 2, first).icc(3, 2, second).read()).kind,
        "beyond the count");
    assertEquals(
        JpegIcc.Kind.UNUSABLE,
        JpegIcc.of(new Header().icc(0, 2, first).icc(2, 2, second).read()).kind,
        "numbered 0");
    assertEquals(
        JpegIcc.Kind.UNUSABLE,
        JpegIcc.of(new Header().icc(1, 1, Arrays.copyOf(SRGB, 100)).read()).kind,
        "not a whole profile");
    JpegSegments other = new Header().app2("FPXR\0", 1, 1, SRGB).app0().read();
    assertEquals(List.of(), other.iccChunks());
    assertEquals(JpegIcc.Kind.NONE, JpegIcc.of(other).kind);
    assertFalse(new Header().icc(1, 1, SRGB).read().iccChunks().isEmpty());
  }
}
