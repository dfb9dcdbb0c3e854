package dev.stn4j.bench;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Alternative formulations of the exported graph for the lever experiments, written to temporary
 * files. Each keeps the outputs the same up to float rounding; {@code bench levers} measures the
 * difference.
 */
final class GraphRewrites {
  private GraphRewrites() {}

  static ModelProto read(Path onnx) throws IOException {
    try (InputStream in = Files.newInputStream(onnx)) {
      return ModelProto.parseFrom(in);
    }
  }

  static Path write(ModelProto model, String name) throws IOException {
    Path file = Files.createTempFile("stn4j-" + name, ".onnx");
    file.toFile().deleteOnExit();
    try (OutputStream out = Files.newOutputStream(file)) {
      model.writeTo(out);
    }
    return file;
  }

  /**
   * MaxPool → Relu becomes Relu → MaxPool. Both orders give identical numbers (ReLU is monotonic,
   * so it commutes with max), but ONNX Runtime fuses a Relu directly after a Conv into the
   * convolution kernel, which it cannot do while the MaxPool sits in between.
   */
  static ModelProto reluBeforePool(ModelProto model) {
    GraphProto g = model.getGraph();
    List<NodeProto> nodes = g.getNodeList();
    Map<String, Integer> consumers = new HashMap<>();
    for (NodeProto n : nodes) {
      for (String in : n.getInputList()) {
        consumers.merge(in, 1, Integer::sum);
      }
    }
    for (var o : g.getOutputList()) {
      consumers.merge(o.getName(), 1, Integer::sum);
    }
    Map<String, Integer> producerIndex = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      for (String out : nodes.get(i).getOutputList()) {
        producerIndex.put(out, i);
      }
    }
    GraphProto.Builder gb = g.toBuilder();
    for (int i = 0; i < nodes.size(); i++) {
      NodeProto relu = nodes.get(i);
      if (!relu.getOpType().equals("Relu")) {
        continue;
      }
      Integer p = producerIndex.get(relu.getInput(0));
      if (p == null || !nodes.get(p).getOpType().equals("MaxPool")) {
        continue;
      }
      NodeProto pool = nodes.get(p);
      if (pool.getOutputCount() != 1 || consumers.getOrDefault(pool.getOutput(0), 0) != 1) {
        continue;
      }
      NodeProto newRelu =
          relu.toBuilder()
              .clearInput()
              .addInput(pool.getInput(0))
              .clearOutput()
              .addOutput(pool.getOutput(0))
              .build();
      NodeProto newPool =
          pool.toBuilder()
              .clearInput()
              .addInput(pool.getOutput(0))
              .clearOutput()
              .addOutput(relu.getOutput(0))
              .build();
      gb.setNode(p, newRelu);
      gb.setNode(i, newPool);
    }
    return model.toBuilder().setGraph(gb).build();
  }

  /**
   * Diagnostic only (different outputs): the sampler replaced by the identity, so the speed-up over
   * the baseline is what GridSample and the grid computation cost.
   */
  static ModelProto withoutGridSample(ModelProto model) {
    GraphProto.Builder gb = model.getGraph().toBuilder();
    for (int i = 0; i < gb.getNodeCount(); i++) {
      NodeProto n = gb.getNode(i);
      if (n.getOpType().equals("GridSample")) {
        gb.setNode(
            i,
            NodeProto.newBuilder()
                .setOpType("Identity")
                .setName(n.getName() + "_identity")
                .addInput(n.getInput(0))
                .addOutput(n.getOutput(0))
                .build());
      }
    }
    return model.toBuilder().setGraph(gb).build();
  }
}
