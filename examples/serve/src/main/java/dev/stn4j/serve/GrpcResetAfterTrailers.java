package dev.stn4j.serve;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Error;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Stream;

/**
 * Ends with RST_STREAM(NO_ERROR) every HTTP/2 stream the server has finished (its trailers sent)
 * while the client has not finished its side, as HTTP/2 (RFC 9113, 8.1) allows and gRPC's Go and C
 * servers do; grpc-java's does not (grpc/grpc-java#2162). Without it such a stream stays
 * half-closed for as long as the client likes: it keeps its place under {@code --grpc-max-streams}
 * and its connection from counting as idle. That is what a call closed for its request message
 * arriving too late ({@link GrpcMessageDeadline}) or too large would leave behind.
 *
 * <p>It sits on the listening channel ({@link GrpcTransport}) and puts a small handler on each
 * accepted connection, which, once gRPC's HTTP/2 handler is in place (at the connection's first
 * read), listens to its streams and steps out of the way.
 */
@ChannelHandler.Sharable
final class GrpcResetAfterTrailers extends ChannelInboundHandlerAdapter {
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // On a listening channel each message is a connection just accepted, its pipeline empty:
    // this goes ahead of everything gRPC adds, so it reads first.
    ((Channel) msg).pipeline().addLast(new Finder());
    ctx.fireChannelRead(msg);
  }

  /** Finds the connection's HTTP/2 handler at its first read, and listens to its streams. */
  private static final class Finder extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Http2ConnectionHandler http2 = ctx.pipeline().get(Http2ConnectionHandler.class);
      if (http2 != null) {
        ChannelHandlerContext at = ctx.pipeline().context(http2);
        http2.connection().addListener(new Resetter(http2, at));
        ctx.pipeline().remove(this);
      }
      ctx.fireChannelRead(msg);
    }
  }

  private static final class Resetter extends Http2ConnectionAdapter {
    private final Http2ConnectionHandler http2;
    private final ChannelHandlerContext ctx;

    Resetter(Http2ConnectionHandler http2, ChannelHandlerContext ctx) {
      this.http2 = http2;
      this.ctx = ctx;
    }

    @Override
    public void onStreamHalfClosed(Http2Stream stream) {
      if (stream.state() != Http2Stream.State.HALF_CLOSED_LOCAL) {
        return; // the client finished first: the server's END_STREAM will close it
      }
      // Told while the trailers are being written; the reset goes out after them.
      ctx.executor()
          .execute(
              () -> {
                if (stream.state() == Http2Stream.State.HALF_CLOSED_LOCAL) {
                  http2.resetStream(ctx, stream.id(), Http2Error.NO_ERROR.code(), ctx.newPromise());
                  ctx.flush();
                }
              });
    }
  }
}
