package dev.stn4j.bench;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.stn4j.export.OnnxInitializers;
import java.util.HashMap;
import java.util.Map;

/**
 * A lever experiment: pads every convolution's output channels with zero filters up to a multiple
 * of the CPU's NCHWc block (16 floats with AVX-512), and the following convolution's and Gemm's
 * inputs with zero weights. The extra channels are exactly zero through ReLU and MaxPool and meet
 * only zero weights, so the outputs are unchanged; in exchange ONNX Runtime's NCHWc layout
 * transformer can keep the conv → ReLU → MaxPool chains in its blocked layout instead of reordering
 * back to NCHW after every convolution (MaxPool is only converted when the channel count is a
 * multiple of the block).
 */
final class ChannelPadding {
  private ChannelPadding() {}

  static ModelProto pad(ModelProto model, int block) {
    GraphProto g = model.getGraph();
    Map<String, Integer> initIndex = new HashMap<>();
    for (int i = 0; i < g.getInitializerCount(); i++) {
      initIndex.put(g.getInitializer(i).getName(), i);
    }
    // A convolution's weight may be computed from an initializer (the exported graph divides the
    // first convolutions' weights by the normalisation std): pad that initializer.
    Map<String, String> weightSource = new HashMap<>();
    for (NodeProto n : g.getNodeList()) {
      if (n.getOpType().equals("Div") && initIndex.containsKey(n.getInput(0))) {
        weightSource.put(n.getOutput(0), n.getInput(0));
      }
    }
    GraphProto.Builder gb = g.toBuilder();
    // Tensor name → [real channels, padded channels] for tensors carrying padded channels.
    Map<String, int[]> padded = new HashMap<>();
    for (NodeProto n : g.getNodeList()) {
      int[] in = n.getInputCount() > 0 ? padded.get(n.getInput(0)) : null;
      switch (n.getOpType()) {
        case "Conv" -> {
          String weight = weightSource.getOrDefault(n.getInput(1), n.getInput(1));
          TensorProto w = g.getInitializer(initIndex.get(weight));
          TensorProto b = g.getInitializer(initIndex.get(n.getInput(2)));
          int o = (int) w.getDims(0);
          int i = (int) w.getDims(1);
          int k = (int) (w.getDims(2) * w.getDims(3));
          int newO = (o + block - 1) / block * block;
          int newI = in == null ? i : in[1];
          float[] src = OnnxInitializers.floats(w);
          float[] dst = new float[newO * newI * k];
          for (int oc = 0; oc < o; oc++) {
            for (int ic = 0; ic < i; ic++) {
              System.arraycopy(src, (oc * i + ic) * k, dst, (oc * newI + ic) * k, k);
            }
          }
          float[] bias = new float[newO];
          System.arraycopy(OnnxInitializers.floats(b), 0, bias, 0, o);
          gb.setInitializer(
              initIndex.get(w.getName()),
              OnnxInitializers.floatTensor(
                  w.getName(), dst, newO, newI, w.getDims(2), w.getDims(3)));
          gb.setInitializer(
              initIndex.get(b.getName()), OnnxInitializers.floatTensor(b.getName(), bias, newO));
          padded.put(n.getOutput(0), new int[] {o, newO});
        }
        case "MaxPool", "Relu" -> {
          if (in != null) {
            padded.put(n.getOutput(0), in);
          }
        }
        case "Flatten" -> {
          if (in != null) {
            padded.put(n.getOutput(0), in);
          }
        }
        case "Gemm" -> {
          if (in != null) {
            TensorProto w = g.getInitializer(initIndex.get(n.getInput(1)));
            int out = (int) w.getDims(0);
            int features = (int) w.getDims(1);
            int spatial = features / in[0];
            int newFeatures = in[1] * spatial;
            float[] src = OnnxInitializers.floats(w);
            float[] dst = new float[out * newFeatures];
            for (int r = 0; r < out; r++) {
              System.arraycopy(src, r * features, dst, r * newFeatures, features);
            }
            gb.setInitializer(
                initIndex.get(w.getName()),
                OnnxInitializers.floatTensor(w.getName(), dst, out, newFeatures));
          }
        }
        default -> {
          if (in != null) {
            throw new IllegalStateException(
                "padded channels reach a " + n.getOpType() + " node; cannot pad this graph");
          }
        }
      }
    }
    return model.toBuilder().setGraph(gb).build();
  }
}
