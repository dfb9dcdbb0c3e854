package dev.stn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gRPC endpoint's connection limits on loopback, with a short idle timeout and no model: an
 * idle connection is closed, one with a call in flight is not, and a client pinging too often is
 * sent away.
 */
class GrpcEndpointTest {
  private static final long IDLE_MILLIS = 300;
  private static final HealthCheckRequest ALL = HealthCheckRequest.getDefaultInstance();
  private static final BindableService NOTHING =
      () -> ServerServiceDefinition.builder("stn.test.Nothing").build();

  private GrpcConnectionLimiter connections;
  private GrpcEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    connections = new GrpcConnectionLimiter(4, () -> {});
    endpoint =
        GrpcEndpoint.start(
            ServeOptions.builder().port(0).grpcPort(0).build(),
            NOTHING,
            connections,
            IDLE_MILLIS,
            () -> {});
  }

  @AfterEach
  void stop() {
    endpoint.stopTakingCalls();
    endpoint.awaitStopped(5_000);
  }

  @Test
  void anIdleConnectionIsClosedButNotOneWithACallInFlight() throws Exception {
    ManagedChannel channel = GrpcClients.channel(endpoint.port());
    try {
      HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
      assertEquals(ServingStatus.SERVING, health.check(ALL).getStatus());
      assertEquals(1, connections.open());
      ServerProbes.awaitTrue(() -> connections.open() == 0, "the idle connection closed", 10);

      // Watch is a call that stays open: its connection is not idle however long it waits.
      BlockingQueue<ServingStatus> seen = new LinkedBlockingQueue<>();
      AtomicReference<Throwable> ended = new AtomicReference<>();
      Context.CancellableContext call = Context.current().withCancellation();
      call.run(() -> HealthGrpc.newStub(channel).watch(ALL, recorder(seen, ended)));
      assertEquals(ServingStatus.SERVING, seen.poll(10, TimeUnit.SECONDS));
      Thread.sleep(5 * IDLE_MILLIS);
      assertNull(ended.get(), "the call in flight was cut");
      assertEquals(1, connections.open());
      assertEquals(ServingStatus.SERVING, health.check(ALL).getStatus());
      assertEquals(1, connections.open(), "the call went on the same connection");

      call.cancel(null);
      ServerProbes.awaitTrue(() -> connections.open() == 0, "idle once its call ended, closed", 10);
    } finally {
      GrpcClients.close(channel);
    }
  }

  @Test
  void aClientPingingTooOftenIsSentAwayWithEnhanceYourCalm() throws Exception {
    try (RawHttp2 client = new RawHttp2(endpoint.port())) {
      for (int i = 0; i < 5; i++) {
        client.send(RawHttp2.PING, 0, 0, new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) i}); // < 10 s
      }
      ByteBuffer goAway = ByteBuffer.wrap(client.readUntilGoAway());
      goAway.getInt(); // last stream id
      assertEquals(0xB, goAway.getInt(), "HTTP/2 error ENHANCE_YOUR_CALM");
      byte[] debug = new byte[goAway.remaining()];
      goAway.get(debug);
      assertEquals("too_many_pings", new String(debug, StandardCharsets.US_ASCII));
    }
  }

  private static StreamObserver<HealthCheckResponse> recorder(
      BlockingQueue<ServingStatus> seen, AtomicReference<Throwable> ended) {
    return new StreamObserver<>() {
      @Override
      public void onNext(HealthCheckResponse r) {
        seen.add(r.getStatus());
      }

      @Override
      public void onError(Throwable t) {
        ended.set(t);
      }

      @Override
      public void onCompleted() {
        ended.set(new AssertionError("completed"));
      }
    };
  }
}
