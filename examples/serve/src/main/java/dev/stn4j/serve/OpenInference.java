package dev.stn4j.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.Theta;
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
  static final String HEADER_LENGTH = "Inference-Header-Content-Length";
  static final List<String> OUTPUT_NAMES =
      List.of(
          ModelFormat.OUTPUT_PROBABILITIES, ModelFormat.OUTPUT_THETA, ModelFormat.OUTPUT_WARPED);

  private static final JsonFactory FACTORY = new JsonFactory();

  private final int classes;
  private final int size;
  private final InferRequestReader reader;

  /** The protocol for a model of {@code classes} classes taking 3×{@code size}×{@code size}. */
  OpenInference(int classes, int size) {
    this.classes = classes;
    this.size = size;
    this.reader = new InferRequestReader(size);
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
      default -> new long[] {n, 3, size, size};
    };
  }

  private float[] values(String name, List<Prediction> predictions) {
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
        int values = 3 * size * size;
        float[] v = new float[n * values];
        for (int i = 0; i < n; i++) {
          System.arraycopy(predictions.get(i).warped().chw(), 0, v, i * values, values);
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
      tensorMetadata(g, ModelFormat.INPUT_IMAGE, new long[] {-1, 3, size, size});
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
