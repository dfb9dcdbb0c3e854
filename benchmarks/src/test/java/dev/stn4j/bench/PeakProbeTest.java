package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated products compute a · b, so the roof measures real multiply-adds. */
class PeakProbeTest {
  private static final int N = 16;

  @Test
  void fp32ModelIsAMatrixProduct() throws Exception {
    ModelProto model = PeakProbe.model(PeakProbe.Kind.FP32, N);
    float[] b = new float[N * N];
    model
        .getGraph()
        .getInitializer(0)
        .getRawData()
        .asReadOnlyByteBuffer()
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(b);
    float[] a = new float[N * N];
    for (int i = 0; i < a.length; i++) {
      a[i] = (i % 7) - 3;
    }
    OrtEnvironment env = OrtRawRunner.environment();
    try (OrtSession s = env.createSession(model.toByteArray());
        OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(a), new long[] {N, N});
        OrtSession.Result r = s.run(Map.of("a", in))) {
      float[][] y = (float[][]) r.get(0).getValue();
      for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
          double e = 0;
          for (int k = 0; k < N; k++) {
            e += a[i * N + k] * b[k * N + j];
          }
          assertEquals(e, y[i][j], 1e-4, "y[" + i + "][" + j + "]");
        }
      }
    }
  }

  @Test
  void int8ModelIsAnIntegerMatrixProduct() throws Exception {
    ModelProto model = PeakProbe.model(PeakProbe.Kind.INT8, N);
    TensorProto bt = model.getGraph().getInitializer(0);
    assertEquals(TensorProto.DataType.INT8.getNumber(), bt.getDataType());
    byte[] b = bt.getRawData().toByteArray();
    ByteBuffer a = ByteBuffer.allocateDirect(N * N);
    for (int i = 0; i < N * N; i++) {
      a.put((byte) (i * 37));
    }
    a.flip();
    OrtEnvironment env = OrtRawRunner.environment();
    try (OrtSession s = env.createSession(model.toByteArray());
        OnnxTensor in = OnnxTensor.createTensor(env, a, new long[] {N, N}, OnnxJavaType.UINT8);
        OrtSession.Result r = s.run(Map.of("a", in))) {
      int[][] y = (int[][]) r.get(0).getValue();
      boolean nonZero = false;
      for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
          int e = 0;
          for (int k = 0; k < N; k++) {
            e += (a.get(i * N + k) & 0xff) * b[k * N + j];
          }
          assertEquals(e, y[i][j], "y[" + i + "][" + j + "]");
          nonZero |= e != 0;
        }
      }
      assertTrue(nonZero);
    }
  }
}
