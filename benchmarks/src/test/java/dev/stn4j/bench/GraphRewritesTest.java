package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.stn4j.sdk.RepositoryRoot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphRewritesTest {
  private static final Path ROOT = RepositoryRoot.get();

  @Test
  void withoutChannelPaddingRestoresTheTrainedCountsWithTheSameOutputs() throws Exception {
    Path model = ModelLocator.resolve(null, ROOT);
    OnnxMl.ModelProto original = GraphRewrites.read(model);
    OnnxMl.ModelProto plain = GraphRewrites.withoutChannelPadding(original);
    List<String> before = opTypes(original);
    List<String> after = opTypes(plain);
    assertTrue(before.contains("Pad") && before.contains("Slice"), before.toString());
    assertFalse(after.contains("Pad") || after.contains("Slice"), after.toString());
    assertEquals(before.stream().filter(t -> t.equals("Conv")).count(), 4);
    assertEquals(after.stream().filter(t -> t.equals("Conv")).count(), 4);

    SampleImages images = SampleImages.load(ROOT);
    float[][] a = outputs(model, images);
    float[][] b = outputs(GraphRewrites.write(plain, "test-plain"), images);
    assertEquals(8 * 3 * 32 * 32, a[2].length);
    for (int k = 0; k < a.length; k++) {
      for (int i = 0; i < a[k].length; i++) {
        assertEquals(a[k][i], b[k][i], 1e-6, "output " + k + " value " + i);
      }
    }
  }

  private static List<String> opTypes(OnnxMl.ModelProto m) {
    return m.getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getOpType).toList();
  }

  private static float[][] outputs(Path model, SampleImages images) throws Exception {
    RunSpec spec = new RunSpec(RuntimeKind.ORT_RAW, ProviderKind.CPU, 8, 1, model);
    try (OrtRawRunner r = new OrtRawRunner(spec, spec.sessionSettings(), images)) {
      r.run(3);
      return r.lastOutputs();
    }
  }
}
