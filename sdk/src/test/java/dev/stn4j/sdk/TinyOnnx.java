package dev.stn4j.sdk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes minimal ONNX models by hand-encoding the few protobuf fields they need, so tests can feed
 * the SDK valid ONNX files of the wrong signature without a protobuf dependency: one Identity node
 * from a float input to a float output.
 */
final class TinyOnnx {
  private TinyOnnx() {}

  /**
   * An opset-16 model {@code output = Identity(input)} with shape {@code [N, dims...]}; {@code
   * metadata} as alternating keys and values.
   */
  static byte[] identity(String input, String output, long[] dims, String... metadata) {
    Proto node = new Proto().string(1, input).string(2, output).string(4, "Identity");
    Proto graph =
        new Proto()
            .message(1, node)
            .string(2, "tiny")
            .message(11, valueInfo(input, dims))
            .message(12, valueInfo(output, dims));
    Proto model = new Proto().varint(1, 8).message(8, new Proto().varint(2, 16)).message(7, graph);
    for (int i = 0; i + 1 < metadata.length; i += 2) {
      model.message(14, new Proto().string(1, metadata[i]).string(2, metadata[i + 1]));
    }
    return model.bytes();
  }

  /**
   * An opset-17 model {@code Y = GridSample(X, grid)} with these attributes; X is N×C×H×W, grid
   * N×Ho×Wo×2, every size free.
   */
  static byte[] gridSample(String mode, String paddingMode, long alignCorners) {
    Proto node =
        new Proto()
            .string(1, "X")
            .string(1, "grid")
            .string(2, "Y")
            .string(4, "GridSample")
            .message(5, new Proto().string(1, "mode").bytes(4, utf8(mode)).varint(20, 3))
            .message(
                5, new Proto().string(1, "padding_mode").bytes(4, utf8(paddingMode)).varint(20, 3))
            .message(
                5, new Proto().string(1, "align_corners").varint(3, alignCorners).varint(20, 2));
    Proto graph =
        new Proto()
            .message(1, node)
            .string(2, "grid_sample")
            .message(11, freeValueInfo("X", "N", "C", "H", "W"))
            .message(11, freeValueInfo("grid", "N", "Ho", "Wo", "2"))
            .message(12, freeValueInfo("Y", "N", "C", "Ho", "Wo"));
    return new Proto().varint(1, 8).message(8, new Proto().varint(2, 17)).message(7, graph).bytes();
  }

  private static Proto freeValueInfo(String name, String... dims) {
    Proto shape = new Proto();
    for (String d : dims) {
      shape.message(
          1,
          d.matches("\\d+") ? new Proto().varint(1, Long.parseLong(d)) : new Proto().string(2, d));
    }
    Proto tensor = new Proto().varint(1, 1).message(2, shape); // elem_type 1 = FLOAT
    return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static Proto valueInfo(String name, long[] dims) {
    Proto shape = new Proto().message(1, new Proto().string(2, "N"));
    for (long d : dims) {
      shape.message(1, new Proto().varint(1, d));
    }
    Proto tensor = new Proto().varint(1, 1).message(2, shape); // elem_type 1 = FLOAT
    return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
  }

  /** A protobuf message being written: fields in the order added. */
  static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
      raw((long) field << 3);
      raw(value);
      return this;
    }

    Proto string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto value) {
      return bytes(field, value.bytes());
    }

    Proto bytes(int field, byte[] value) {
      raw((long) field << 3 | 2);
      raw(value.length);
      out.writeBytes(value);
      return this;
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) (v & 0x7F) | 0x80);
        v >>>= 7;
      }
      out.write((int) v);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
