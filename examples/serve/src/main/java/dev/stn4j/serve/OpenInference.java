package dev.stn4j.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.internal.ModelFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The KServe Open Inference Protocol (v2), REST: reading {@code infer} requests (JSON tensors, and
 * the binary tensor data extension Triton's clients use; {@link InferRequestReader}), writing their
 * responses and the model's metadata. The tensor names and shapes are the model contract's ({@code
 * docs/model-format.md}), at the served model's image size S and class count K.
 */
final class OpenInference {
  static final String MODEL_NAME = "stn";
  static final String MODEL_VERSION = "1";
  static final String PLATFORM = "onnxruntime_onnx";
  static final String HEADER_LENGTH = "Inference-Header-Content-Length";
  static final List<String> OUTPUT_NAMES =
      List.of(
          ModelFormat.OUTPUT_PROBABILITIES, ModelFormat.OUTPUT_THETA, ModelFormat.OUTPUT_WARPED);

  private static final JsonFactory FACTORY = new JsonFactory();

  private final ModelTensors tensors;
  private final InferRequestReader reader;

  /** The protocol for a model of {@code classes} classes taking 3×{@code size}×{@code size}. */
  OpenInference(int classes, int size) {
    this.tensors = new ModelTensors(classes, size);
    this.reader = new InferRequestReader(size);
  }

  /**
   * Checks a request names the served model, and if it names a version, the served version (REST
   * and gRPC).
   *
   * @param version null for any version
   * @throws HttpError 404 naming the unknown model or version
   */
  static void requireServed(String name, String version) throws HttpError {
    if (!MODEL_NAME.equals(name)) {
      throw new HttpError(
          404,
          "unknown_model",
          "unknown model '" + name + "'; this server serves '" + MODEL_NAME + "'");
    }
    if (version != null && !MODEL_VERSION.equals(version)) {
      throw new HttpError(
          404,
          "unknown_model",
          "unknown version '"
              + version
              + "' of model '"
              + MODEL_NAME
              + "'; it has version "
              + MODEL_VERSION);
    }
  }

  /** The encoded response: the body, its content type and, for binary data, the JSON's length. */
  record Encoded(byte[] body, String contentType, int jsonLength, boolean binary) {}

  /**
   * Parses and checks a request ({@link InferRequestReader}).
   *
   * @param headerLength the {@code Inference-Header-Content-Length} header, or null for pure JSON
   * @throws HttpError 400 naming what is wrong
   */
  InferRequest parse(byte[] body, String headerLength) throws HttpError {
    return reader.read(body, headerLength);
  }

  /** The response to {@code request}: its outputs of {@code predictions}, in order. */
  Encoded encode(InferRequest request, List<Prediction> predictions) throws IOException {
    int n = predictions.size();
    List<float[]> values = new ArrayList<>();
    boolean anyBinary = false;
    for (InferRequest.OutputSpec spec : request.outputs()) {
      values.add(tensors.outputValues(spec.name(), predictions));
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
        float[] v = values.get(k);
        g.writeStartObject();
        g.writeStringField("name", spec.name());
        g.writeStringField("datatype", "FP32");
        g.writeArrayFieldStart("shape");
        for (long d : tensors.outputShape(spec.name(), n)) {
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
    for (int k = 0; k < values.size(); k++) {
      if (request.outputs().get(k).binary()) {
        float[] v = values.get(k);
        ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        json.write(bytes.array(), 0, bytes.capacity());
      }
    }
    return new Encoded(json.toByteArray(), "application/octet-stream", jsonLength, true);
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
      g.writeStringField("platform", PLATFORM);
      g.writeArrayFieldStart("inputs");
      tensorMetadata(g, tensors.input());
      g.writeEndArray();
      g.writeArrayFieldStart("outputs");
      for (ModelTensors.Tensor t : tensors.outputs()) {
        tensorMetadata(g, t);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private static void tensorMetadata(JsonGenerator g, ModelTensors.Tensor t) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", t.name());
    g.writeStringField("datatype", t.datatype());
    g.writeArrayFieldStart("shape");
    for (long d : t.shape()) {
      g.writeNumber(d);
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
