package dev.stn4j.serve;

import static dev.stn4j.serve.GrpcClients.failure;
import static dev.stn4j.serve.GrpcClients.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.Theta;
import dev.stn4j.serve.grpc.v2.GRPCInferenceServiceGrpc;
import dev.stn4j.serve.grpc.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.stn4j.serve.grpc.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub;
import dev.stn4j.serve.grpc.v2.InferTensorContents;
import dev.stn4j.serve.grpc.v2.ModelInferRequest;
import dev.stn4j.serve.grpc.v2.ModelInferResponse;
import dev.stn4j.serve.grpc.v2.ModelMetadataRequest;
import dev.stn4j.serve.grpc.v2.ModelMetadataResponse;
import dev.stn4j.serve.grpc.v2.ModelReadyRequest;
import dev.stn4j.serve.grpc.v2.ServerLiveRequest;
import dev.stn4j.serve.grpc.v2.ServerMetadataRequest;
import dev.stn4j.serve.grpc.v2.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Open Inference Protocol over gRPC on loopback, with grpc-java's own client: answers equal to
 * the SDK's (raw and typed inputs), the outputs list, metadata, health, and every status code.
 */
class GrpcInferenceServiceTest {
  private static InferenceServer server;
  private static StnClassifier sdk;
  private static ManagedChannel channel;
  private static GRPCInferenceServiceBlockingStub stub;

  @BeforeAll
  static void start() throws Exception {
    server =
        InferenceServer.start(
            ServeOptions.builder()
                .port(0)
                .grpcPort(0)
                .maxQueueImages(300)
                .maxBodyBytes(2L << 20)
                .requestTimeout(Duration.ofSeconds(5))
                .build());
    sdk = StnClassifier.builder().intraOpThreads(1).build();
    channel = GrpcClients.channel(server.grpcPort().orElseThrow());
    stub = GrpcClients.stub(channel);
  }

  @AfterAll
  static void stop() throws Exception {
    GrpcClients.close(channel);
    server.close();
    sdk.close();
  }

