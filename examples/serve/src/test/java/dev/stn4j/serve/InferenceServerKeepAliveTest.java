package dev.stn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A kept-alive connection outlives the request timeout: had the server closed idle connections
 * after the request timeout, a client reusing one at that moment would lose its request.
 */
class InferenceServerKeepAliveTest {
  private static final String LIVE = "GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  @Test
  void anIdleConnectionIsKeptWellPastTheRequestTimeout() throws Exception {
    ServeOptions options =
        ServeOptions.builder().port(0).requestTimeout(Duration.ofMillis(300)).build();
    assertEquals(30_000, InferenceServer.idleTimeoutMillis(options));
    try (InferenceServer server = InferenceServer.start(options);
        Socket socket = new Socket("127.0.0.1", URI.create(server.uri()).getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(LIVE.getBytes(StandardCharsets.US_ASCII));
      assertTrue(readResponse(in).startsWith("HTTP/1.1 200"));
      Thread.sleep(1_000); // three request timeouts
      out.write(LIVE.getBytes(StandardCharsets.US_ASCII));
      String second = readResponse(in);
      assertTrue(second.startsWith("HTTP/1.1 200"), "after 1 s idle: " + second);
    }
  }

  @Test
  void theIdleTimeoutIsTwiceALongRequestTimeout() {
    ServeOptions options = ServeOptions.builder().requestTimeout(Duration.ofSeconds(60)).build();
    assertEquals(120_000, InferenceServer.idleTimeoutMillis(options));
  }

  /** Status line and headers, after reading (and dropping) a Content-Length body; "" at EOF. */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return head.toString(StandardCharsets.US_ASCII);
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String headers = head.toString(StandardCharsets.US_ASCII);
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        in.readNBytes(Integer.parseInt(line.substring(15).trim()));
      }
    }
    return headers;
  }
}
