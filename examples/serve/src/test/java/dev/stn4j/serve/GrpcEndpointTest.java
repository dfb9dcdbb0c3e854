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
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.OutputStream;
import java.net.Socket;
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
            ServeOptions.builder().port(0).grpcPort(0).build(), NOTHING, connections, IDLE_MILLIS);
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
    try (Socket socket = new Socket("127.0.0.1", endpoint.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(frame(4, new byte[0])); // SETTINGS
      for (int i = 0; i < 5; i++) {
        out.write(frame(6, new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) i})); // PING, far below 10 s
      }
      out.flush();
      ByteBuffer goAway =
          ByteBuffer.wrap(readUntilGoAway(new DataInputStream(socket.getInputStream())));
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

  /** An HTTP/2 frame on stream 0 without flags. */
  private static byte[] frame(int type, byte[] payload) {
    return ByteBuffer.allocate(9 + payload.length)
        .put((byte) (payload.length >>> 16))
        .put((byte) (payload.length >>> 8))
        .put((byte) payload.length)
        .put((byte) type)
        .put((byte) 0)
        .putInt(0)
        .put(payload)
        .array();
  }

  /** The payload of the first GOAWAY frame the server sends. */
  private static byte[] readUntilGoAway(DataInputStream in) throws Exception {
    byte[] header = new byte[9];
    while (true) {
      try {
        in.readFully(header);
      } catch (EOFException e) {
        throw new AssertionError("closed without a GOAWAY", e);
      }
      int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | (header[2] & 0xff);
      byte[] payload = new byte[length];
      in.readFully(payload);
      if (header[3] == 7) {
        return payload;
      }
    }
  }
}
