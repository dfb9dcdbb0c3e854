package dev.stn4j.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The {@code metadata_props} of an int8 model (docs/model-format.md, "Int8 models"): the source's
 * facts it keeps, then what quantizing made and measured, in the contract's order.
 */
final class Int8Metadata {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Int8Metadata() {}

  /** The {@code metadata_props} of a model, in their order. */
  static Map<String, String> of(ModelProto model) {
    Map<String, String> props = new LinkedHashMap<>();
    for (StringStringEntryProto e : model.getMetadataPropsList()) {
      props.put(e.getKey(), e.getValue());
    }
    return props;
  }

  static Normalization normalization(Map<String, String> props, String sourceName)
      throws IOException {
    String json = props.get(ModelFormat.KEY_NORMALIZATION);
    if (json == null) {
      throw new IOException(
          sourceName + ": no metadata " + ModelFormat.KEY_NORMALIZATION + ": not an stn4j model");
    }
    try {
      return Normalization.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          sourceName + ": " + ModelFormat.KEY_NORMALIZATION + ": " + e.getMessage(), e);
    }
  }

  /**
   * The source's class names ({@link ModelFormat#KEY_CLASS_NAMES}), in label order.
   *
   * @throws IOException naming the source when it records none or they are not a JSON array of
   *     names
   */
  static List<String> classNames(Map<String, String> props, String sourceName) throws IOException {
    String json = props.get(ModelFormat.KEY_CLASS_NAMES);
    if (json == null) {
      throw new IOException(
          sourceName + ": no metadata " + ModelFormat.KEY_CLASS_NAMES + ": not an stn4j model");
    }
    List<String> names = new ArrayList<>();
    try {
      JsonNode array = JSON.readTree(json);
      for (JsonNode n : array) {
        names.add(n.asText());
      }
      if (!array.isArray() || names.isEmpty()) {
        throw new IOException("not a JSON array of names");
      }
    } catch (IOException e) {
      throw new IOException(
          sourceName + ": " + ModelFormat.KEY_CLASS_NAMES + ": " + e.getMessage(), e);
    }
    return names;
  }

  /** The int8 model's metadata: the source's facts, then what quantizing made and measured. */
  static Map<String, String> of(
      Map<String, String> props,
      String sourceName,
      String parametersSha256,
      StnWeights weights,
      SampleAnswers answers,
      OptionalDouble accuracy,
      Int8Quantizer.Options options)
      throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    // Written as this contract's version whatever the source's: the answers are in its form.
    meta.put(ModelFormat.KEY_FORMAT_VERSION, ModelFormat.FORMAT_VERSION);
    meta.put(ModelFormat.KEY_ARCHITECTURE, ModelFormat.ARCHITECTURE_STN);
    for (String key :
        new String[] {
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
      StnOnnxExporter.putSampleSet(meta, answers);
    }
    meta.put(ModelFormat.KEY_SOURCE_PARAMETERS_SHA256, weights.sha256());
    meta.put(ModelFormat.KEY_QUANTIZATION, quantizationJson(options));
    return meta;
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

  private static String quantizationJson(Int8Quantizer.Options options) {
    boolean floatFirstConv = options.floatFirstConv();
    int max = options.weightRange().max();
    ObjectNode q = JSON.createObjectNode();
    q.put("format", "QDQ");
    q.put("weights", "int8, symmetric, per output channel");
    // Readers and people can tell a 7-bit model (portable across x86) from a full-range one.
    q.putArray("weight_range").add(-max).add(max);
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

  static String calibrationJson(Int8Quantizer.CalibrationImages c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("method", Int8Quantizer.METHOD);
    o.put("images", c.images().size());
    o.put("split", "train");
    o.put("source", c.source());
    o.put("selection", c.selection());
    return o.toString();
  }
}
