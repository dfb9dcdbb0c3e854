package dev.stn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.serve.grpc.v2.ModelInferResponse;
import dev.stn4j.serve.grpc.v2.ServerLiveRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bound on gRPC connections ({@code --grpc-max-connections}) and the handshake deadline, on
 * loopback: connections over the bound are closed at accept and counted, and a socket that never
 * starts HTTP/2 is closed.
 */
class GrpcConnectionLimitTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void connectionsOverTheBoundAreRefusedAndCountedUntilOneCloses() throws Exception {
    ServeOptions options = ServeOptions.builder().port(0).grpcPort(0).grpcMaxConnections(2).build();
    try (InferenceServer server = InferenceServer.start(options)) {
      int port = server.grpcPort().orElseThrow();
      List<ManagedChannel> held = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          ManagedChannel c = GrpcClients.channel(port);
          held.add(c);
          assertTrue(live(c));
        }
        ModelInferResponse r =
            GrpcClients.stub(held.get(0)).modelInfer(GrpcClients.raw(Samples.images(2)).build());
        assertEquals(List.of(2L, 10L), r.getOutputs(0).getShapeList());
        assertEquals(2, ServerProbes.metric(server, "stn_grpc_connections_open"), 0.0);

        ManagedChannel third = GrpcClients.channel(port);
        try {
          StatusRuntimeException e = refused(third);
          assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        } finally {
          GrpcClients.close(third);
        }
        assertTrue(
            ServerProbes.metric(server, "stn_grpc_connections_refused_total") >= 1,
            ServerProbes.metrics(server));
        assertEquals(2, ServerProbes.metric(server, "stn_grpc_connections_open"), 0.0);
        // REST keeps its own count.
        assertEquals(0, ServerProbes.metric(server, "stn_http_connections_refused_total"), 0.0);

        GrpcClients.close(held.remove(0));
        ServerProbes.awaitTrue(
            () -> ServerProbes.metric(server, "stn_grpc_connections_open") == 1,
            "the closed one uncounted",
            10);
        ManagedChannel next = GrpcClients.channel(port);
        held.add(next);
        assertTrue(live(next), "a connection accepted once one closed");
        assertEquals(2, ServerProbes.metric(server, "stn_grpc_connections_open"), 0.0);
      } finally {
        for (ManagedChannel c : held) {
          GrpcClients.close(c);
        }
      }
    }
  }

  @Test
  void aSocketThatNeverStartsHttp2IsClosedAtTheHandshakeDeadline() throws Exception {
    ServeOptions options =
        ServeOptions.builder().port(0).grpcPort(0).bodyTimeout(Duration.ofMillis(1500)).build();
    try (InferenceServer server = InferenceServer.start(options)) {
      assertEquals(
          0, ServerProbes.metric(server, "stn_grpc_connections_open"), 0.0); // and the client warm
      try (Socket socket = new Socket("127.0.0.1", server.grpcPort().orElseThrow())) {
        socket.setSoTimeout(10_000); // a read that timed out would throw: not closed
        long start = System.nanoTime();
        ServerProbes.awaitTrue(
            () -> ServerProbes.metric(server, "stn_grpc_connections_open") == 1,
            "the socket counted",
            10);
        readUntilClosed(socket.getInputStream());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 1_000 && millis < 8_000, "closed after " + millis + " ms");
      }
      ServerProbes.awaitTrue(
          () -> ServerProbes.metric(server, "stn_grpc_connections_open") == 0,
          "the socket uncounted",
          10);
    }
  }

  @Test
  void theDefaultGrpcBoundIsRestsWhereTheFileLimitHasRoomForBoth() {
    assertEquals(15_000, FileLimit.defaultGrpcMaxConnections(OptionalLong.of(1_048_576), 15_000));
    assertEquals(15_000, FileLimit.defaultGrpcMaxConnections(OptionalLong.empty(), 15_000));
    assertEquals(128, FileLimit.defaultGrpcMaxConnections(OptionalLong.of(1024), 768));
    assertEquals(1, FileLimit.defaultGrpcMaxConnections(OptionalLong.of(1024), 1000));
    assertEquals(7, ServeOptions.builder().grpcMaxConnections(7).build().grpcMaxConnections());
  }

  private static boolean live(ManagedChannel channel) {
    return GrpcClients.stub(channel).serverLive(ServerLiveRequest.getDefaultInstance()).getLive();
  }

  private static StatusRuntimeException refused(ManagedChannel channel) {
    try {
      GrpcClients.stub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .serverLive(ServerLiveRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("a third connection was served over a bound of 2");
  }

  /** Reads until the server closes; a reset counts as closed. */
  private static void readUntilClosed(InputStream in) throws IOException {
    byte[] buffer = new byte[4096];
    try {
      while (in.read(buffer) >= 0) {
        // the server's HTTP/2 preface, then nothing
      }
    } catch (SocketException e) {
      // reset: closed too
    }
  }
}
