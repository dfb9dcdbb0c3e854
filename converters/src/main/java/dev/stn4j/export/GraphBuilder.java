package dev.stn4j.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Builds an ONNX graph in the words of the network ({@code conv}, {@code maxPool2}, {@code relu},
 * {@code gemm}...) instead of protobuf builders. Values are referred to by their tensor names;
 * every operation returns the name of its output, so a network reads as a chain of calls:
 *
 * <pre>{@code
 * GraphBuilder g = new GraphBuilder("net");
 * String x = g.input("image", "N", 3, 32, 32);
 * String h = g.relu(g.maxPool2(g.conv(x, "conv1.weight", "conv1.bias")));
 * g.output("features", h, "N", 8, 13, 13);
 * GraphProto graph = g.build();
 * }</pre>
 *
 * <p>Node and intermediate names are generated from the operator ({@code Conv_0}, {@code
 * Conv_0_out}), so they are unique and stable for a given sequence of calls. Not thread-safe: one
 * builder per graph.
 */
final class GraphBuilder {
  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Map<String, Integer> counters = new HashMap<>();
  private final Set<String> names = new HashSet<>();

  GraphBuilder(String graphName) {
    graph.setName(graphName);
  }

  /**
   * Declares a float32 graph input. Each dimension is an {@link Integer} (fixed) or a {@link
   * String} (symbolic, i.e. dynamic, e.g. {@code "N"}).
   */
  String input(String name, Object... dims) {
    claim(name);
    graph.addInput(floatValueInfo(name, dims));
    return name;
  }

  /**
   * Declares {@code value}, the output of an operation of this builder, as a float32 graph output
   * called {@code name}: the value is renamed (no {@code Identity} node), so later references must
   * use {@code name}.
   */
  void output(String name, String value, Object... dims) {
    claim(name);
    boolean produced = false;
    for (NodeProto.Builder n : graph.getNodeBuilderList()) {
      for (int k = 0; k < n.getInputCount(); k++) {
        if (n.getInput(k).equals(value)) {
          n.setInput(k, name);
        }
      }
      for (int k = 0; k < n.getOutputCount(); k++) {
        if (n.getOutput(k).equals(value)) {
          n.setOutput(k, name);
          produced = true;
        }
      }
    }
    if (!produced) {
      throw new IllegalArgumentException("no operation produces " + value);
    }
    names.remove(value);
    graph.addOutput(floatValueInfo(name, dims));
  }

  /** A float32 initializer (a parameter or a constant) with the given shape. */
  String initializer(String name, float[] values, long... shape) {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    if (size != values.length) {
      throw new IllegalArgumentException(
          "initializer " + name + " has " + values.length + " values for " + size + " elements");
    }
    claim(name);
    graph.addInitializer(OnnxInitializers.floatTensor(name, values, shape));
    return name;
  }

