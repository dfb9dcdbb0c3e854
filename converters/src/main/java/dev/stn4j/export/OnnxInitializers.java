package dev.stn4j.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.model.Architecture;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Float32 initializers of ONNX models, both ways: the exporter writes its weights with {@link
 * #floatTensor}, and {@link #stnWeights} reads an exported model's parameters back (they are named
 * by {@link StnParameter#key()}; those of its {@code stn4j.architecture}), e.g. to run the same
 * weights on DJL's PyTorch engine. The model's shape is read from the graph: S from its input
 * {@code image} {@code [N,3,S,S]}, K from {@code cls.fc2.bias}.
 *
 * <pre>{@code
 * StnWeights w = OnnxInitializers.stnWeights(Path.of("model.onnx"));
 * }</pre>
 */
public final class OnnxInitializers {
  private OnnxInitializers() {}

  /**
   * The STN parameters stored in an exported model file.
   *
   * @throws IOException naming the file when it is not an ONNX model, lacks an STN parameter or the
   *     {@code image} input, or a parameter has the wrong type or size
   */
  public static StnWeights stnWeights(Path onnxFile) throws IOException {
    ModelProto model;
    try (InputStream in = Files.newInputStream(onnxFile)) {
      model = ModelProto.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(onnxFile + ": not an ONNX model (" + e.getMessage() + ")", e);
    }
    return stnWeights(model, onnxFile.toString());
  }

  /**
   * The STN parameters stored in a parsed model.
   *
   * @param source what the model came from, used in error messages
   */
  public static StnWeights stnWeights(ModelProto model, String source) throws IOException {
    Map<String, TensorProto> byName = new HashMap<>();
    for (TensorProto t : model.getGraph().getInitializerList()) {
      byName.put(t.getName(), t);
    }
    Architecture architecture;
    try {
      architecture = ArchitectureKeys.from(architectureKey(model));
    } catch (IllegalArgumentException e) {
      throw new IOException(source + ": " + e.getMessage(), e);
    }
    EnumMap<StnParameter, float[]> arrays = new EnumMap<>(StnParameter.class);
    for (StnParameter p : architecture.parameters()) {
      TensorProto t = byName.get(p.key());
      if (t == null) {
        throw new IOException(source + ": no initializer named '" + p.key() + "'");
      }
      if (t.getDataType() != TensorProto.DataType.FLOAT.getNumber()) {
        throw new IOException(source + ": initializer " + p.key() + " is not float32");
      }
      arrays.put(p, floats(t));
    }
    try {
      StnShape shape =
          new StnShape(imageSize(model, source), arrays.get(StnParameter.CLS_FC2_BIAS).length);
      return StnWeights.of(architecture, shape, arrays);
    } catch (IllegalArgumentException e) {
      throw new IOException(source + ": " + e.getMessage(), e);
    }
  }

  /** The model's {@code stn4j.architecture}; {@code stn} when absent (version 1). */
  private static String architectureKey(ModelProto model) {
    for (StringStringEntryProto e : model.getMetadataPropsList()) {
      if (e.getKey().equals(ModelFormat.KEY_ARCHITECTURE)) {
        return e.getValue();
      }
    }
    return ModelFormat.ARCHITECTURE_STN;
  }

  /** S of the graph's input {@code image}, declared {@code [N,3,S,S]}. */
  private static int imageSize(ModelProto model, String source) throws IOException {
    for (ValueInfoProto input : model.getGraph().getInputList()) {
      if (input.getName().equals(ModelFormat.INPUT_IMAGE)) {
        TensorShapeProto shape = input.getType().getTensorType().getShape();
        if (shape.getDimCount() == 4
            && shape.getDim(2).hasDimValue()
            && shape.getDim(2).getDimValue() == shape.getDim(3).getDimValue()) {
          return (int) shape.getDim(2).getDimValue();
        }
        List<String> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d : shape.getDimList()) {
          dims.add(d.hasDimValue() ? String.valueOf(d.getDimValue()) : d.getDimParam());
        }
        throw new IOException(
            source + ": input '" + ModelFormat.INPUT_IMAGE + "' is " + dims + ", not [N,3,S,S]");
      }
    }
    throw new IOException(source + ": no graph input named '" + ModelFormat.INPUT_IMAGE + "'");
  }

  /** The values of a float32 tensor, whether stored as {@code float_data} or {@code raw_data}. */
  public static float[] floats(TensorProto tensor) {
    if (tensor.getFloatDataCount() > 0) {
      float[] a = new float[tensor.getFloatDataCount()];
      for (int i = 0; i < a.length; i++) {
        a[i] = tensor.getFloatData(i);
      }
      return a;
    }
    ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] a = new float[raw.remaining() / Float.BYTES];
    raw.asFloatBuffer().get(a);
    return a;
  }

  /** A float32 tensor with its values as little-endian {@code raw_data}, as ONNX specifies. */
  public static TensorProto floatTensor(String name, float[] values, long... dims) {
    ByteBuffer bytes =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.FLOAT.getNumber())
            .setRawData(ByteString.copyFrom(bytes.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }

  /** An int8 tensor ({@code raw_data}: one byte per value), e.g. quantized weights. */
  public static TensorProto int8Tensor(String name, byte[] values, long... dims) {
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.INT8.getNumber())
            .setRawData(ByteString.copyFrom(values));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }

  /** An int32 tensor with little-endian {@code raw_data}, e.g. quantized biases. */
  public static TensorProto int32Tensor(String name, int[] values, long... dims) {
    ByteBuffer bytes =
        ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asIntBuffer().put(values);
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.INT32.getNumber())
            .setRawData(ByteString.copyFrom(bytes.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }
}
