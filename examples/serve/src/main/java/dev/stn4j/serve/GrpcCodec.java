package dev.stn4j.serve;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.serve.grpc.v2.InferTensorContents;
import dev.stn4j.serve.grpc.v2.ModelInferRequest;
import dev.stn4j.serve.grpc.v2.ModelInferResponse;
import dev.stn4j.serve.grpc.v2.ModelMetadataResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Open Inference Protocol's gRPC messages for the served model: a {@code ModelInferRequest}
 * read into an {@link InferRequest} with the same checks and messages as REST ({@link
 * InferRequestReader}), the response with every output in {@code raw_output_contents} (what
 * Triton's clients read), and the model's metadata from {@link ModelTensors}.
 */
final class GrpcCodec {
  private final ModelTensors tensors;
  private final InferRequestReader checks;
  private final int values;

  /** The messages of a model of {@code classes} classes taking 3×{@code size}×{@code size}. */
  GrpcCodec(int classes, int size) {
    this.tensors = new ModelTensors(classes, size);
    this.checks = new InferRequestReader(size);
    this.values = 3 * size * size;
  }

  /**
   * The request, checked.
   *
   * @throws HttpError 404 for another model or version, 400 naming what else is wrong
   */
  InferRequest read(ModelInferRequest r) throws HttpError {
    String version = r.getModelVersion();
    OpenInference.requireServed(r.getModelName(), version.isEmpty() ? null : version);
    if (r.getInputsCount() != 1) {
      throw HttpError.badRequest(
          "the request has "
              + r.getInputsCount()
              + " inputs; the model takes exactly one, 'image'");
    }
    ModelInferRequest.InferInputTensor input = r.getInputs(0);
    InferRequestReader.requireImageInput(input.getName(), input.getDatatype());
    long[] dims = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
    int n = checks.imageCount(dims);
    float[] data = new float[n * values];
    String typed = typedField(input.getContents());
    if (r.getRawInputContentsCount() > 0) {
      if (typed != null) {
        throw HttpError.badRequest(
            "input 'image' has both raw_input_contents and contents." + typed + "; send one");
      }
      readRaw(r, n, data);
    } else if (typed != null) {
      readTyped(input.getContents(), typed, n, data);
    } else {
      throw HttpError.badRequest(
          "input 'image' has no data: neither raw_input_contents nor contents.fp32_contents");
    }
    checks.requireFinite(data);
    List<float[]> images = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      images.add(Arrays.copyOfRange(data, i * values, (i + 1) * values));
    }
    return new InferRequest(r.getId().isEmpty() ? null : r.getId(), images, outputs(r));
  }

  private void readRaw(ModelInferRequest r, int n, float[] data) throws HttpError {
    if (r.getRawInputContentsCount() != 1) {
      throw HttpError.badRequest(
          "raw_input_contents has "
              + r.getRawInputContentsCount()
              + " entries; it needs one per input, and the request has 1");
    }
    ByteString raw = r.getRawInputContents(0);
    if (raw.size() != 4L * data.length) {
      throw HttpError.badRequest(
          "input 'image' has "
              + raw.size()
              + " bytes in raw_input_contents; shape "
              + checks.shapeText(n)
              + " in FP32 is "
              + 4L * data.length
              + " bytes");
    }
    raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
  }

  private void readTyped(InferTensorContents c, String field, int n, float[] data)
      throws HttpError {
    if (!field.equals("fp32_contents")) {
      throw HttpError.badRequest(
          "input 'image' has contents." + field + "; FP32 values go in contents.fp32_contents");
    }
    if (c.getFp32ContentsCount() != data.length) {
      throw HttpError.badRequest(
          "input 'image' has "
              + c.getFp32ContentsCount()
              + " values in contents.fp32_contents; shape "
              + checks.shapeText(n)
              + " needs "
              + data.length);
    }
    for (int i = 0; i < data.length; i++) {
      data[i] = c.getFp32Contents(i);
    }
  }

  /** The first typed field holding values, or null when none does. */
  private static String typedField(InferTensorContents c) {
    if (c.getFp32ContentsCount() > 0) {
      return "fp32_contents";
    }
    int[] counts = {
      c.getBoolContentsCount(), c.getIntContentsCount(), c.getInt64ContentsCount(),
      c.getUintContentsCount(), c.getUint64ContentsCount(), c.getFp64ContentsCount(),
      c.getBytesContentsCount()
    };
    String[] names = {
      "bool_contents",
      "int_contents",
      "int64_contents",
      "uint_contents",
      "uint64_contents",
      "fp64_contents",
      "bytes_contents"
    };
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        return names[i];
      }
    }
    return null;
  }

  /** The outputs asked for, in order; all of the model's when none is named. */
  private static List<InferRequest.OutputSpec> outputs(ModelInferRequest r) throws HttpError {
    List<InferRequest.OutputSpec> specs = new ArrayList<>();
    if (r.getOutputsCount() == 0) {
      for (String name : OpenInference.OUTPUT_NAMES) {
        specs.add(new InferRequest.OutputSpec(name, true));
      }
      return specs;
    }
    for (ModelInferRequest.InferRequestedOutputTensor o : r.getOutputsList()) {
      InferRequestReader.requireOutput(o.getName());
      specs.add(new InferRequest.OutputSpec(o.getName(), true));
    }
    return specs;
  }

  /** The response: the requested outputs of {@code predictions}, in order, as raw bytes. */
  ModelInferResponse encode(InferRequest request, List<Prediction> predictions) {
    ModelInferResponse.Builder b =
        ModelInferResponse.newBuilder()
            .setModelName(OpenInference.MODEL_NAME)
            .setModelVersion(OpenInference.MODEL_VERSION);
    if (request.id() != null) {
      b.setId(request.id());
    }
    for (InferRequest.OutputSpec spec : request.outputs()) {
      float[] v = tensors.outputValues(spec.name(), predictions);
      ModelInferResponse.InferOutputTensor.Builder t =
          b.addOutputsBuilder().setName(spec.name()).setDatatype(ModelTensors.FP32);
      for (long d : tensors.outputShape(spec.name(), predictions.size())) {
        t.addShape(d);
      }
      ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      bytes.asFloatBuffer().put(v);
      // The array is never touched again: the message may share it rather than copy it.
      b.addRawOutputContents(UnsafeByteOperations.unsafeWrap(bytes.array()));
    }
    return b.build();
  }

  /** The model's metadata, the same tensors as REST's {@code GET /v2/models/stn}. */
  ModelMetadataResponse metadata() {
    ModelMetadataResponse.Builder b =
        ModelMetadataResponse.newBuilder()
            .setName(OpenInference.MODEL_NAME)
            .addVersions(OpenInference.MODEL_VERSION)
            .setPlatform(OpenInference.PLATFORM);
    b.addInputs(metadata(tensors.input()));
    for (ModelTensors.Tensor t : tensors.outputs()) {
      b.addOutputs(metadata(t));
    }
    return b.build();
  }

  private static ModelMetadataResponse.TensorMetadata metadata(ModelTensors.Tensor t) {
    return ModelMetadataResponse.TensorMetadata.newBuilder()
        .setName(t.name())
        .setDatatype(t.datatype())
        .addAllShape(t.shape())
        .build();
  }
}
