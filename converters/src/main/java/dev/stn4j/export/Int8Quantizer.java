package dev.stn4j.export;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.export.QuantizedClassifier.Tap;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Static int8 quantization of an stn4j float32 model into ONNX's QDQ form (docs/model-format.md,
 * "Int8 models"): the classifier's two convolutions and two fully connected layers run on int8, the
 * localization network, affine grid and sampler stay float.
 *
 * <p>Calibration: the float network, rebuilt from the source's weights with the quantized
 * activations as extra outputs, runs with ONNX Runtime on training images; each activation's
 * minimum and maximum over them gives its scale and zero point.
 *
 * <pre>{@code
 * Int8Quantizer.Result r = Int8Quantizer.quantize(
 *     ModelProto.parseFrom(fp32Bytes), "model.onnx", calibration, sampleSet, test);
 * Files.write(Path.of("model-int8.onnx"), r.model());
 * }</pre>
 */
final class Int8Quantizer {
  /** The calibration method recorded in the model. */
  static final String METHOD = "min-max";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Int8Quantizer() {}

  /**
   * Training images to calibrate on.
   *
   * @param images the records used (all of them)
   * @param source the file they come from, as recorded (e.g. {@code data_batch_1.bin})
   */
  record CalibrationImages(CifarBatch images, String source) {}

  /**
   * The sample set on which the int8 model's own answers are recorded.
   *
   * @param description the file's description ({@link SampleAnswers#describe})
   * @param images its records
   */
  record SampleSet(SampleAnswers description, CifarBatch images) {}

  /**
   * @param model the serialized int8 model
   * @param ranges the calibrated activation ranges
   * @param sampleAnswers the int8 model's answers on the sample set, if one was given
   * @param testAccuracy the int8 model's accuracy on the test images, if given
   */
  record Result(
      byte[] model,
      ActivationRanges ranges,
      String parametersSha256,
      String sourceParametersSha256,
      SampleAnswers sampleAnswers,
      OptionalDouble testAccuracy) {}

  /**
   * Quantizes {@code source}, an stn4j float32 model.
   *
   * @param sourceName the source's file name, for errors
   * @param sampleSet where to record the int8 model's own answers, or {@code null}
   * @param test labelled test images to measure the int8 model's accuracy on, or {@code null}
   * @throws IOException naming the source when it is not an stn4j float32 model, or when ONNX
   *     Runtime cannot run a model
   */
  static Result quantize(
      ModelProto source,
      String sourceName,
      CalibrationImages calibration,
      SampleSet sampleSet,
      CifarBatch test)
      throws IOException {
    return quantize(source, sourceName, calibration, sampleSet, test, false);
  }

  /**
   * As {@link #quantize(ModelProto, String, CalibrationImages, SampleSet, CifarBatch)}, with the
   * classifier's first convolution kept float if {@code floatFirstConv}.
   */
  static Result quantize(
      ModelProto source,
      String sourceName,
      CalibrationImages calibration,
      SampleSet sampleSet,
      CifarBatch test,
      boolean floatFirstConv)
      throws IOException {
    Map<String, String> props = new LinkedHashMap<>();
    for (StringStringEntryProto e : source.getMetadataPropsList()) {
      props.put(e.getKey(), e.getValue());
    }
    if (props.containsKey(ModelFormat.KEY_SOURCE_PARAMETERS_SHA256)) {
      throw new IOException(sourceName + ": is already an int8 model (it records a source model)");
    }
    StnWeights weights = exportedWeights(source, sourceName, props);
    if (calibration.images().size() == 0) {
      throw new IOException(calibration.source() + ": no calibration images");
    }

    ActivationRanges ranges = calibrate(weights, calibration.images());
    GraphProto graph =
        StnGraph.build(
            weights,
            StnOnnxExporter.DEFAULT_CHANNEL_BLOCK,
            QuantizedClassifier.int8(weights, ranges, floatFirstConv));
    String parametersSha256 = parametersSha256(graph);

    // The answers and accuracy need the model, the model's metadata holds them: score a model
    // without them first (metadata does not change what it computes).
    byte[] unlabelled = StnOnnxExporter.toModel(graph, Map.of()).toByteArray();
    SampleAnswers answers = null;
    OptionalDouble accuracy = OptionalDouble.empty();
    try (OrtModel int8 = new OrtModel(unlabelled, "the int8 model")) {
      if (sampleSet != null) {
        answers = sampleSet.description().withPredictions(int8.classes(sampleSet.images()));
      }
      if (test != null) {
        accuracy = OptionalDouble.of(int8.accuracy(test));
      }
    } catch (OrtException e) {
      throw new IOException("ONNX Runtime failed running the int8 model: " + e.getMessage(), e);
    }

    Map<String, String> meta =
        metadata(props, sourceName, parametersSha256, weights, answers, accuracy, floatFirstConv);
    meta.put(ModelFormat.KEY_CALIBRATION, calibrationJson(calibration));
    byte[] model = StnOnnxExporter.toModel(graph, meta).toByteArray();
    return new Result(model, ranges, parametersSha256, weights.sha256(), answers, accuracy);
  }

  /**
   * The source's weights, which must be those its metadata records (an stn4j model as exported).
   */
  private static StnWeights exportedWeights(
      ModelProto source, String sourceName, Map<String, String> props) throws IOException {
    StnWeights weights = OnnxInitializers.stnWeights(source, sourceName);
    String recorded = props.get(ModelFormat.KEY_PARAMETERS_SHA256);
    if (recorded == null || !recorded.equals(weights.sha256())) {
      throw new IOException(
          sourceName
              + ": its parameters do not match its "
              + ModelFormat.KEY_PARAMETERS_SHA256
              + " ("
              + recorded
              + " recorded, "
              + weights.sha256()
              + " computed): not an stn4j model as exported");
    }
    return weights;
  }

