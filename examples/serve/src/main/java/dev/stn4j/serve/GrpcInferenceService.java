package dev.stn4j.serve;

import dev.stn4j.sdk.Prediction;
import dev.stn4j.serve.grpc.v2.GRPCInferenceServiceGrpc;
import dev.stn4j.serve.grpc.v2.ModelInferRequest;
import dev.stn4j.serve.grpc.v2.ModelInferResponse;
import dev.stn4j.serve.grpc.v2.ModelMetadataRequest;
import dev.stn4j.serve.grpc.v2.ModelMetadataResponse;
import dev.stn4j.serve.grpc.v2.ModelReadyRequest;
import dev.stn4j.serve.grpc.v2.ModelReadyResponse;
import dev.stn4j.serve.grpc.v2.ServerLiveRequest;
import dev.stn4j.serve.grpc.v2.ServerLiveResponse;
import dev.stn4j.serve.grpc.v2.ServerMetadataRequest;
import dev.stn4j.serve.grpc.v2.ServerMetadataResponse;
import dev.stn4j.serve.grpc.v2.ServerReadyRequest;
import dev.stn4j.serve.grpc.v2.ServerReadyResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * {@code inference.GRPCInferenceService}: the Open Inference Protocol over gRPC for model {@code
 * stn}, through the same queue, batcher and checks as REST. Errors are status codes with a message
 * naming the problem: bad input {@code INVALID_ARGUMENT}, another model or version {@code
 * NOT_FOUND}, a full queue or a server shutting down {@code UNAVAILABLE}, a call whose deadline (or
 * the server's request timeout) passed while it waited {@code DEADLINE_EXCEEDED}; a call cancelled
 * or out of time is dropped from the queue.
 */
final class GrpcInferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
  /**
   * A client's deadline runs from before it sent the call, so its cancellation (RST_STREAM) comes
   * before the server's copy of that deadline passes, by as long as the call took to reach the
   * handler: on a loaded machine more than 100 ms (a test saw it). A cancellation this close to the
   * deadline is counted as the deadline; a client that really cancels within a second of its
   * deadline is counted as timed out, which is what it nearly was.
   */
  private static final long DEADLINE_SLACK_MS = 1_000;

  private final BooleanSupplier ready;
  private final GrpcCodec codec;
  private final InferenceQueue queue;
  private final ServeMetrics metrics;

  /** {@code ready} says whether the server takes inference requests now. */
  GrpcInferenceService(
      BooleanSupplier ready, GrpcCodec codec, InferenceQueue queue, ServeMetrics metrics) {
    this.ready = ready;
    this.codec = codec;
    this.queue = queue;
    this.metrics = metrics;
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> call) {
    reply("ServerLive", call, ServerLiveResponse.newBuilder().setLive(true).build());
  }

  @Override
  public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> call) {
    reply(
        "ServerReady",
        call,
        ServerReadyResponse.newBuilder().setReady(ready.getAsBoolean()).build());
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> call) {
    long start = System.nanoTime();
    try {
      OpenInference.requireServed(request.getName(), emptyAsNull(request.getVersion()));
    } catch (HttpError e) {
      fail("ModelReady", call, e, start);
      return;
    }
    reply(
        "ModelReady", call, ModelReadyResponse.newBuilder().setReady(ready.getAsBoolean()).build());
  }

  @Override
  public void serverMetadata(
      ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> call) {
    reply(
        "ServerMetadata",
        call,
        ServerMetadataResponse.newBuilder()
            .setName("stn4j")
            .setVersion(V2MetadataHandler.version())
            .build());
  }

  @Override
  public void modelMetadata(
      ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> call) {
    long start = System.nanoTime();
    try {
      OpenInference.requireServed(request.getName(), emptyAsNull(request.getVersion()));
    } catch (HttpError e) {
      fail("ModelMetadata", call, e, start);
      return;
    }
    reply("ModelMetadata", call, codec.metadata());
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
    long start = System.nanoTime();
    ServerCallStreamObserver<ModelInferResponse> call =
        (ServerCallStreamObserver<ModelInferResponse>) observer;
    // Set before the request is queued: a call cancelled (or out of time) from then on leaves the
    // queue rather than costing a place in a batch.
    AtomicReference<CompletableFuture<?>> queued = new AtomicReference<>();
    call.setOnCancelHandler(
        () -> {
          CompletableFuture<?> f = queued.get();
          if (f != null) {
            f.cancel(false);
          }
        });
    Deadline deadline = Context.current().getDeadline();
    try {
      InferRequest parsed = codec.read(request);
      long timeoutMs = queue.timeoutMs();
      if (deadline != null) {
        timeoutMs = Math.min(timeoutMs, deadline.timeRemaining(TimeUnit.MILLISECONDS));
        if (timeoutMs <= 0) {
          throw new HttpError(503, "timeout", "the call's deadline passed before it was queued");
        }
      }
      queued.set(
          queue.submit(
              parsed.images(),
              timeoutMs,
              new InferenceQueue.Outcome() {
                @Override
                public void predicted(List<Prediction> predictions) {
                  reply("ModelInfer", call, codec.encode(parsed, predictions), start);
                }

                @Override
                public void failed(HttpError error) {
                  fail("ModelInfer", call, timedOut(error, deadline), start);
                }
              }));
      if (call.isCancelled()) {
        queued.get().cancel(false); // cancelled before the handler could see the queued request
      }
    } catch (HttpError e) {
      fail("ModelInfer", call, timedOut(e, deadline), start);
    }
  }

  /** A timeout, or a cancellation at the deadline, said as the call's deadline. */
  private static HttpError timedOut(HttpError e, Deadline deadline) {
    boolean late = "timeout".equals(e.kind) || "cancelled".equals(e.kind);
    if (late
        && deadline != null
        && deadline.timeRemaining(TimeUnit.MILLISECONDS) <= DEADLINE_SLACK_MS) {
      return new HttpError(
          503, "timeout", "the call's deadline (grpc-timeout) passed while it waited");
    }
    return e;
  }

  /** The gRPC status of an error the REST side would answer with {@code e.status}. */
  static Status status(HttpError e) {
    Status.Code code =
        switch (e.status) {
          case 400 -> Status.Code.INVALID_ARGUMENT;
          case 404 -> Status.Code.NOT_FOUND;
          case 499 -> Status.Code.CANCELLED;
          case 503 ->
              "timeout".equals(e.kind) ? Status.Code.DEADLINE_EXCEEDED : Status.Code.UNAVAILABLE;
          default -> Status.Code.INTERNAL;
        };
    return code.toStatus().withDescription(e.getMessage());
  }

  private <T> void reply(String method, StreamObserver<T> call, T response) {
    reply(method, call, response, System.nanoTime());
  }

  private <T> void reply(String method, StreamObserver<T> call, T response, long start) {
    try {
      call.onNext(response);
      call.onCompleted();
      metrics.answeredGrpc(method, Status.Code.OK.name(), start);
    } catch (RuntimeException e) {
      // The call was cancelled or its connection closed meanwhile: nobody is left to answer.
      metrics.answeredGrpc(method, Status.Code.CANCELLED.name(), start);
    }
  }

  private void fail(String method, StreamObserver<?> call, HttpError e, long start) {
    Status status = status(e);
    try {
      call.onError(status.asRuntimeException());
    } catch (RuntimeException ignored) {
      // cancelled meanwhile: the client has its status already
    }
    metrics.answeredGrpc(method, status.getCode().name(), start);
  }

  private static String emptyAsNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
