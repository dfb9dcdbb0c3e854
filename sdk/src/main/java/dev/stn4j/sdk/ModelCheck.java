package dev.stn4j.sdk;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.stn4j.sdk.internal.ModelFormat;
import java.util.Arrays;
import java.util.Map;

/**
 * Checks that a loaded session has the stn4j model contract's input and outputs (names, float type,
 * per-image shapes) and reads its metadata, so a wrong model fails at build time with a message
 * rather than at the first prediction.
 */
final class ModelCheck {
  private ModelCheck() {}

  static ModelInfo check(ModelBytes model, OrtSession session) throws StnException {
    try {
      ai.onnxruntime.OnnxModelMetadata meta = session.getMetadata();
      Map<String, NodeInfo> inputs = session.getInputInfo();
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      expect(model, "input", inputs, ModelFormat.INPUT_IMAGE, 3, -1, -1);
      int size = imageSize(model, inputs.get(ModelFormat.INPUT_IMAGE));
      ModelInfo info =
          ModelInfo.parse(
              model.name(),
              meta.getCustomMetadata(),
              meta.getProducerName(),
              OnnxHeader.defaultOpset(model.bytes()),
              size);
      int classes = info.classNames().size();
      int s = info.imageSize();
      expect(model, "input", inputs, ModelFormat.INPUT_IMAGE, 3, s, s);
      expect(model, "output", outputs, ModelFormat.OUTPUT_PROBABILITIES, classes);
      expect(model, "output", outputs, ModelFormat.OUTPUT_THETA, 2, 3);
      expect(model, "output", outputs, ModelFormat.OUTPUT_WARPED, 3, s, s);
      if (inputs.size() != 1) {
        throw invalid(model, "expected exactly one input, found " + inputs.keySet());
      }
      return info;
    } catch (OrtException e) {
      throw new StnException(
          ErrorCode.INVALID_MODEL, model.name() + ": cannot read the model's signature: " + e, e);
    }
  }

  /** S of an {@code [N,3,S,S]} input, -1 when its sides are dynamic; refuses a non-square one. */
  private static int imageSize(ModelBytes model, NodeInfo input) throws StnException {
    long[] shape = ((TensorInfo) input.getInfo()).getShape();
    if (shape[2] >= 0 && shape[3] >= 0 && shape[2] != shape[3]) {
      throw invalid(
          model,
          "input '"
              + ModelFormat.INPUT_IMAGE
              + "' has shape "
              + Arrays.toString(shape)
              + ", expected a square [N,3,S,S]");
    }
    return shape[2] >= 0 ? (int) shape[2] : (int) shape[3];
  }

  /** A float tensor named {@code name} of shape {@code [N, perImage...]} (N may be dynamic). */
  private static void expect(
      ModelBytes model, String kind, Map<String, NodeInfo> nodes, String name, long... perImage)
      throws StnException {
    NodeInfo node = nodes.get(name);
    if (node == null) {
      throw invalid(model, "no " + kind + " named '" + name + "' (it has " + nodes.keySet() + ")");
    }
    if (!(node.getInfo() instanceof TensorInfo tensor)
        || tensor.type != OnnxJavaType.FLOAT
        || tensor.getShape().length != perImage.length + 1) {
      throw invalid(
          model,
          kind
              + " '"
              + name
              + "' is "
              + node.getInfo()
              + ", expected float32 [N,"
              + joined(perImage)
              + "]");
    }
    long[] shape = tensor.getShape();
    for (int i = 0; i < perImage.length; i++) {
      long found = shape[i + 1];
      if (found != perImage[i] && found >= 0 && perImage[i] >= 0) {
        throw invalid(
            model,
            kind
                + " '"
                + name
                + "' has shape "
                + Arrays.toString(shape)
                + ", expected [N,"
                + joined(perImage)
                + "]");
      }
    }
  }

  private static String joined(long[] dims) {
    String s = Arrays.toString(dims).replace("-1", "S");
    return s.substring(1, s.length() - 1).replace(" ", "");
  }

  private static StnException invalid(ModelBytes model, String why) {
    return new StnException(ErrorCode.INVALID_MODEL, model.name() + ": not an stn4j model: " + why);
  }
}
