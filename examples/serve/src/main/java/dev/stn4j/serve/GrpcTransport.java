package dev.stn4j.serve;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.IoHandlerFactory;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Netty event loops and listening channel of the gRPC server, as grpc-java would pick them
 * (epoll where it is available, NIO elsewhere; one accepting thread, Netty's default count of I/O
 * threads), with one difference: handlers of ours first on the listening channel. grpc-java takes a
 * channel factory only together with both event loop groups, so this owns them and shuts them down
 * after the server.
 */
final class GrpcTransport {
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Supplier<ServerChannel> channels;

  private GrpcTransport() {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.boss =
        new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("stn-grpc-accept", true), io);
    this.workers =
        new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("stn-grpc-io", true), io);
    this.channels = epoll ? EpollServerSocketChannel::new : NioServerSocketChannel::new;
  }

  /**
   * Sets {@code builder}'s event loops and listening channels, with {@code first} ahead of Netty's
   * acceptor on each listening channel, in order (they read each accepted connection before the
   * acceptor).
   */
  static GrpcTransport install(NettyServerBuilder builder, ChannelHandler... first) {
    GrpcTransport t = new GrpcTransport();
    builder
        .bossEventLoopGroup(t.boss)
        .workerEventLoopGroup(t.workers)
        .channelFactory(
            () -> {
              ServerChannel channel = t.channels.get();
              // Added before the server bootstrap adds its acceptor, so it runs first.
              channel.pipeline().addLast(first);
              return channel;
            });
    return t;
  }

  /** Stops the event loops; call once the server has terminated (or failed to start). */
  void shutdown() {
    boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
  }
}