  @Test
  void healthAndMetadataDescribeTheServedModel() {
    assertTrue(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
    assertTrue(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
    assertTrue(stub.modelReady(ModelReadyRequest.newBuilder().setName("stn").build()).getReady());
    assertEquals(
        "stn4j", stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName());
    ModelMetadataResponse m =
        stub.modelMetadata(
            ModelMetadataRequest.newBuilder().setName("stn").setVersion("1").build());
    assertEquals("stn", m.getName());
    assertEquals(List.of("1"), m.getVersionsList());
    assertEquals("image", m.getInputs(0).getName());
    assertEquals("FP32", m.getInputs(0).getDatatype());
    assertEquals(List.of(-1L, 3L, 32L, 32L), m.getInputs(0).getShapeList());
    assertEquals(List.of("probabilities", "theta", "warped"), names(m));
    assertEquals(List.of(-1L, 10L), m.getOutputs(0).getShapeList());
    assertEquals(List.of(-1L, 2L, 3L), m.getOutputs(1).getShapeList());
    assertEquals(List.of(-1L, 3L, 32L, 32L), m.getOutputs(2).getShapeList());
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(channel)
            .check(
                HealthCheckRequest.newBuilder()
                    .setService("inference.GRPCInferenceService")
                    .build());
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
  }

  private static List<String> names(ModelMetadataResponse m) {
    return m.getOutputsList().stream().map(ModelMetadataResponse.TensorMetadata::getName).toList();
  }

  /**
   * The parity figure over gRPC: the 1,000 sample images, raw and typed, max |Δ| ≤ 1e-6.
   */
  @Test
  void rawAndTypedInputsEqualTheSdkOnTheThousandSampleImages() throws Exception {
    List<float[]> images = Samples.images(1000);
    List<Prediction> expected = sdk.predictAll(images);
    for (Function<List<float[]>, ModelInferRequest.Builder> form :
        List.<Function<List<float[]>, ModelInferRequest.Builder>>of(
            GrpcClients::raw, GrpcClients::typed)) {
      double maxDelta = 0;
      for (int start = 0; start < 1000; start += 100) {
        ModelInferResponse r =
            stub.modelInfer(form.apply(images.subList(start, start + 100)).build());
        assertEquals(List.of(100L, 10L), r.getOutputs(0).getShapeList());
        float[] probabilities = output(r, "probabilities");
        float[] theta = output(r, "theta");
        float[] warped = output(r, "warped");
        for (int i = 0; i < 100; i++) {
          Prediction p = expected.get(start + i);
          Theta t = p.theta();
          maxDelta = Math.max(maxDelta, maxAbs(p.probabilities(), probabilities, i * 10));
          maxDelta =
              Math.max(
                  maxDelta,
                  maxAbs(new float[] {t.a(), t.b(), t.tx(), t.c(), t.d(), t.ty()}, theta, i * 6));
          maxDelta = Math.max(maxDelta, maxAbs(p.warped().chw(), warped, i * 3072));
        }
      }
      assertTrue(maxDelta <= 1e-6, "max |delta| " + maxDelta);
    }
  }

  private static double maxAbs(float[] expected, float[] got, int from) {
    double max = 0;
    for (int k = 0; k < expected.length; k++) {
      max = Math.max(max, Math.abs(expected[k] - got[from + k]));
    }
    return max;
  }

  @Test
  void onlyTheRequestedOutputsComeBackInTheirOrderWithTheId() throws Exception {
    List<float[]> two = Samples.images(2);
    ModelInferResponse r =
        stub.modelInfer(
            GrpcClients.raw(two)
                .setId("req-7")
                .addOutputs(
                    ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("theta"))
                .addOutputs(
                    ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                        .setName("probabilities"))
                .build());
    assertEquals("req-7", r.getId());
    assertEquals("stn", r.getModelName());
    assertEquals(2, r.getOutputsCount());
    assertEquals(2, r.getRawOutputContentsCount());
    assertEquals("theta", r.getOutputs(0).getName());
    assertEquals(List.of(2L, 2L, 3L), r.getOutputs(0).getShapeList());
    assertEquals("probabilities", r.getOutputs(1).getName());
    assertEquals(4 * 2 * 10, r.getRawOutputContents(1).size());
    float[] expected = sdk.predict(two.get(1)).probabilities();
    assertEquals(0, maxAbs(expected, output(r, "probabilities"), 10), 1e-6);
  }

  @Test
  void badInputIsInvalidArgumentNamingTheProblem() {
    List<float[]> one = Samples.images(1);
    assertStatus(
        "INVALID_ARGUMENT: input 'image' has shape [1,3,28,28]; the model takes [N,3,32,32]",
        GrpcClients.raw(one)
            .setInputs(0, GrpcClients.input(one).setShape(2, 28).setShape(3, 28))
            .build());
    assertStatus(
        "INVALID_ARGUMENT: input 'image' has datatype INT32; the model takes FP32",
        GrpcClients.raw(one).setInputs(0, GrpcClients.input(one).setDatatype("INT32")).build());
    assertStatus(
        "INVALID_ARGUMENT: input 'image' has 8 bytes in raw_input_contents; shape [1,3,32,32] in"
            + " FP32 is 12288 bytes",
        GrpcClients.raw(one)
            .setRawInputContents(0, com.google.protobuf.ByteString.copyFrom(new byte[8]))
            .build());
    assertStatus(
        "INVALID_ARGUMENT: input 'image' has both raw_input_contents and contents.fp32_contents",
        GrpcClients.typed(one).addRawInputContents(GrpcClients.bytes(one)).build());
    assertStatus(
        "INVALID_ARGUMENT: input 'image' has 3 values in contents.fp32_contents; shape"
            + " [1,3,32,32] needs 3072",
        GrpcClients.raw(one)
            .clearRawInputContents()
            .setInputs(
                0,
                GrpcClients.input(one)
                    .setContents(
                        InferTensorContents.newBuilder()
                            .addFp32Contents(0)
                            .addFp32Contents(0)
                            .addFp32Contents(0)))
            .build());
    assertStatus(
        "INVALID_ARGUMENT: input 'image' has contents.int_contents; FP32 values go in",
        GrpcClients.raw(one)
            .clearRawInputContents()
            .setInputs(
                0,
                GrpcClients.input(one)
                    .setContents(InferTensorContents.newBuilder().addIntContents(1)))
            .build());
    assertStatus(
        "INVALID_ARGUMENT: unknown output 'logits'; the model's outputs are [probabilities, theta,"
            + " warped]",
        GrpcClients.raw(one)
            .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("logits"))
            .build());
    float[] nan = one.get(0).clone();
    nan[5] = Float.NaN;
    assertStatus(
        "INVALID_ARGUMENT: input 'image' value 5 (image 0, channel 0, row 0, column 5) is NaN",
        GrpcClients.raw(List.of(nan)).build());
    assertStatus(
        "INVALID_ARGUMENT: input 'image' has no data",
        GrpcClients.raw(one).clearRawInputContents().build());
  }

  @Test
  void anUnknownModelOrVersionIsNotFound() {
    List<float[]> one = Samples.images(1);
    assertStatus(
        "NOT_FOUND: unknown model 'resnet'; this server serves 'stn'",
        GrpcClients.raw(one).setModelName("resnet").build());
    assertStatus(
        "NOT_FOUND: unknown version '2' of model 'stn'; it has version 1",
        GrpcClients.raw(one).setModelVersion("2").build());
    assertEquals(
        "NOT_FOUND: unknown model 'x'; this server serves 'stn'",
        failure(() -> stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("x").build())));
    assertEquals(
        "NOT_FOUND: unknown model 'x'; this server serves 'stn'",
        failure(() -> stub.modelReady(ModelReadyRequest.newBuilder().setName("x").build())));
  }