  /** The int8 model's metadata: the source's facts, then what quantizing made and measured. */
  private static Map<String, String> metadata(
      Map<String, String> props,
      String sourceName,
      String parametersSha256,
      StnWeights weights,
      SampleAnswers answers,
      OptionalDouble accuracy,
      boolean floatFirstConv)
      throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    for (String key :
        new String[] {
          ModelFormat.KEY_FORMAT_VERSION,
          ModelFormat.KEY_CLASS_NAMES,
          ModelFormat.KEY_NORMALIZATION,
          ModelFormat.KEY_INPUT_SIZE,
          ModelFormat.KEY_TRAINING_DATA
        }) {
      copy(props, meta, key, sourceName);
    }
    accuracy.ifPresent(a -> meta.put(ModelFormat.KEY_TEST_ACCURACY, Double.toString(a)));
    copy(props, meta, ModelFormat.KEY_TRAINING, sourceName);
    meta.put(ModelFormat.KEY_PRODUCER, StnOnnxExporter.producer());
    meta.put(ModelFormat.KEY_CREATED, Instant.now().toString());
    meta.put(ModelFormat.KEY_PARAMETERS_SHA256, parametersSha256);
    if (answers != null) {
      meta.put(ModelFormat.KEY_SAMPLE_SET, answers.toJson());
    }
    meta.put(ModelFormat.KEY_SOURCE_PARAMETERS_SHA256, weights.sha256());
    meta.put(ModelFormat.KEY_QUANTIZATION, quantizationJson(floatFirstConv));
    return meta;
  }

  /** Runs the float calibration graph on the images and collects each tap's range. */
  static ActivationRanges calibrate(StnWeights weights, CifarBatch images) throws IOException {
    byte[] graph =
        StnOnnxExporter.toModel(
                StnGraph.build(
                    weights,
                    StnOnnxExporter.DEFAULT_CHANNEL_BLOCK,
                    QuantizedClassifier.calibration(weights)),
                Map.of())
            .toByteArray();
    Map<String, Tap> byOutput = new HashMap<>();
    for (Tap t : Tap.values()) {
      byOutput.put(t.outputName(), t);
    }
    ActivationRanges.Builder ranges = ActivationRanges.builder();
    try (OrtModel model = new OrtModel(graph, "the calibration graph")) {
      for (int from = 0; from < images.size(); from += OrtModel.CHUNK) {
        int n = Math.min(OrtModel.CHUNK, images.size() - from);
        Map<String, float[]> out = model.run(images, from, n, Set.copyOf(byOutput.keySet()));
        out.forEach((name, values) -> ranges.observe(byOutput.get(name), values));
      }
    } catch (OrtException e) {
      throw new IOException("ONNX Runtime failed running the calibration: " + e.getMessage(), e);
    }
    return ranges.build();
  }

  /**
   * The int8 model's {@code stn4j.parameters_sha256}: SHA-256 over the 16 parameters in the
   * canonical order, each as stored: a float parameter as its float32 values, a quantized weight as
   * its int8 values then its float32 scales, a quantized bias as its int32 values then its float32
   * scales (little-endian {@code raw_data}).
   */
  static String parametersSha256(GraphProto graph) {
    Map<String, TensorProto> byName = new HashMap<>();
    for (TensorProto t : graph.getInitializerList()) {
      byName.put(t.getName(), t);
    }
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    for (StnParameter p : StnParameter.values()) {
      String[] parts =
          byName.containsKey(p.key())
              ? new String[] {p.key()}
              : byName.containsKey(p.key() + ".int8")
                  ? new String[] {p.key() + ".int8", p.key() + ".scale"}
                  : new String[] {p.key() + ".int32", p.key() + ".scale"};
      for (String part : parts) {
        TensorProto t = byName.get(part);
        if (t == null) {
          throw new IllegalArgumentException("the graph has no initializer " + part);
        }
        digest.update(t.getRawData().asReadOnlyByteBuffer());
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void copy(
      Map<String, String> from, Map<String, String> to, String key, String sourceName)
      throws IOException {
    String v = from.get(key);
    if (v == null) {
      throw new IOException(sourceName + ": no metadata " + key + ": not an stn4j model");
    }
    to.put(key, v);
  }

  private static String quantizationJson(boolean floatFirstConv) {
    ObjectNode q = JSON.createObjectNode();
    q.put("format", "QDQ");
    q.put("weights", "int8, symmetric, per output channel");
    q.put("activations", "int8, asymmetric, per tensor");
    q.put("bias", "int32, scale = input scale x weight scale");
    ArrayNode int8 = q.putArray("int8");
    if (!floatFirstConv) {
      int8.add(StnParameter.CLS_CONV1_WEIGHT.key());
    }
    int8.add(StnParameter.CLS_CONV2_WEIGHT.key())
        .add(StnParameter.CLS_FC1_WEIGHT.key())
        .add(StnParameter.CLS_FC2_WEIGHT.key());
    ArrayNode floats =
        q.putArray("float").add("localization network").add("affine grid").add("GridSample");
    if (floatFirstConv) {
      floats.add("classifier conv1 and its pooling");
    }
    floats.add("softmax");
    return q.toString();
  }

  private static String calibrationJson(CalibrationImages c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("method", METHOD);
    o.put("images", c.images().size());
    o.put("split", "train");
    o.put("source", c.source());
    return o.toString();
  }
}
