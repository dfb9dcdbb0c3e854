package dev.stn4j.serve;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the gRPC connections open at once, as {@link ConnectionLimiter} does for REST: a
 * connection over the bound is closed as soon as it is accepted, before gRPC sets up any HTTP/2
 * state for it, so a flood costs an accept and a close each; the client's call fails with {@code
 * UNAVAILABLE}. Nothing is written first: an HTTP/2 GOAWAY would need the server's SETTINGS before
 * it, and a client that got those counts its connection as made, and a GOAWAY on a made connection
 * as a cue to reconnect rather than to fail its calls.
 *
 * <p>It sits on the listening channel, ahead of Netty's acceptor, and sees each accepted connection
 * before anything else does ({@link GrpcTransport} puts it there).
 */
@ChannelHandler.Sharable
final class GrpcConnectionLimiter extends ChannelInboundHandlerAdapter {
  private final int max;
  private final Runnable onRefused;
  private final AtomicInteger open = new AtomicInteger();

  GrpcConnectionLimiter(int max, Runnable onRefused) {
    if (max < 1) {
      throw new IllegalArgumentException("max gRPC connections must be >= 1, got " + max);
    }
    this.max = max;
    this.onRefused = onRefused;
  }

  /** gRPC connections open now, refused ones not counted. */
  int open() {
    return open.get();
  }

  int max() {
    return max;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // On a listening channel each message is a connection just accepted, not yet registered.
    Channel connection = (Channel) msg;
    if (open.incrementAndGet() <= max) {
      connection.closeFuture().addListener(f -> open.decrementAndGet());
      ctx.fireChannelRead(connection);
      return;
    }
    open.decrementAndGet();
    onRefused.run();
    // What Netty's acceptor does with a connection it cannot register: close the socket, no events.
    connection.unsafe().closeForcibly();
  }
}