  @Test
  void aMessageOverTheBodyLimitIsRefused() {
    // 2 MiB is the limit: 200 images of 12 KiB are 2.4 MiB.
    List<float[]> many = new ArrayList<>(Collections.nCopies(200, Samples.images(1).get(0)));
    String f = failure(() -> stub.modelInfer(GrpcClients.raw(many).build()));
    assertTrue(f.startsWith("RESOURCE_EXHAUSTED"), f);
  }

  @Test
  void aFullQueueIsUnavailableAndADeadlinePassedInTheQueueIsDeadlineExceededAndDropped()
      throws Exception {
    List<float[]> one = Samples.images(1);
    GRPCInferenceServiceFutureStub async = GRPCInferenceServiceGrpc.newFutureStub(channel);
    DynamicBatcher batcher = server.batcher();
    double ranBefore = queueWaits();
    batcher.hold(true);
    try {
      // Out of time while it waits: the client sees DEADLINE_EXCEEDED.
      String late =
          failure(
              () ->
                  stub.withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                      .modelInfer(GrpcClients.raw(one).build()));
      assertTrue(late.startsWith("DEADLINE_EXCEEDED"), late);
      List<float[]> big = new ArrayList<>(Collections.nCopies(150, one.get(0)));
      var first = async.modelInfer(GrpcClients.raw(big).build());
      var second = async.modelInfer(GrpcClients.raw(big).build());
      ServerProbes.awaitTrue(() -> batcher.queuedImages() >= 300, "300 images queued", 10);
      String full = failure(() -> stub.modelInfer(GrpcClients.raw(one).build()));
      assertTrue(full.startsWith("UNAVAILABLE: queue full: 300 images waiting"), full);
      batcher.hold(false);
      assertEquals(150, first.get(20, TimeUnit.SECONDS).getOutputs(0).getShape(0));
      assertEquals(150, second.get(20, TimeUnit.SECONDS).getOutputs(0).getShape(0));
    } finally {
      batcher.hold(false);
    }
    // The two big requests ran; the late one was dropped from the queue, never run.
    assertEquals(ranBefore + 2, queueWaits(), 0.0);
    String metrics = ServerProbes.metrics(server);
    assertTrue(
        metrics.contains(
            "stn_grpc_requests_total{code=\"DEADLINE_EXCEEDED\",method=\"ModelInfer\"}"),
        metrics);
    assertTrue(
        metrics.contains("stn_grpc_requests_total{code=\"UNAVAILABLE\",method=\"ModelInfer\"} 1.0"),
        metrics);
  }

  /** With one call at a time per connection, a second call on it waits rather than being queued. */
  @Test
  void callsPerConnectionAreLimited() throws Exception {
    try (InferenceServer one =
        InferenceServer.start(
            ServeOptions.builder().port(0).grpcPort(0).grpcMaxStreams(1).build())) {
      ManagedChannel ch = GrpcClients.channel(one.grpcPort().orElseThrow());
      try {
        GRPCInferenceServiceFutureStub async = GRPCInferenceServiceGrpc.newFutureStub(ch);
        one.batcher().hold(true);
        var first = async.modelInfer(GrpcClients.raw(Samples.images(1)).build());
        var second = async.modelInfer(GrpcClients.raw(Samples.images(2)).build());
        ServerProbes.awaitTrue(() -> one.batcher().queuedImages() > 0, "an image queued", 10);
        Thread.sleep(300);
        // The first call's one image is queued; the second's two are not, while the first lasts.
        assertEquals(1, one.batcher().queuedImages());
        one.batcher().hold(false);
        assertEquals(1, first.get(20, TimeUnit.SECONDS).getOutputs(0).getShape(0));
        assertEquals(2, second.get(20, TimeUnit.SECONDS).getOutputs(0).getShape(0));
      } finally {
        one.batcher().hold(false);
        GrpcClients.close(ch);
      }
    }
  }

  /** How many requests the batcher has run, from /metrics (each is one queue wait). */
  private static double queueWaits() {
    double waits = ServerProbes.metric(server, "stn_queue_wait_seconds_count");
    assertFalse(Double.isNaN(waits), "no stn_queue_wait_seconds_count");
    return waits;
  }

  private static void assertStatus(String expectedPrefix, ModelInferRequest request) {
    String f = failure(() -> stub.modelInfer(request));
    assertTrue(f.startsWith(expectedPrefix), f);
  }
}
