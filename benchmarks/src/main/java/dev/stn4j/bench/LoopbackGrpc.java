package dev.stn4j.bench;

import com.google.protobuf.ByteString;
import dev.stn4j.serve.grpc.v2.GRPCInferenceServiceGrpc;
import dev.stn4j.serve.grpc.v2.ModelInferRequest;
import dev.stn4j.serve.grpc.v2.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * One load client's gRPC channel (one HTTP/2 connection) to {@code stn serve} on loopback, as
 * {@link LoopbackHttp} is one keep-alive connection: ModelInfer with the image in {@code
 * raw_input_contents} and every output asked for, as the REST binary mode asks. Thread-safe: by
 * default each client thread has its own, but one may carry every client's calls ({@code
 * --grpc-shared-channel}).
 */
final class LoopbackGrpc implements AutoCloseable {
  private final ManagedChannel channel;
  private final GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

  LoopbackGrpc(String host, int port) {
    this.channel =
        NettyChannelBuilder.forAddress(host, port)
            .usePlaintext()
            .maxInboundMessageSize(16 << 20)
            .build();
    this.stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
  }

  /** The request for one 3×S×S image. */
  static ModelInferRequest request(float[] chw) {
    int size = (int) Math.round(Math.sqrt(chw.length / 3.0));
    ByteBuffer b = ByteBuffer.allocate(4 * chw.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(chw);
    return ModelInferRequest.newBuilder()
        .setModelName("stn")
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("image")
                .setDatatype("FP32")
                .addShape(1)
                .addShape(3)
                .addShape(size)
                .addShape(size))
        .addRawInputContents(ByteString.copyFrom(b.array()))
        .build();
  }

  /** The same request with a NaN pixel, which the server must refuse (INVALID_ARGUMENT). */
  static ModelInferRequest invalid(float[] chw) {
    float[] bad = chw.clone();
    bad[100] = Float.NaN;
    return request(bad);
  }

  /**
   * Sends one call and waits for it: the answer as its REST twin would have the status (200, 400,
   * 503 for UNAVAILABLE, 500 otherwise), the body the first output's raw bytes (probabilities).
   */
  LoopbackHttp.Answer infer(ModelInferRequest request) {
    try {
      ModelInferResponse r = stub.withDeadlineAfter(30, TimeUnit.SECONDS).modelInfer(request);
      return new LoopbackHttp.Answer(200, r.getRawOutputContents(0).toByteArray(), null);
    } catch (StatusRuntimeException e) {
      return new LoopbackHttp.Answer(httpStatus(e.getStatus().getCode()), new byte[0], null);
    }
  }

  private static int httpStatus(Status.Code code) {
    return switch (code) {
      case INVALID_ARGUMENT -> 400;
      case NOT_FOUND -> 404;
      case UNAVAILABLE -> 503;
      default -> 500;
    };
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
