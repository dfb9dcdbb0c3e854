package dev.stn4j.bench;

import ai.onnx.proto.OnnxMl;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reads the STN's weights back out of an exported {@code .onnx} file (its initializers are named by
 * {@link StnParameter#key()}), so DJL's PyTorch engine runs exactly the weights ONNX Runtime runs.
 *
 * <pre>{@code
 * StnWeights w = OnnxWeights.read(Path.of("model.onnx"));
 * }</pre>
 */
public final class OnnxWeights {
  private OnnxWeights() {}

  /**
   * @throws IOException naming the file when it is not an ONNX model or lacks an STN parameter
   */
  public static StnWeights read(Path onnxFile) throws IOException {
    OnnxMl.ModelProto model;
    try (InputStream in = Files.newInputStream(onnxFile)) {
      model = OnnxMl.ModelProto.parseFrom(in);
    }
    Map<String, OnnxMl.TensorProto> initializers = new java.util.HashMap<>();
    for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
      initializers.put(t.getName(), t);
    }
    EnumMap<StnParameter, float[]> arrays = new EnumMap<>(StnParameter.class);
    for (StnParameter p : StnParameter.values()) {
      OnnxMl.TensorProto t = initializers.get(p.key());
      if (t == null) {
        throw new IOException(onnxFile + ": no initializer named '" + p.key() + "'");
      }
      arrays.put(p, floats(onnxFile, t));
    }
    try {
      return StnWeights.of(arrays);
    } catch (IllegalArgumentException e) {
      throw new IOException(onnxFile + ": " + e.getMessage(), e);
    }
  }

  private static float[] floats(Path file, OnnxMl.TensorProto t) throws IOException {
    if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
      throw new IOException(file + ": initializer " + t.getName() + " is not float32");
    }
    if (t.getFloatDataCount() > 0) {
      float[] a = new float[t.getFloatDataCount()];
      for (int i = 0; i < a.length; i++) {
        a[i] = t.getFloatData(i);
      }
      return a;
    }
    ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] a = new float[raw.remaining() / Float.BYTES];
    raw.asFloatBuffer().get(a);
    return a;
  }
}
