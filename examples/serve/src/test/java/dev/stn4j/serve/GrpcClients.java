package dev.stn4j.serve;

import com.google.protobuf.ByteString;
import dev.stn4j.serve.grpc.v2.GRPCInferenceServiceGrpc;
import dev.stn4j.serve.grpc.v2.InferTensorContents;
import dev.stn4j.serve.grpc.v2.ModelInferRequest;
import dev.stn4j.serve.grpc.v2.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** gRPC requests and responses of the tests: channels on loopback, inputs raw or typed. */
final class GrpcClients {
  private GrpcClients() {}

  static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port)
        .usePlaintext()
        .maxInboundMessageSize(64 << 20)
        .build();
  }

  static void close(ManagedChannel channel) throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(ManagedChannel channel) {
    return GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** The image input's header: name, FP32, [N,3,S,S] (S from the images' length). */
  static ModelInferRequest.InferInputTensor.Builder input(List<float[]> images) {
    int size = (int) Math.round(Math.sqrt(images.get(0).length / 3.0));
    return ModelInferRequest.InferInputTensor.newBuilder()
        .setName("image")
        .setDatatype("FP32")
        .addShape(images.size())
        .addShape(3)
        .addShape(size)
        .addShape(size);
  }

  /** A request with the images in raw_input_contents, as Triton's clients send them. */
  static ModelInferRequest.Builder raw(List<float[]> images) {
    return ModelInferRequest.newBuilder()
        .setModelName("stn")
        .addInputs(input(images))
        .addRawInputContents(bytes(images));
  }

  /** A request with the images in the typed contents.fp32_contents. */
  static ModelInferRequest.Builder typed(List<float[]> images) {
    InferTensorContents.Builder c = InferTensorContents.newBuilder();
    for (float[] image : images) {
      for (float v : image) {
        c.addFp32Contents(v);
      }
    }
    return ModelInferRequest.newBuilder()
        .setModelName("stn")
        .addInputs(input(images).setContents(c));
  }

  static ByteString bytes(List<float[]> images) {
    ByteBuffer b =
        ByteBuffer.allocate(4 * images.size() * images.get(0).length)
            .order(ByteOrder.LITTLE_ENDIAN);
    for (float[] image : images) {
      for (float v : image) {
        b.putFloat(v);
      }
    }
    return ByteString.copyFrom(b.array());
  }

  /** Output {@code name} of a response, from raw_output_contents at its position. */
  static float[] output(ModelInferResponse r, String name) {
    for (int k = 0; k < r.getOutputsCount(); k++) {
      if (r.getOutputs(k).getName().equals(name)) {
        ByteBuffer b =
            r.getRawOutputContents(k).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
      }
    }
    throw new AssertionError("no output " + name + " in " + r.getOutputsList());
  }

  /** The status a call ended with, and its message, as "CODE: message". */
  static String failure(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() + ": " + e.getStatus().getDescription();
    }
    throw new AssertionError("the call succeeded");
  }
}
