package dev.stn4j.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnWeights;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.Map;

/** Reads the STN parameters back out of an exported model's initializers (for tests). */
final class OnnxModelWeights {
  private OnnxModelWeights() {}

  static StnWeights read(byte[] onnx) throws InvalidProtocolBufferException {
    ModelProto model = ModelProto.parseFrom(onnx);
    Map<StnParameter, float[]> values = new EnumMap<>(StnParameter.class);
    for (TensorProto t : model.getGraph().getInitializerList()) {
      if (t.getName().startsWith("loc.") || t.getName().startsWith("cls.")) {
        StnParameter p = StnParameter.byKey(t.getName());
        float[] a = new float[p.size()];
        t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a);
        values.put(p, a);
      }
    }
    return StnWeights.of(values);
  }
}
