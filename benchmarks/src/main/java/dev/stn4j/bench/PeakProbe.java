package dev.stn4j.bench;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import com.google.protobuf.ByteString;
import dev.stn4j.sdk.internal.SessionSettings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * The multiply-add rate ONNX Runtime attains on this machine: one large square matrix product,
 * generated here as an ONNX model, timed with the SDK's session settings. float32 {@code MatMul}
 * for the FP32 roof; {@code MatMulInteger} (uint8 × int8 → int32, ONNX Runtime's int8 GEMM, which
 * uses VNNI where the CPU has it) for the int8 roof. A multiply-add counts as 2 operations.
 */
final class PeakProbe {
  /** Which product. */
  enum Kind {
    FP32,
    INT8
  }

  private PeakProbe() {}

  /** Operations of one {@code n × n × n} product. */
  static double operations(int n) {
    return 2.0 * n * n * n;
  }

  /**
   * The best rate over {@code rounds} timed rounds of about {@code seconds / rounds} each, after a
   * warm-up, in operations per second.
   */
  static double measure(Kind kind, int n, int threads, double seconds, int rounds)
      throws Exception {
    byte[] model = model(kind, n).toByteArray();
    SessionSettings settings = SessionSettings.builder().intraOpThreads(threads).build();
    OrtEnvironment env = OrtRawRunner.environment();
    try (SessionOptions options = OrtRawRunner.sessionOptions(settings);
        OrtSession session = env.createSession(model, options);
        OnnxTensor a = input(env, kind, n)) {
      Map<String, OnnxTensor> in = Map.of("a", a);
      for (int i = 0; i < 3; i++) {
        session.run(in).close();
      }
      double best = 0;
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        long calls = 0;
        long now;
        do {
          session.run(in).close();
          calls++;
          now = System.nanoTime();
        } while (now - start < seconds / rounds * 1e9);
        best = Math.max(best, calls * operations(n) / ((now - start) / 1e9));
      }
      return best;
    }
  }

  /**
   * Whether /proc/cpuinfo lists AVX-512 VNNI (or AVX-VNNI), which ONNX Runtime's int8 GEMM uses.
   */
  static String vnni() {
    try {
      String info = Files.readString(Path.of("/proc/cpuinfo"));
      if (info.contains(" avx512_vnni")) {
        return "avx512_vnni";
      }
      return info.contains(" avx_vnni") ? "avx_vnni" : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /** {@code y = a · b}, {@code a} an input {@code [n,n]}, {@code b} a random constant. */
  static ModelProto model(Kind kind, int n) {
    Random random = new Random(1);
    TensorProto.Builder b = TensorProto.newBuilder().setName("b").addDims(n).addDims(n);
    ByteBuffer bytes;
    if (kind == Kind.FP32) {
      bytes = ByteBuffer.allocate(n * n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n * n; i++) {
        bytes.putFloat(random.nextFloat() - 0.5f);
      }
      b.setDataType(TensorProto.DataType.FLOAT.getNumber());
    } else {
      // ±63, the range of stn quantize's weights: with ±127, the int16 pair sums of ONNX
      // Runtime's x86 kernels without VNNI (AVX2) saturate and the product comes out wrong.
      bytes = ByteBuffer.allocate(n * n);
      for (int i = 0; i < n * n; i++) {
        bytes.put((byte) (random.nextInt(127) - 63));
      }
      b.setDataType(TensorProto.DataType.INT8.getNumber());
    }
    b.setRawData(ByteString.copyFrom(bytes.array()));
    TensorProto.DataType inType =
        kind == Kind.FP32 ? TensorProto.DataType.FLOAT : TensorProto.DataType.UINT8;
    TensorProto.DataType outType =
        kind == Kind.FP32 ? TensorProto.DataType.FLOAT : TensorProto.DataType.INT32;
    GraphProto graph =
        GraphProto.newBuilder()
            .setName("peak")
            .addInitializer(b)
            .addInput(value("a", inType, n))
            .addOutput(value("y", outType, n))
            .addNode(
                NodeProto.newBuilder()
                    .setOpType(kind == Kind.FP32 ? "MatMul" : "MatMulInteger")
                    .addInput("a")
                    .addInput("b")
                    .addOutput("y"))
            .build();
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(16))
        .setGraph(graph)
        .build();
  }

  private static ValueInfoProto value(String name, TensorProto.DataType type, int n) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(n));
    shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(n));
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
        .build();
  }

  private static OnnxTensor input(OrtEnvironment env, Kind kind, int n) throws Exception {
    Random random = new Random(2);
    long[] shape = {n, n};
    if (kind == Kind.FP32) {
      float[] a = new float[n * n];
      for (int i = 0; i < a.length; i++) {
        a[i] = random.nextFloat();
      }
      return OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(a), shape);
    }
    ByteBuffer a = ByteBuffer.allocateDirect(n * n);
    for (int i = 0; i < n * n; i++) {
      a.put((byte) random.nextInt(256));
    }
    a.flip();
    return OnnxTensor.createTensor(env, a, shape, OnnxJavaType.UINT8);
  }
}
