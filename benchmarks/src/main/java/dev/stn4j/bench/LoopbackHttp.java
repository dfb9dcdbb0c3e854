package dev.stn4j.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client on one keep-alive connection, for the load generator: a few
 * microseconds of CPU per request, so that on a two-core machine the server, not the client, is
 * what is measured. Not thread-safe: one per client thread. Answers must carry Content-Length (the
 * stn4j server's always do).
 */
final class LoopbackHttp implements AutoCloseable {
  /** A response: status and body. */
  record Answer(int status, byte[] body, String headerLength) {}

  private final String host;
  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  LoopbackHttp(String host, int port) {
    this.host = host;
    this.port = port;
  }

  Answer post(String path, byte[] head, byte[] body) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        connect();
        out.write(head);
        out.write(body);
        out.flush();
        return read();
      } catch (IOException e) {
        close(); // the server closed an idle connection: reconnect once
        if (attempt > 0) {
          throw e;
        }
      }
    }
  }

  /** The request line and headers of a POST, built once per kind of request. */
  static byte[] head(
      String host, int port, String path, String contentType, int length, String extra) {
    String h =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + ":"
            + port
            + "\r\nContent-Type: "
            + contentType
            + "\r\nContent-Length: "
            + length
            + "\r\n"
            + (extra == null ? "" : extra + "\r\n")
            + "\r\n";
    return h.getBytes(StandardCharsets.US_ASCII);
  }

  private void connect() throws IOException {
    if (socket != null) {
      return;
    }
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 5000);
    socket.setSoTimeout(30_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
  }

  private Answer read() throws IOException {
    String status = line();
    if (status == null || !status.startsWith("HTTP/1.1 ")) {
      throw new IOException("bad status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    int length = -1;
    boolean close = false;
    String headerLength = null;
    for (String h; !(h = line()).isEmpty(); ) {
      int colon = h.indexOf(':');
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Integer.parseInt(value);
        case "connection" -> close = value.equalsIgnoreCase("close");
        case "inference-header-content-length" -> headerLength = value;
        default -> {}
      }
    }
    if (length < 0) {
      throw new IOException("answer without Content-Length");
    }
    byte[] body = in.readNBytes(length);
    if (body.length != length) {
      throw new IOException("connection closed in the body");
    }
    if (close) {
      close();
    }
    return new Answer(code, body, headerLength);
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int n = b.size();
        byte[] bytes = b.toByteArray();
        return new String(
            bytes, 0, n > 0 && bytes[n - 1] == '\r' ? n - 1 : n, StandardCharsets.ISO_8859_1);
      }
      b.write(c);
    }
    throw new IOException("connection closed");
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a broken connection: nothing to do
      }
    }
    socket = null;
  }
}
