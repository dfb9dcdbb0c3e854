package dev.stn4j.serve;

import static dev.stn4j.serve.OpenInference.HEADER_LENGTH;
import static dev.stn4j.serve.OpenInference.OUTPUT_NAMES;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.stn4j.sdk.internal.ModelFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Reads an Open Inference Protocol {@code infer} request, JSON tensors or the binary tensor data
 * extension, into an {@link InferRequest}, checking it against the model contract at the served
 * model's image size S ({@code [N,3,S,S]}); every refusal is a 400 that names what is wrong.
 */
final class InferRequestReader {
  // NaN and Infinity parse, so that they get a message saying which value is not finite.
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private final int size;
  private final int plane;
  private final int values;

  /** A reader of requests for a model taking 3×{@code size}×{@code size} images. */
  InferRequestReader(int size) {
    this.size = size;
    this.plane = size * size;
    this.values = 3 * plane;
  }

  /**
   * Parses and checks a request.
   *
   * @param headerLength the {@code Inference-Header-Content-Length} header, or null for pure JSON
   * @throws HttpError 400 naming what is wrong
   */
  InferRequest read(byte[] body, String headerLength) throws HttpError {
    int jsonLength = jsonLength(body, headerLength);
    JsonNode root = readObject(body, jsonLength);
    String id = root.hasNonNull("id") ? root.get("id").asText() : null;
    JsonNode input = imageInput(root);
    int n = imageCount(input.get("shape"));
    float[] data = new float[n * values];
    JsonNode binarySize = input.path("parameters").get("binary_data_size");
    if (binarySize != null) {
      if (headerLength == null) {
        throw HttpError.badRequest(
            "input 'image' has binary_data_size but the request has no " + HEADER_LENGTH);
      }
      readBinary(body, jsonLength, binarySize, n, data);
    } else {
      readJsonData(input, n, data);
      if (headerLength != null && jsonLength != body.length) {
        throw HttpError.badRequest(
            (body.length - jsonLength)
                + " bytes follow the JSON but no input has binary_data_size");
      }
    }
    requireFinite(data);
    List<float[]> images = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      images.add(Arrays.copyOfRange(data, i * values, (i + 1) * values));
    }
    boolean binaryDefault = root.path("parameters").path("binary_data_output").asBoolean(false);
    return new InferRequest(id, images, outputs(root.get("outputs"), binaryDefault));
  }

  /** The JSON's length: the whole body, or the part {@code headerLength} says. */
  private static int jsonLength(byte[] body, String headerLength) throws HttpError {
    if (headerLength == null) {
      return body.length;
    }
    int jsonLength;
    try {
      jsonLength = Integer.parseInt(headerLength.trim());
    } catch (NumberFormatException e) {
      throw HttpError.badRequest(HEADER_LENGTH + " is not a number: '" + headerLength + "'");
    }
    if (jsonLength < 0 || jsonLength > body.length) {
      throw HttpError.badRequest(
          HEADER_LENGTH + " is " + jsonLength + " but the body has " + body.length + " bytes");
    }
    return jsonLength;
  }

  private static JsonNode readObject(byte[] body, int jsonLength) throws HttpError {
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
    return root;
  }

  /** The one input, checked to be the model's FP32 image tensor. */
  private static JsonNode imageInput(JsonNode root) throws HttpError {
    JsonNode inputs = root.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.size() != 1) {
      throw HttpError.badRequest(
          "\"inputs\" must be an array of exactly one tensor, '" + ModelFormat.INPUT_IMAGE + "'");
    }
    JsonNode input = inputs.get(0);
    requireImageInput(input.path("name").asText(null), input.path("datatype").asText(null));
    return input;
  }

  /** Checks an input's name and datatype against the model's FP32 image tensor (REST and gRPC). */
  static void requireImageInput(String name, String datatype) throws HttpError {
    if (!ModelFormat.INPUT_IMAGE.equals(name)) {
      throw HttpError.badRequest(
          "unknown input '" + name + "'; the model's input is '" + ModelFormat.INPUT_IMAGE + "'");
    }
    if (!"FP32".equals(datatype)) {
      throw HttpError.badRequest(
          "input 'image' has datatype " + datatype + "; the model takes FP32");
    }
  }

  /** Reads the binary tensor data after the JSON into {@code data}, {@code n} images' worth. */
  private void readBinary(byte[] body, int jsonLength, JsonNode binarySize, int n, float[] data)
      throws HttpError {
    long bytes = binarySize.asLong(-1);
    int rest = body.length - jsonLength;
    if (bytes != 4L * data.length) {
      throw HttpError.badRequest(
          "input 'image' has binary_data_size "
              + binarySize
              + "; shape "
              + shapeText(n)
              + " in FP32 is "
              + 4L * data.length
              + " bytes");
    }
    if (rest != bytes) {
      throw HttpError.badRequest(
          "input 'image' has binary_data_size "
              + bytes
              + " but "
              + rest
              + " bytes follow the JSON");
    }
    ByteBuffer.wrap(body, jsonLength, rest)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(data);
  }

  /** Reads the input's {@code data} array, flat or nested, into {@code data}. */
  private void readJsonData(JsonNode input, int n, float[] data) throws HttpError {
    JsonNode array = input.get("data");
    if (array == null || !array.isArray()) {
      throw HttpError.badRequest("input 'image' has no \"data\" array (nor binary_data_size)");
    }
    int[] count = {0};
    flatten(array, data, count);
    if (count[0] != data.length) {
      throw HttpError.badRequest(
          "input 'image' has "
              + count[0]
              + " values; shape "
              + shapeText(n)
              + " needs "
              + data.length);
    }
  }

  /** Checks every value is finite, naming the first that is not (REST and gRPC). */
  void requireFinite(float[] data) throws HttpError {
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        throw HttpError.badRequest(
            String.format(
                "input 'image' value %d (image %d, channel %d, row %d, column %d) is %s; values must be finite, RGB in [0,1]",
                i, i / values, i % values / plane, i % plane / size, i % size, data[i]));
      }
    }
  }

  private int imageCount(JsonNode shape) throws HttpError {
    if (shape == null || !shape.isArray() || shape.size() != 4) {
      throw HttpError.badRequest(
          "input 'image' has shape " + shape + "; the model takes " + expectedShape());
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
    return imageCount(dims);
  }

  /** N of an image shape {@code [N,3,S,S]}, checked against the model (REST and gRPC). */
  int imageCount(long[] dims) throws HttpError {
    String shape = Arrays.toString(dims).replace(" ", "");
    if (dims.length != 4 || dims[0] < 1 || dims[1] != 3 || dims[2] != size || dims[3] != size) {
      throw HttpError.badRequest(
          "input 'image' has shape "
              + shape
              + "; the model takes "
              + expectedShape()
              + " with N >= 1");
    }
    if (dims[0] > Integer.MAX_VALUE / values) {
      throw HttpError.badRequest("input 'image' has " + dims[0] + " images, too many");
    }
    return (int) dims[0];
  }

  private String expectedShape() {
    return "[N,3," + size + "," + size + "]";
  }

  /** {@code [n,3,S,S]}. */
  String shapeText(int n) {
    return "[" + n + ",3," + size + "," + size + "]";
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
      requireOutput(name);
      boolean binary = o.path("parameters").path("binary_data").asBoolean(binaryDefault);
      specs.add(new InferRequest.OutputSpec(name, binary));
    }
    return specs;
  }

  /** Checks a requested output is one of the model's (REST and gRPC). */
  static void requireOutput(String name) throws HttpError {
    if (!OUTPUT_NAMES.contains(name)) {
      throw HttpError.badRequest(
          "unknown output '" + name + "'; the model's outputs are " + OUTPUT_NAMES);
    }
  }
}
