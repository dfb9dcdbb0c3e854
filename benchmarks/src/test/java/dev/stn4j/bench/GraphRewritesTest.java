package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphRewritesTest {
  private static final Path ROOT = Path.of(System.getProperty("stn4j.root", "."));

  @Test
  void reluBeforePoolSwapsEveryPairAndKeepsTheOutputs() throws Exception {
    Path model = ModelLocator.resolve(null, ROOT);
    OnnxMl.ModelProto original = GraphRewrites.read(model);
    OnnxMl.ModelProto rewritten = GraphRewrites.reluBeforePool(original);
    List<String> before =
        original.getGraph().getNodeList().stream().map(n -> n.getOpType()).toList();
    List<String> after =
        rewritten.getGraph().getNodeList().stream().map(n -> n.getOpType()).toList();
    assertEquals(before.size(), after.size());
    // The exported graph may already have Relu before MaxPool; either way none is left after it.
    assertEquals(0, pairs(after, "MaxPool", "Relu"), after.toString());
    assertEquals(
        4, pairs(after, "Relu", "MaxPool"), "the STN has four conv → relu → pool blocks: " + after);

    SampleImages images = SampleImages.load(ROOT);
    Path variant = GraphRewrites.write(rewritten, "test");
    float[][] a = outputs(model, images);
    float[][] b = outputs(variant, images);
    for (int k = 0; k < a.length; k++) {
      for (int i = 0; i < a[k].length; i++) {
        assertEquals(a[k][i], b[k][i], 1e-6, "output " + k + " value " + i);
      }
    }
    assertTrue(a[2].length == 8 * 3 * 32 * 32);
  }

  @Test
  void channelPaddingKeepsTheOutputs() throws Exception {
    Path model = ModelLocator.resolve(null, ROOT);
    OnnxMl.ModelProto padded = ChannelPadding.pad(GraphRewrites.read(model), 16);
    long paddedConv1 =
        padded.getGraph().getInitializerList().stream()
            .filter(t -> t.getName().equals("loc.conv1.weight"))
            .findFirst()
            .orElseThrow()
            .getDims(0);
    assertEquals(16, paddedConv1);
    SampleImages images = SampleImages.load(ROOT);
    float[][] a = outputs(model, images);
    float[][] b = outputs(GraphRewrites.write(padded, "test-pad"), images);
    for (int k = 0; k < a.length; k++) {
      for (int i = 0; i < a[k].length; i++) {
        assertEquals(a[k][i], b[k][i], 1e-5, "output " + k + " value " + i);
      }
    }
  }

  private static int pairs(List<String> ops, String first, String second) {
    int n = 0;
    for (int i = 0; i + 1 < ops.size(); i++) {
      if (ops.get(i).equals(first) && ops.get(i + 1).equals(second)) {
        n++;
      }
    }
    return n;
  }

  private static float[][] outputs(Path model, SampleImages images) throws Exception {
    RunSpec spec = new RunSpec(RuntimeKind.ORT_RAW, ProviderKind.CPU, 8, 1, model);
    try (OrtRawRunner r = new OrtRawRunner(spec, OrtSettings.of(ProviderKind.CPU, 1), images)) {
      r.run(3);
      return r.lastOutputs();
    }
  }
}