  /** An int64 vector initializer, e.g. the target shape of a {@code Reshape}. */
  String int64s(String name, long... values) {
    claim(name);
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.INT64.getNumber())
            .addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    graph.addInitializer(t);
    return name;
  }

  /** An initializer of any type (int8 weights, int32 biases), added as given. */
  String constant(TensorProto tensor) {
    claim(tensor.getName());
    graph.addInitializer(tensor);
    return tensor.getName();
  }

  /**
   * ONNX {@code QuantizeLinear}: {@code saturate(round(x / scale) + zeroPoint)}, per tensor; the
   * zero point's type (int8 here) is the output's.
   */
  String quantizeLinear(String x, String scale, String zeroPoint) {
    return op("QuantizeLinear", in(x, scale, zeroPoint));
  }

  /** ONNX {@code DequantizeLinear} per tensor: {@code (q − zeroPoint) · scale}. */
  String dequantizeLinear(String q, String scale, String zeroPoint) {
    return op("DequantizeLinear", in(q, scale, zeroPoint));
  }

  /**
   * ONNX {@code DequantizeLinear} with one scale per slice along {@code axis} (per output channel,
   * opset 13+) and no zero point (0: int32 biases).
   */
  String dequantizeLinear(String q, String scale, int axis) {
    return op("DequantizeLinear", in(q, scale), integer("axis", axis));
  }

  /** {@code DequantizeLinear} with one scale and zero point per slice along {@code axis}. */
  String dequantizeLinear(String q, String scale, String zeroPoint, int axis) {
    return op("DequantizeLinear", in(q, scale, zeroPoint), integer("axis", axis));
  }

  /** 2-D convolution, stride 1, no padding: {@code x ⊛ w + b}. */
  String conv(String x, String weight, String bias) {
    return op("Conv", in(x, weight, bias));
  }

  /** 2×2 max pooling with stride 2 (floor mode, as PyTorch's {@code max_pool2d(x, 2)}). */
  String maxPool2(String x) {
    return op("MaxPool", in(x), ints("kernel_shape", 2, 2), ints("strides", 2, 2));
  }

  String relu(String x) {
    return op("Relu", in(x));
  }

  /** Fully connected layer {@code x · wᵀ + b} with PyTorch's {@code [out,in]} weight layout. */
  String gemm(String x, String weight, String bias) {
    return op("Gemm", in(x, weight, bias), integer("transB", 1));
  }

  /**
   * {@link #gemm} with {@code alpha} and {@code beta} written out (both 1, their defaults): ONNX
   * Runtime's QDQ fusion into its integer Gemm reads {@code beta} from the node and passes over a
   * Gemm that leaves it to the default.
   */
  String gemmExplicit(String x, String weight, String bias) {
    return op(
        "Gemm",
        in(x, weight, bias),
        floating("alpha", 1f),
        floating("beta", 1f),
        integer("transB", 1));
  }

  /** Collapses all dimensions after the first: {@code [N,C,H,W] → [N,C·H·W]}. */
  String flatten(String x) {
    return op("Flatten", in(x), integer("axis", 1));
  }

  /** Reshapes {@code x} to {@code shape} (one entry may be -1), the shape stored as a constant. */
  String reshape(String x, String shapeName, long... shape) {
    return op("Reshape", in(x, int64s(shapeName, shape)));
  }

  String transpose(String x, long... perm) {
    return op("Transpose", in(x), ints("perm", perm));
  }

  /** Matrix product with NumPy broadcasting of the leading (batch) dimensions. */
  String matMul(String a, String b) {
    return op("MatMul", in(a, b));
  }

  String add(String a, String b) {
    return op("Add", in(a, b));
  }

  String sub(String a, String b) {
    return op("Sub", in(a, b));
  }

  String mul(String a, String b) {
    return op("Mul", in(a, b));
  }

  String div(String a, String b) {
    return op("Div", in(a, b));
  }

  /**
   * Appends {@code count} zeros along {@code axis} (constant-mode {@code Pad}); on constants ONNX
   * Runtime evaluates it once, when it loads the model.
   */
  String padEnd(String x, int rank, int axis, long count) {
    long[] pads = new long[2 * rank];
    pads[rank + axis] = count;
    return op("Pad", in(x, int64s(uniqueName("pads"), pads)));
  }

  /** Elements {@code [from, to)} of {@code x} along {@code axis}. */
  String slice(String x, int axis, long from, long to) {
    String prefix = uniqueName("slice");
    return op(
        "Slice",
        in(
            x,
            int64s(prefix + ".starts", from),
            int64s(prefix + ".ends", to),
            int64s(prefix + ".axes", axis)));
  }

  /** {@code x} under another name: a graph output that is an input as it is. */
  String identity(String x) {
    return op("Identity", in(x));
  }

  /**
   * {@code constant} ({@code [1, d...]}) repeated along a first axis as long as {@code like}'s:
   * {@code Expand} to {@code Concat(Shape(like)[0:1], d...)}, e.g. one θ per image of a batch.
   */
  String repeatPerItem(String constant, String like, long... dims) {
    String batch = op("Shape", in(like), integer("start", 0), integer("end", 1));
    String shape = op("Concat", in(batch, int64s(uniqueName("dims"), dims)), integer("axis", 0));
    return op("Expand", in(constant, shape));
  }

  /** Softmax over the class axis (1) of {@code [N,classes]}. */
  String softmax(String x) {
    return op("Softmax", in(x), integer("axis", 1));
  }

  /**
   * ONNX {@code GridSample} (opset 16) with PyTorch's {@code grid_sample} defaults: bilinear, zeros
   * padding, align_corners=false.
   */
  String gridSample(String x, String grid) {
    return op(
        "GridSample",
        in(x, grid),
        string("mode", "bilinear"),
        string("padding_mode", "zeros"),
        integer("align_corners", 0));
  }

  GraphProto build() {
    return graph.build();
  }

  private static String[] in(String... inputs) {
    return inputs;
  }

  /** Adds one node {@code <Op>_<k>} with output {@code <Op>_<k>_out} and returns the output. */
  private String op(String opType, String[] inputs, AttributeProto... attributes) {
    int k = counters.merge(opType, 1, Integer::sum) - 1;
    String nodeName = opType + "_" + k;
    String out = nodeName + "_out";
    claim(out);
    NodeProto.Builder n = NodeProto.newBuilder().setName(nodeName).setOpType(opType).addOutput(out);
    for (String input : inputs) {
      n.addInput(input);
    }
    for (AttributeProto a : attributes) {
      n.addAttribute(a);
    }
    graph.addNode(n);
    return out;
  }

  /** {@code base.0}, {@code base.1}...: a fresh name for a constant of an operation. */
  private String uniqueName(String base) {
    return base + "." + (counters.merge("name:" + base, 1, Integer::sum) - 1);
  }

  private void claim(String name) {
    if (!names.add(name)) {
      throw new IllegalArgumentException("tensor name used twice in the graph: " + name);
    }
  }

  private static ValueInfoProto floatValueInfo(String name, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof Integer i) {
        dim.setDimValue(i);
      } else if (d instanceof String s) {
        dim.setDimParam(s);
      } else {
        throw new IllegalArgumentException("dimension must be Integer or String: " + d);
      }
      shape.addDim(dim);
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape)))
        .build();
  }

  private static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value).build();
  }

  private static AttributeProto floating(String name, float value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeType.FLOAT)
        .setF(value)
        .build();
  }

  private static AttributeProto string(String name, String value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(value))
        .build();
  }

  private static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }
}
