package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {
  @Test
  void chainsReadLikeTheNetworkAndOutputsRenameTheirProducer() {
    GraphBuilder g = new GraphBuilder("t");
    String x = g.input("x", "N", 4);
    String w = g.initializer("fc.weight", new float[8], 2, 4);
    String b = g.initializer("fc.bias", new float[2], 2);
    String y = g.relu(g.gemm(x, w, b));
    String z = g.softmax(y);
    g.output("hidden", y, "N", 2);
    g.output("probabilities", z, "N", 2);
    GraphProto graph = g.build();

    assertEquals(
        List.of("Gemm", "Relu", "Softmax"),
        graph.getNodeList().stream().map(NodeProto::getOpType).collect(Collectors.toList()));
    assertEquals(List.of("hidden"), graph.getNode(1).getOutputList());
    assertEquals(List.of("hidden"), graph.getNode(2).getInputList(), "consumer follows the rename");
    assertEquals(List.of("probabilities"), graph.getNode(2).getOutputList());
    assertEquals(
        "N", graph.getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
    assertEquals(
        1,
        graph.getNode(0).getAttributeList().stream()
            .filter(a -> a.getName().equals("transB"))
            .findFirst()
            .orElseThrow()
            .getI());
  }

  @Test
  void refusesDuplicateNamesAndMisshapenInitializers() {
    GraphBuilder g = new GraphBuilder("t");
    g.initializer("a", new float[2], 2);
    IllegalArgumentException twice =
        assertThrows(IllegalArgumentException.class, () -> g.initializer("a", new float[2], 2));
    assertTrue(twice.getMessage().contains("a"), twice.getMessage());
    IllegalArgumentException size =
        assertThrows(IllegalArgumentException.class, () -> g.initializer("b", new float[3], 2, 2));
    assertTrue(size.getMessage().contains("3 values for 4"), size.getMessage());
    assertThrows(IllegalArgumentException.class, () -> g.output("out", "nothing", 1));
  }
}
