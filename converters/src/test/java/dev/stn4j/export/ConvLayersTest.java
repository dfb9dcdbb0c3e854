package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.stn4j.sdk.StnException;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.sdk.internal.SessionSettings;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConvLayersTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private static final StnWeights WEIGHTS = PerturbedWeights.of(11);
  // The SDK's session options; closed after every session made with them.
  private static SessionOptions options;

  @BeforeAll
  static void openOptions() throws StnException {
    options = SessionSettings.builder().build().toSessionOptions();
  }

  @AfterAll
  static void closeOptions() {
    options.close();
  }

  @Test
  void paddedChannelsGiveTheSameOutputsAsTheTrainedCounts() throws OrtException {
    int n = 16;
    float[] images = StnOnnxExporterTest.randomImages(n, 3);
    List<String> outputs =
        List.of(
            ModelFormat.OUTPUT_PROBABILITIES, ModelFormat.OUTPUT_THETA, ModelFormat.OUTPUT_WARPED);
    // 8 leaves the 8-channel convolution alone and pads the others; 5 pads all four.
    for (int block : new int[] {8, 5, 16}) {
      try (OrtSession plain = session(1);
          OrtSession padded = session(block);
          OnnxTensor in = StnOnnxExporterTest.image(images, n);
          OrtSession.Result a = plain.run(Map.of(ModelFormat.INPUT_IMAGE, in));
          OrtSession.Result b = padded.run(Map.of(ModelFormat.INPUT_IMAGE, in))) {
        for (String out : outputs) {
          float[] x = StnOnnxExporterTest.floats(a, out);
          float[] y = StnOnnxExporterTest.floats(b, out);
          float diff = 0;
          for (int k = 0; k < x.length; k++) {
            diff = Math.max(diff, Math.abs(x[k] - y[k]));
          }
          assertTrue(diff <= 1e-6, "block " + block + ", " + out + " differs by " + diff);
        }
      }
    }
  }

  @Test
  void padsConstantsInTheGraphAndKeepsTheTrainersInitializers() {
    GraphProto plain = StnGraph.build(WEIGHTS, Normalization.CIFAR10, 1);
    GraphProto padded = StnGraph.build(WEIGHTS, Normalization.CIFAR10, 16);
    assertEquals(0, count(plain, "Pad"));
    assertEquals(0, count(plain, "Slice"));
    // Four convolutions (weight and bias each) and the two fully connected layers after them.
    assertEquals(10, count(padded, "Pad"));
    // Before the two convolutions that read a pooled output.
    assertEquals(2, count(padded, "Slice"));
    for (StnParameter p : StnParameter.values()) {
      TensorProto t =
          padded.getInitializerList().stream()
              .filter(i -> i.getName().equals(p.key()))
              .findFirst()
              .orElseThrow();
      assertEquals(Arrays.toString(p.shape(StnShape.CIFAR10)), t.getDimsList().toString());
      assertTrue(Arrays.equals(WEIGHTS.get(p), OnnxInitializers.floats(t)), p.key());
    }
  }

  @Test
  void refusesABlockBelowOne() {
    assertThrows(
        IllegalArgumentException.class, () -> StnGraph.build(WEIGHTS, Normalization.CIFAR10, 0));
  }

  private static OrtSession session(int block) throws OrtException {
    return ENV.createSession(
        StnOnnxExporter.toBytes(WEIGHTS, ExportMetadata.builder().build(), block), options);
  }

  private static long count(GraphProto g, String opType) {
    return g.getNodeList().stream().map(NodeProto::getOpType).filter(opType::equals).count();
  }
}
