package dev.stn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.serve.grpc.v2.GRPCInferenceServiceGrpc;
import dev.stn4j.serve.grpc.v2.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gRPC call whose request message does not arrive whole within {@code --body-timeout-ms} of its
 * headers is closed {@code DEADLINE_EXCEEDED}, counted, and its stream freed (as is any stream the
 * server ends before its client); a call whose message came in time is never cut, however long its
 * inference waits. Loopback, a short body timeout, one call at a time per connection (so a stream
 * not freed would refuse the next one); a few seconds.
 */
class GrpcSlowCallsTest {
  private static final long BODY_TIMEOUT_MS = 1_000;
  private static final String INFER = "/" + GRPCInferenceServiceGrpc.SERVICE_NAME + "/ModelInfer";
  private static final String CUT = "request message not received within 1000 ms";
  private static final String SLOW = "stn_grpc_calls_closed_slow_total";

  private InferenceServer server;
  private ManagedChannel other;

  @BeforeEach
  void start() throws Exception {
    server =
        InferenceServer.start(
            ServeOptions.builder()
                .port(0)
                .grpcPort(0)
                .grpcMaxStreams(1)
                .bodyTimeout(Duration.ofMillis(BODY_TIMEOUT_MS))
                .build());
    other = GrpcClients.channel(server.grpcPort().orElseThrow());
  }

  @AfterEach
  void stop() throws Exception {
    GrpcClients.close(other);
    server.close();
  }

  @Test
  void aCallWhoseMessageNeverComesWholeIsClosedAtTheBodyTimeoutAndItsStreamFreed()
      throws Exception {
    byte[] request = RawHttp2.message(GrpcClients.raw(Samples.images(1)).build().toByteArray());
    try (RawHttp2 client = new RawHttp2(server.grpcPort().orElseThrow())) {
      long start = System.nanoTime();
      client.startCall(1, INFER); // headers, then nothing
      assertInfers(2, "on another connection while the call waits");
      assertCut(client, 1, start);

      // Accepted only because stream 1 was freed: one call at a time per connection.
      start = System.nanoTime();
      client.startCall(3, INFER);
      client.send(RawHttp2.DATA, 0, 3, Arrays.copyOf(request, 100)); // part of it, then nothing
      assertCut(client, 3, start);

      client.startCall(5, INFER);
      client.send(RawHttp2.DATA, RawHttp2.END_STREAM, 5, request);
      Http2Headers answer = new DefaultHttp2Headers();
      client.readUntilEnd(5, answer);
      assertEquals("0", String.valueOf(answer.get("grpc-status")), "a whole message: " + answer);
    }
    assertEquals(2, ServerProbes.metric(server, SLOW), 0.0, ServerProbes.metrics(server));
    assertInfers(3, "after");
  }

  @Test
  void aCallWhoseInferenceWaitsLongerThanTheBodyTimeoutIsNotCut() throws Exception {
    // No deadline of its own: only the server's timeouts could end it.
    GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub async =
        GRPCInferenceServiceGrpc.newFutureStub(other);
    DynamicBatcher batcher = server.batcher();
    batcher.hold(true);
    try {
      Future<ModelInferResponse> call =
          async.modelInfer(GrpcClients.raw(Samples.images(2)).build());
      ServerProbes.awaitTrue(() -> batcher.queuedImages() == 2, "the call queued", 10);
      Thread.sleep(3 * BODY_TIMEOUT_MS);
      assertFalse(call.isDone(), "the held call ended");
      batcher.hold(false);
      assertEquals(2, call.get(20, TimeUnit.SECONDS).getOutputs(0).getShape(0));
    } finally {
      batcher.hold(false);
    }
    assertEquals(0, ServerProbes.metric(server, SLOW), 0.0);
  }

  @Test
  void aShorterClientDeadlineEndsTheCallFirstAndIsNotCountedSlow() throws Exception {
    try (RawHttp2 client = new RawHttp2(server.grpcPort().orElseThrow())) {
      client.startCall(1, INFER, "grpc-timeout", "200m"); // 200 ms, and no message
      RawHttp2.Frame end = client.readUntilEnd(1, new DefaultHttp2Headers());
      assertEquals(RawHttp2.RST_STREAM, end.type(), "the server cancels at the call's deadline");
      Thread.sleep(2 * BODY_TIMEOUT_MS); // past the body timeout: nothing more happens
    }
    assertEquals(0, ServerProbes.metric(server, SLOW), 0.0, ServerProbes.metrics(server));
    assertInfers(1, "after");
  }

  @Test
  void aStreamRefusedBeforeItsClientFinishedIsResetAndItsPlaceFreed() throws Exception {
    try (RawHttp2 client = new RawHttp2(server.grpcPort().orElseThrow())) {
      client.startCall(1, INFER);
      // A message declared far over the body limit, its stream left open.
      byte[] prefix = ByteBuffer.allocate(5).put((byte) 0).putInt(1 << 30).array();
      client.send(RawHttp2.DATA, 0, 1, prefix);
      Http2Headers trailers = new DefaultHttp2Headers();
      client.readUntilEnd(1, trailers);
      assertEquals("8", String.valueOf(trailers.get("grpc-status")), "RESOURCE_EXHAUSTED");
      RawHttp2.Frame reset = client.readUntilEnd(1, new DefaultHttp2Headers());
      assertEquals(RawHttp2.RST_STREAM, reset.type(), "then RST_STREAM");

      byte[] request = RawHttp2.message(GrpcClients.raw(Samples.images(1)).build().toByteArray());
      client.startCall(3, INFER); // one call at a time: accepted only once stream 1 is gone
      client.send(RawHttp2.DATA, RawHttp2.END_STREAM, 3, request);
      Http2Headers answer = new DefaultHttp2Headers();
      client.readUntilEnd(3, answer);
      assertEquals("0", String.valueOf(answer.get("grpc-status")), String.valueOf(answer));
    }
    assertEquals(0, ServerProbes.metric(server, SLOW), 0.0, "not slow: refused");
  }

  /** Stream {@code stream} ends with the body timeout's status, not before the timeout. */
  private static void assertCut(RawHttp2 client, int stream, long startNanos) throws Exception {
    Http2Headers trailers = new DefaultHttp2Headers();
    RawHttp2.Frame end = client.readUntilEnd(stream, trailers);
    long millis = (System.nanoTime() - startNanos) / 1_000_000;
    assertEquals(RawHttp2.HEADERS, end.type(), "trailers end stream " + stream);
    assertEquals("4", String.valueOf(trailers.get("grpc-status")), "DEADLINE_EXCEEDED " + trailers);
    String message = String.valueOf(trailers.get("grpc-message"));
    assertTrue(message.startsWith(CUT) && message.contains("--body-timeout-ms"), message);
    // The server's clock starts when the headers arrive, after ours: never earlier than this.
    assertTrue(millis >= BODY_TIMEOUT_MS - 20 && millis < 10_000, "cut after " + millis + " ms");
    // The client never finished its side: the server ends the stream itself, freeing its place.
    RawHttp2.Frame reset = client.readUntilEnd(stream, new DefaultHttp2Headers());
    assertEquals(RawHttp2.RST_STREAM, reset.type(), "then RST_STREAM on stream " + stream);
    assertEquals(0, ByteBuffer.wrap(reset.payload()).getInt(), "HTTP/2 error NO_ERROR");
  }

  private void assertInfers(int images, String when) {
    ModelInferResponse r =
        GrpcClients.stub(other).modelInfer(GrpcClients.raw(Samples.images(images)).build());
    assertEquals(List.of((long) images, 10L), r.getOutputs(0).getShapeList(), when);
  }
}
