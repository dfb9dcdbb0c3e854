package dev.stn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Slow and many clients (issue 22): uploads that stall mid-body hold no thread, a trickling upload
 * is cut at the body timeout, and a connection over the bound is refused at once. Loopback only; a
 * few seconds in all.
 */
class SlowClientsTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final String LIVE = "GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  /** Headers of a binary infer request for one image, whose body never comes whole. */
  private static byte[] stalledUpload(int port) {
    List<float[]> one = Samples.images(1);
    byte[] body = InferenceServerTest.binaryBody(one, null);
    String[] h = InferenceServerTest.binaryHeader(one);
    String head =
        "POST /v2/models/stn/infer HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nContent-Type: application/octet-stream\r\n"
            + h[0]
            + ": "
            + h[1]
            + "\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body, 0, 100); // the first bytes of the body, then nothing
    return out.toByteArray();
  }

  @Test
  void threeHundredStalledUploadsHoldNoThreadAndHonestRequestsAreAnswered() throws Exception {
    // More stalled uploads than Jetty's 200 threads: with a blocking read each held one, and the
    // honest requests below waited until the idle timeout.
    int stalled = 300;
    try (InferenceServer server = InferenceServer.start(ServeOptions.builder().port(0).build())) {
      int port = server.port();
      byte[] upload = stalledUpload(port);
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < stalled; i++) {
          Socket s = new Socket("127.0.0.1", port);
          sockets.add(s);
          s.getOutputStream().write(upload);
        }
        // Every one of them is in the server, its body pending, before the honest requests go.
        ServerProbes.awaitTrue(
            () -> ServerProbes.metric(server, "stn_http_request_bodies_pending") >= stalled,
            "all stalled uploads pending: " + ServerProbes.metrics(server),
            20);
        assertTrue(
            ServerProbes.metric(server, "stn_http_connections_open") >= stalled,
            ServerProbes.metrics(server));
        List<float[]> images = Samples.images(10);
        for (float[] image : images) {
          HttpResponse<byte[]> r =
              HTTP.send(
                  HttpRequest.newBuilder(URI.create(server.uri() + "/v2/models/stn/infer"))
                      .timeout(Duration.ofSeconds(10))
                      .headers(InferenceServerTest.binaryHeader(List.of(image)))
                      .POST(
                          HttpRequest.BodyPublishers.ofByteArray(
                              InferenceServerTest.binaryBody(List.of(image), null)))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
          assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        }
        // The stalled uploads are still there, still waiting: nothing was cut to make room.
        assertEquals(stalled, ServerProbes.metric(server, "stn_http_request_bodies_pending"), 0.0);
        assertEquals(0, ServerProbes.metric(server, "stn_http_connections_closed_slow_total"), 0.0);
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }
  }

  /**
   * Sends {@code first}, then one byte every 50 ms until the server closes the connection; what the
   * server answered.
   */
  private static String trickleUntilClosed(Socket socket, byte[] first) throws Exception {
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(first);
    AtomicBoolean stop = new AtomicBoolean();
    Thread trickle =
        new Thread(
            () -> {
              try {
                while (!stop.get()) {
                  out.write('x');
                  out.flush();
                  Thread.sleep(50);
                }
              } catch (IOException | InterruptedException e) {
                // the server closed the connection: the point
              }
            },
            "trickle");
    trickle.start();
    try {
      return readUntilClosed(socket.getInputStream());
    } finally {
      stop.set(true);
      trickle.join(5_000);
    }
  }

  @Test
  void aTricklingUploadIsCutAtTheBodyTimeoutWith408() throws Exception {
    ServeOptions options =
        ServeOptions.builder().port(0).bodyTimeout(Duration.ofMillis(800)).build();
    try (InferenceServer server = InferenceServer.start(options);
        Socket socket = new Socket("127.0.0.1", server.port())) {
      long start = System.nanoTime();
      // One byte every 50 ms renews the idle timeout for ever; only the body timeout ends it.
      String answer = trickleUntilClosed(socket, stalledUpload(server.port()));
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(answer.contains("--body-timeout-ms"), answer);
      // Cut by the body timeout (0.8 s), not by the idle timeout (30 s), which the trickle renews.
      assertTrue(seconds >= 0.75 && seconds < 20, "cut after " + seconds + " s");
      ServerProbes.awaitTrue(
          () -> ServerProbes.metric(server, "stn_http_connections_closed_slow_total") == 1,
          "one connection closed as too slow: " + ServerProbes.metrics(server),
          20);
      assertEquals(0, ServerProbes.metric(server, "stn_http_request_bodies_pending"), 0.0);
    }
  }

  @Test
  void aConnectionTricklingItsHeadersIsCutAtTheDeadlineWith408() throws Exception {
    ServeOptions options =
        ServeOptions.builder().port(0).bodyTimeout(Duration.ofMillis(800)).build();
    try (InferenceServer server = InferenceServer.start(options);
        Socket socket = new Socket("127.0.0.1", server.port())) {
      long start = System.nanoTime();
      // A header byte every 50 ms renews the idle timeout for ever; the headers never end.
      String answer =
          trickleUntilClosed(
              socket,
              "POST /v2/models/stn/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                  .getBytes(StandardCharsets.US_ASCII));
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(answer.contains("headers did not arrive within 800 ms"), answer);
      assertTrue(seconds >= 0.75 && seconds < 20, "cut after " + seconds + " s");
      ServerProbes.awaitTrue(
          () -> ServerProbes.metric(server, "stn_http_connections_closed_slow_total") == 1,
          "one connection closed as too slow: " + ServerProbes.metrics(server),
          20);
      // A connection whose request arrived in time is not cut by the deadline afterwards.
      try (Socket kept = new Socket("127.0.0.1", server.port())) {
        kept.getOutputStream().write(LIVE.getBytes(StandardCharsets.US_ASCII));
        kept.getOutputStream().flush();
        Thread.sleep(1_200);
        kept.getOutputStream().write(LIVE.getBytes(StandardCharsets.US_ASCII));
        kept.getOutputStream().flush();
        kept.setSoTimeout(5_000);
        byte[] buffer = new byte[4096];
        StringBuilder seen = new StringBuilder();
        long until = System.nanoTime() + 5_000_000_000L;
        while (seen.toString().split("HTTP/1.1 200", -1).length < 3 && System.nanoTime() < until) {
          int n = kept.getInputStream().read(buffer);
          if (n < 0) {
            break;
          }
          seen.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
        }
        assertEquals(3, seen.toString().split("HTTP/1.1 200", -1).length, seen.toString());
      }
      assertEquals(1, ServerProbes.metric(server, "stn_http_connections_closed_slow_total"), 0.0);
    }
  }

  @Test
  void aConnectionOverTheBoundIsAnswered503AndClosedAtOnce() throws Exception {
    ServeOptions options = ServeOptions.builder().port(0).maxConnections(3).build();
    try (InferenceServer server = InferenceServer.start(options)) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          Socket s = new Socket("127.0.0.1", server.port());
          held.add(s);
          s.setSoTimeout(10_000);
          s.getOutputStream().write(LIVE.getBytes(StandardCharsets.US_ASCII));
          String r = readHead(s.getInputStream());
          assertTrue(r.startsWith("HTTP/1.1 200"), r);
        }
        try (Socket fourth = new Socket("127.0.0.1", server.port())) {
          // Closed by the server, not left waiting: a read that timed out would throw here.
          fourth.setSoTimeout(10_000);
          String answer = readUntilClosed(fourth.getInputStream());
          assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
          assertTrue(answer.contains("--max-connections"), answer);
        }
        held.remove(0).close();
        // Once one closes there is room again.
        ServerProbes.awaitTrue(
            () -> {
              try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(LIVE.getBytes(StandardCharsets.US_ASCII));
                return readHead(s.getInputStream()).startsWith("HTTP/1.1 200");
              } catch (IOException e) {
                return false;
              }
            },
            "a connection accepted once one closed",
            20);
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
      ServerProbes.awaitTrue(
          () -> ServerProbes.metric(server, "stn_http_connections_refused_total") >= 1,
          "refusals counted: " + ServerProbes.metrics(server),
          20);
    }
  }

  @Test
  void theDefaultBoundIsThreeQuartersOfALowFileLimit() {
    assertEquals(15_000, FileLimit.defaultMaxConnections(OptionalLong.of(20_000)));
    assertEquals(768, FileLimit.defaultMaxConnections(OptionalLong.of(1024)));
    assertEquals(15_000, FileLimit.defaultMaxConnections(OptionalLong.of(1_048_576)));
    assertEquals(15_000, FileLimit.defaultMaxConnections(OptionalLong.empty()));
  }

  // ---------------------------------------------------------------- helpers

  /** Everything the server sends until it closes; a reset after an answer counts as closed. */
  private static String readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        got.write(buffer, 0, n);
      }
    } catch (SocketException e) {
      if (got.size() == 0) {
        throw e;
      }
    }
    return got.toString(StandardCharsets.US_ASCII);
  }

  /** Status line and headers, and the Content-Length body dropped. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String headers = head.toString(StandardCharsets.US_ASCII);
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        in.readNBytes(Integer.parseInt(line.substring(15).trim()));
      }
    }
    return headers;
  }
}
