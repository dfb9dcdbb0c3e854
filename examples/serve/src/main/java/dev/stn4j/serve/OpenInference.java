package dev.stn4j.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.stn4j.data.Cifar10;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.Theta;
import dev.stn4j.sdk.internal.ModelFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The KServe Open Inference Protocol (v2), REST: reading {@code infer} requests (JSON tensors, and
 * the binary tensor data extension Triton's clients use) and writing their responses. The tensor
 * names and shapes are the model contract's ({@code docs/model-format.md}).
 */
final class OpenInference {
  static final String MODEL_NAME = "stn";
  static final String MODEL_VERSION = "1";
  static final String HEADER_LENGTH = "Inference-Header-Content-Length";
  static final List<String> OUTPUT_NAMES =
      List.of(
          ModelFormat.OUTPUT_PROBABILITIES, ModelFormat.OUTPUT_THETA, ModelFormat.OUTPUT_WARPED);

  // NaN and Infinity parse, so that they get a message saying which value is not finite.
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final JsonFactory FACTORY = new JsonFactory();

  private final int classes;

  OpenInference(int classes) {
    this.classes = classes;
  }

  /** The encoded response: the body, its content type and, for binary data, the JSON's length. */
  record Encoded(byte[] body, String contentType, int jsonLength, boolean binary) {}

  /**
   * Parses and checks a request.
   *
   * @param headerLength the {@code Inference-Header-Content-Length} header, or null for pure JSON
   * @throws HttpError 400 naming what is wrong
   */
  InferRequest parse(byte[] body, String headerLength) throws HttpError {
    int jsonLength = body.length;
    if (headerLength != null) {
      try {
        jsonLength = Integer.parseInt(headerLength.trim());
      } catch (NumberFormatException e) {
        throw HttpError.badRequest(HEADER_LENGTH + " is not a number: '" + headerLength + "'");
      }
      if (jsonLength < 0 || jsonLength > body.length) {
        throw HttpError.badRequest(
            HEADER_LENGTH + " is " + jsonLength + " but the body has " + body.length + " bytes");
      }
    }
    JsonNode root;
    try {
      root = JSON.readTree(body, 0, jsonLength);
    } catch (JsonParseException e) {
      throw HttpError.badRequest("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw HttpError.badRequest("malformed JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw HttpError.badRequest("the request must be a JSON object with \"inputs\"");
    }
    String id = root.hasNonNull("id") ? root.get("id").asText() : null;
    JsonNode inputs = root.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.size() != 1) {
      throw HttpError.badRequest(
          "\"inputs\" must be an array of exactly one tensor, '" + ModelFormat.INPUT_IMAGE + "'");
    }
    JsonNode input = inputs.get(0);
    String name = input.path("name").asText(null);
    if (!ModelFormat.INPUT_IMAGE.equals(name)) {
      throw HttpError.badRequest(
          "unknown input '" + name + "'; the model's input is '" + ModelFormat.INPUT_IMAGE + "'");
    }
    String datatype = input.path("datatype").asText(null);
    if (!"FP32".equals(datatype)) {
      throw HttpError.badRequest(
          "input 'image' has datatype " + datatype + "; the model takes FP32");
    }
    int n = imageCount(input.get("shape"));
    int values = n * Cifar10.IMAGE_VALUES;
    float[] data = new float[values];
    JsonNode binarySize = input.path("parameters").get("binary_data_size");
    if (binarySize != null) {
      if (headerLength == null) {
        throw HttpError.badRequest(
            "input 'image' has binary_data_size but the request has no " + HEADER_LENGTH);
      }
      long size = binarySize.asLong(-1);
      int rest = body.length - jsonLength;
      if (size != 4L * values) {
        throw HttpError.badRequest(
            "input 'image' has binary_data_size "
                + binarySize
                + "; shape "
                + shapeText(n)
                + " in FP32 is "
                + 4L * values
                + " bytes");
      }
      if (rest != size) {
        throw HttpError.badRequest(
            "input 'image' has binary_data_size "
                + size
                + " but "
                + rest
                + " bytes follow the JSON");
      }
      ByteBuffer.wrap(body, jsonLength, rest)
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(data);
    } else {
      JsonNode array = input.get("data");
      if (array == null || !array.isArray()) {
        throw HttpError.badRequest("input 'image' has no \"data\" array (nor binary_data_size)");
      }
      int[] count = {0};
      flatten(array, data, count);
      if (count[0] != values) {
        throw HttpError.badRequest(
            "input 'image' has "
                + count[0]
                + " values; shape "
                + shapeText(n)
                + " needs "
                + values);
      }
      if (headerLength != null && jsonLength != body.length) {
        throw HttpError.badRequest(
            (body.length - jsonLength)
                + " bytes follow the JSON but no input has binary_data_size");
      }
    }
    for (int i = 0; i < values; i++) {
      if (!Float.isFinite(data[i])) {
        throw HttpError.badRequest(
            String.format(
                "input 'image' value %d (image %d, channel %d, row %d, column %d) is %s; values must be finite, RGB in [0,1]",
                i,
                i / Cifar10.IMAGE_VALUES,
                i % Cifar10.IMAGE_VALUES / (Cifar10.HEIGHT * Cifar10.WIDTH),
                i % (Cifar10.HEIGHT * Cifar10.WIDTH) / Cifar10.WIDTH,
                i % Cifar10.WIDTH,
                data[i]));
      }
    }
    List<float[]> images = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      images.add(
          Arrays.copyOfRange(data, i * Cifar10.IMAGE_VALUES, (i + 1) * Cifar10.IMAGE_VALUES));
    }
    boolean binaryDefault = root.path("parameters").path("binary_data_output").asBoolean(false);
    return new InferRequest(id, images, outputs(root.get("outputs"), binaryDefault));
  }

  private static int imageCount(JsonNode shape) throws HttpError {
    if (shape == null || !shape.isArray() || shape.size() != 4) {
      throw HttpError.badRequest(
          "input 'image' has shape " + shape + "; the model takes [N,3,32,32]");
    }
    long[] dims = new long[4];
    for (int i = 0; i < 4; i++) {
      JsonNode d = shape.get(i);
      if (!d.canConvertToLong() || !d.isIntegralNumber()) {
        throw HttpError.badRequest(
            "input 'image' has shape " + shape + "; dimensions must be integers");
      }
      dims[i] = d.asLong();
    }
    if (dims[0] < 1
        || dims[1] != Cifar10.CHANNELS
        || dims[2] != Cifar10.HEIGHT
        || dims[3] != Cifar10.WIDTH) {
      throw HttpError.badRequest(
          "input 'image' has shape " + shape + "; the model takes [N,3,32,32] with N >= 1");
    }
    if (dims[0] > Integer.MAX_VALUE / Cifar10.IMAGE_VALUES) {
      throw HttpError.badRequest("input 'image' has " + dims[0] + " images, too many");
    }
    return (int) dims[0];
  }

  private static String shapeText(int n) {
    return "[" + n + ",3,32,32]";
  }

  /** Copies a flat or nested JSON number array into {@code dst}, counting past its end. */
  private static void flatten(JsonNode node, float[] dst, int[] count) throws HttpError {
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      JsonNode v = it.next();
      if (v.isArray()) {
        flatten(v, dst, count);
      } else if (v.isNumber()) {
        if (count[0] < dst.length) {
          dst[count[0]] = v.floatValue();
        }
        count[0]++;
      } else {
        throw HttpError.badRequest(
            "input 'image' data value " + count[0] + " is not a number: " + v);
      }
    }
  }

  private static List<InferRequest.OutputSpec> outputs(JsonNode outputs, boolean binaryDefault)
      throws HttpError {
    List<InferRequest.OutputSpec> specs = new ArrayList<>();
    if (outputs == null || outputs.isNull()) {
      for (String name : OUTPUT_NAMES) {
        specs.add(new InferRequest.OutputSpec(name, binaryDefault));
      }
      return specs;
    }
    if (!outputs.isArray()) {
      throw HttpError.badRequest("\"outputs\" must be an array");
    }
    for (JsonNode o : outputs) {
      String name = o.path("name").asText(null);
      if (!OUTPUT_NAMES.contains(name)) {
        throw HttpError.badRequest(
            "unknown output '" + name + "'; the model's outputs are " + OUTPUT_NAMES);
      }
      boolean binary = o.path("parameters").path("binary_data").asBoolean(binaryDefault);
      specs.add(new InferRequest.OutputSpec(name, binary));
    }
    return specs;
  }

  /** The response to {@code request}: its outputs of {@code predictions}, in order. */
  Encoded encode(InferRequest request, List<Prediction> predictions) throws IOException {
    int n = predictions.size();
    List<float[]> tensors = new ArrayList<>();
    boolean anyBinary = false;
    for (InferRequest.OutputSpec spec : request.outputs()) {
      tensors.add(values(spec.name(), predictions));
      anyBinary |= spec.binary();
    }
    ByteArrayOutputStream json = new ByteArrayOutputStream(anyBinary ? 512 : 64 * 1024);
    try (JsonGenerator g = FACTORY.createGenerator(json)) {
      g.writeStartObject();
      g.writeStringField("model_name", MODEL_NAME);
      g.writeStringField("model_version", MODEL_VERSION);
      if (request.id() != null) {
        g.writeStringField("id", request.id());
      }
      g.writeArrayFieldStart("outputs");
      for (int k = 0; k < request.outputs().size(); k++) {
        InferRequest.OutputSpec spec = request.outputs().get(k);
        float[] v = tensors.get(k);
        g.writeStartObject();
        g.writeStringField("name", spec.name());
        g.writeStringField("datatype", "FP32");
        g.writeArrayFieldStart("shape");
        for (long d : shape(spec.name(), n)) {
          g.writeNumber(d);
        }
        g.writeEndArray();
        if (spec.binary()) {
          g.writeObjectFieldStart("parameters");
          g.writeNumberField("binary_data_size", 4L * v.length);
          g.writeEndObject();
        } else {
          g.writeArrayFieldStart("data");
          for (float f : v) {
            g.writeNumber(f); // shortest decimal that reads back as the same float
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    if (!anyBinary) {
      return new Encoded(json.toByteArray(), "application/json", json.size(), false);
    }
    int jsonLength = json.size();
    for (int k = 0; k < tensors.size(); k++) {
      if (request.outputs().get(k).binary()) {
        float[] v = tensors.get(k);
        ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        json.write(bytes.array(), 0, bytes.capacity());
      }
    }
    return new Encoded(json.toByteArray(), "application/octet-stream", jsonLength, true);
  }

  private long[] shape(String name, int n) {
    return switch (name) {
      case ModelFormat.OUTPUT_PROBABILITIES -> new long[] {n, classes};
      case ModelFormat.OUTPUT_THETA -> new long[] {n, 2, 3};
      default -> new long[] {n, Cifar10.CHANNELS, Cifar10.HEIGHT, Cifar10.WIDTH};
    };
  }

  private static float[] values(String name, List<Prediction> predictions) {
    int n = predictions.size();
    switch (name) {
      case ModelFormat.OUTPUT_PROBABILITIES -> {
        int c = predictions.isEmpty() ? 0 : predictions.get(0).probabilities().length;
        float[] v = new float[n * c];
        for (int i = 0; i < n; i++) {
          System.arraycopy(predictions.get(i).probabilities(), 0, v, i * c, c);
        }
        return v;
      }
      case ModelFormat.OUTPUT_THETA -> {
        float[] v = new float[n * 6];
        for (int i = 0; i < n; i++) {
          Theta t = predictions.get(i).theta();
          float[] row = {t.a(), t.b(), t.tx(), t.c(), t.d(), t.ty()};
          System.arraycopy(row, 0, v, i * 6, 6);
        }
        return v;
      }
      default -> {
        float[] v = new float[n * Cifar10.IMAGE_VALUES];
        for (int i = 0; i < n; i++) {
          System.arraycopy(
              predictions.get(i).warped().chw(),
              0,
              v,
              i * Cifar10.IMAGE_VALUES,
              Cifar10.IMAGE_VALUES);
        }
        return v;
      }
    }
  }

  /** {@code GET /v2/models/stn}: the model's metadata in the protocol's form. */
  byte[] modelMetadata() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("name", MODEL_NAME);
      g.writeArrayFieldStart("versions");
      g.writeString(MODEL_VERSION);
      g.writeEndArray();
      g.writeStringField("platform", "onnxruntime_onnx");
      g.writeArrayFieldStart("inputs");
      tensorMetadata(g, ModelFormat.INPUT_IMAGE, new long[] {-1, 3, 32, 32});
      g.writeEndArray();
      g.writeArrayFieldStart("outputs");
      for (String name : OUTPUT_NAMES) {
        long[] s = shape(name, 1);
        s[0] = -1;
        tensorMetadata(g, name, s);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private static void tensorMetadata(JsonGenerator g, String name, long[] shape)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("name", name);
    g.writeStringField("datatype", "FP32");
    g.writeArrayFieldStart("shape");
    for (long d : shape) {
      g.writeNumber(d);
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
