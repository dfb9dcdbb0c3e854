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
   * The exported graph without its channel padding (docs/model-format.md, "Channels padded to the
   * NCHWc block"): every {@code Pad} and {@code Slice} node is dropped and its consumers read its
   * input, which gives the trained channel counts and the same outputs, as {@code stn export
   * --channel-block 1} would.
   */
  static ModelProto withoutChannelPadding(ModelProto model) {
    Map<String, String> alias = new HashMap<>();
    for (NodeProto n : model.getGraph().getNodeList()) {
      if (n.getOpType().equals("Pad") || n.getOpType().equals("Slice")) {
        alias.put(n.getOutput(0), n.getInput(0));
      }
    }
    GraphProto.Builder gb = model.getGraph().toBuilder().clearNode();
    for (NodeProto n : model.getGraph().getNodeList()) {
      if (alias.containsKey(n.getOutput(0))) {
        continue;
      }
      NodeProto.Builder b = n.toBuilder().clearInput();
      for (String in : n.getInputList()) {
        b.addInput(alias.getOrDefault(in, in));
      }
      gb.addNode(b);
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
