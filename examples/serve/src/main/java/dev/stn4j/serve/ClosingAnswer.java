package dev.stn4j.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.EndPoint;

/**
 * An error answer written straight to a connection that no request handler owns (one refused at
 * accept, one whose headers never came), after which the connection is closed. Built once, sent as
 * often as needed.
 */
final class ClosingAnswer {
  private final ByteBuffer bytes;

  /**
   * @param status e.g. {@code "408 Request Timeout"}
   * @param headers extra header lines, each ending in CRLF, or ""
   * @param message the {@code {"error": ...}} text
   */
  ClosingAnswer(String status, String headers, String message) {
    byte[] body = Exchange.errorJson(message);
    byte[] head =
        ("HTTP/1.1 "
                + status
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length
                + "\r\n"
                + headers
                + "Connection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    this.bytes =
        ByteBuffer.allocate(head.length + body.length)
            .put(head)
            .put(body)
            .flip()
            .asReadOnlyBuffer();
  }

  /** Writes the answer without blocking and closes the connection. */
  void sendAndClose(EndPoint endPoint) {
    try {
      // No request is in progress on the connection, so nothing else writes, and its send buffer
      // has room: the answer goes out whole or, to a peer that already left, not at all.
      endPoint.flush(bytes.duplicate());
    } catch (IOException | RuntimeException e) {
      // the client left already; nothing to tell it
    }
    endPoint.close();
  }
}
