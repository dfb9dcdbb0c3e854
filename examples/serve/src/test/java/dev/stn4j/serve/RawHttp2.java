package dev.stn4j.serve;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/2 client on a plain socket, frame by frame, for what grpc-java's client never does
 * (pinging too often, a call whose message never comes). Headers are HPACK-coded by the Netty that
 * grpc-java shades; everything else is written and read by hand.
 */
final class RawHttp2 implements AutoCloseable {
  static final int DATA = 0;
  static final int HEADERS = 1;
  static final int RST_STREAM = 3;
  static final int SETTINGS = 4;
  static final int PING = 6;
  static final int GOAWAY = 7;
  static final int END_STREAM = 0x1;
  static final int END_HEADERS = 0x4;
  static final int ACK = 0x1;

  /** A frame read: its type, flags, stream id and payload. */
  record Frame(int type, int flags, int stream, byte[] payload) {
    boolean endsStream() {
      return (flags & END_STREAM) != 0;
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  // HPACK keeps a table per direction for the whole connection: one coder each way.
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

  /** Connects to loopback and sends the client preface and an empty SETTINGS frame. */
  RawHttp2(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000); // a read that times out throws: a test never hangs
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    send(SETTINGS, 0, 0, new byte[0]);
  }

  /** Writes and flushes one frame. */
  void send(int type, int flags, int stream, byte[] payload) throws IOException {
    out.write(
        ByteBuffer.allocate(9 + payload.length)
            .put((byte) (payload.length >>> 16))
            .put((byte) (payload.length >>> 8))
            .put((byte) payload.length)
            .put((byte) type)
            .put((byte) flags)
            .putInt(stream)
            .put(payload)
            .array());
    out.flush();
  }

  /**
   * HEADERS of a gRPC call to {@code path} (e.g. "/pkg.Service/Method"), its stream left open;
   * {@code extra} are more headers, name then value.
   */
  void startCall(int stream, String path, String... extra) throws Exception {
    Http2Headers h =
        new DefaultHttp2Headers()
            .method("POST")
            .scheme("http")
            .path(path)
            .authority("127.0.0.1")
            .add("content-type", "application/grpc")
            .add("te", "trailers");
    for (int i = 0; i < extra.length; i += 2) {
      h.add(extra[i], extra[i + 1]);
    }
    ByteBuf block = Unpooled.buffer();
    try {
      encoder.encodeHeaders(stream, h, block);
      byte[] bytes = new byte[block.readableBytes()];
      block.readBytes(bytes);
      send(HEADERS, END_HEADERS, stream, bytes);
    } finally {
      block.release();
    }
  }

  /** A gRPC message: its 5-byte prefix (uncompressed, length) and bytes. */
  static byte[] message(byte[] body) {
    return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(body.length).put(body).array();
  }

  /**
   * The next frame; the server's SETTINGS are acknowledged on the way, as a client must. Throws
   * {@link EOFException} when the server closed the connection.
   */
  Frame read() throws IOException {
    byte[] header = new byte[9];
    in.readFully(header);
    int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | (header[2] & 0xff);
    byte[] payload = new byte[length];
    in.readFully(payload);
    Frame f =
        new Frame(
            header[3] & 0xff, header[4] & 0xff, ByteBuffer.wrap(header, 5, 4).getInt(), payload);
    if (f.type() == SETTINGS && (f.flags() & ACK) == 0) {
      send(SETTINGS, ACK, 0, new byte[0]);
    }
    return f;
  }

  /**
   * The frames up to the one that ends {@code stream} (HEADERS or DATA with END_STREAM, or
   * RST_STREAM), that one returned; HEADERS on any stream are decoded, to keep HPACK's table.
   * Headers of {@code stream} land in {@code seen}.
   */
  Frame readUntilEnd(int stream, Http2Headers seen) throws Exception {
    while (true) {
      Frame f = read();
      if (f.type() == HEADERS) {
        Http2Headers h = headers(f);
        if (f.stream() == stream) {
          seen.add(h);
        }
      }
      if (f.stream() == stream && (f.type() == RST_STREAM || f.endsStream())) {
        return f;
      }
    }
  }

  /** The payload of the first GOAWAY frame the server sends. */
  byte[] readUntilGoAway() throws IOException {
    while (true) {
      Frame f;
      try {
        f = read();
      } catch (EOFException e) {
        throw new AssertionError("closed without a GOAWAY", e);
      }
      if (f.type() == GOAWAY) {
        return f.payload();
      }
    }
  }

  private Http2Headers headers(Frame f) throws Exception {
    if ((f.flags() & END_HEADERS) == 0) {
      throw new AssertionError("CONTINUATION frames are not read here");
    }
    ByteBuf block = Unpooled.wrappedBuffer(f.payload());
    try {
      return decoder.decodeHeaders(f.stream(), block);
    } finally {
      block.release();
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
