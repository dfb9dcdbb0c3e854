package dev.stn4j.sdk;

import java.nio.charset.StandardCharsets;

/**
 * Reads the default-domain opset out of serialized ONNX {@code ModelProto} bytes. ONNX Runtime's
 * Java API does not expose it, and the SDK avoids a protobuf dependency for one integer: the
 * top-level fields are walked and everything else (the graph with its weights) is skipped by
 * length.
 */
final class OnnxHeader {
  private static final int FIELD_OPSET_IMPORT = 8;

  private final byte[] bytes;
  private int pos;

  private OnnxHeader(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The opset of domain "" or "ai.onnx", or -1 if the bytes hold none or are not a ModelProto. */
  static long defaultOpset(byte[] model) {
    try {
      return new OnnxHeader(model).scan();
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      return -1;
    }
  }

  private long scan() {
    long opset = -1;
    while (pos < bytes.length) {
      long tag = varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == FIELD_OPSET_IMPORT && wire == 2) {
        int end = lengthEnd();
        long version = opsetEntry(end);
        if (version >= 0) {
          opset = version;
        }
        pos = end;
      } else {
        skip(wire);
      }
    }
    return opset;
  }

  /** Parses one OperatorSetIdProto (domain = 1, version = 2); its version if default domain. */
  private long opsetEntry(int end) {
    String domain = "";
    long version = -1;
    while (pos < end) {
      long tag = varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == 1 && wire == 2) {
        int stop = lengthEnd();
        domain = new String(bytes, pos, stop - pos, StandardCharsets.UTF_8);
        pos = stop;
      } else if (field == 2 && wire == 0) {
        version = varint();
      } else {
        skip(wire);
      }
    }
    return domain.isEmpty() || domain.equals("ai.onnx") ? version : -1;
  }

  private void skip(int wire) {
    switch (wire) {
      case 0 -> varint();
      case 1 -> pos += 8;
      case 2 -> pos = lengthEnd();
      case 5 -> pos += 4;
      default -> throw new IllegalArgumentException("wire type " + wire);
    }
    if (pos > bytes.length) {
      throw new IndexOutOfBoundsException(pos);
    }
  }

  private int lengthEnd() {
    long len = varint();
    long end = pos + len;
    if (len < 0 || end > bytes.length) {
      throw new IndexOutOfBoundsException((int) Math.min(Integer.MAX_VALUE, end));
    }
    return (int) end;
  }

  private long varint() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = bytes[pos++];
      value |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("varint too long");
  }
}
