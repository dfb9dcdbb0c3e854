package dev.stn4j.serve;

import dev.stn4j.serve.grpc.v2.GRPCInferenceServiceGrpc;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC side of {@link InferenceServer}: a Netty gRPC server on {@link ServeOptions#grpcPort()}
 * with {@code inference.GRPCInferenceService} and the standard {@code grpc.health.v1.Health}, and
 * limits of its own: the largest message is the REST body limit, {@link
 * ServeOptions#grpcMaxStreams()} calls at once per connection, {@link
 * ServeOptions#grpcMaxConnections()} connections at once (those over it closed when accepted), a
 * new connection's HTTP/2 handshake within {@link ServeOptions#bodyTimeout()} (as REST's first
 * request headers), a call's request message within the same time from its headers ({@link
 * GrpcMessageDeadline}, as REST's body), a stream the server ended before its client reset ({@link
 * GrpcResetAfterTrailers}), keep-alive pings from the server on idle connections, and clients'
 * pings accepted no more often than every {@value #MIN_CLIENT_PING_SECONDS} s.
 */
final class GrpcEndpoint {
  /** The server pings a connection silent this long, to find peers that vanished. */
  static final long KEEPALIVE_SECONDS = 60;

  /** A ping unanswered this long closes its connection. */
  static final long KEEPALIVE_TIMEOUT_SECONDS = 20;

  /**
   * Clients may ping this often at most (gRPC's default is 5 minutes; clients commonly use 10 s).
   */
  static final long MIN_CLIENT_PING_SECONDS = 10;

  private final Server server;
  private final HealthStatusManager health;
  private final ExecutorService executor;
  private final GrpcTransport transport;
  private final ScheduledThreadPoolExecutor timer;

  private GrpcEndpoint(
      Server server,
      HealthStatusManager health,
      ExecutorService executor,
      GrpcTransport transport,
      ScheduledThreadPoolExecutor timer) {
    this.server = server;
    this.health = health;
    this.executor = executor;
    this.transport = transport;
    this.timer = timer;
  }

  /**
   * Starts listening with {@code service}.
   *
   * @param connections admits or refuses each accepted connection
   * @param idleMillis a connection without calls for this long is closed, as REST's idle timeout; a
   *     call in flight keeps its connection
   * @param onSlowCall told of each call closed for its request message arriving too late
   * @throws IOException when the address cannot be bound
   */
  static GrpcEndpoint start(
      ServeOptions options,
      BindableService service,
      GrpcConnectionLimiter connections,
      long idleMillis,
      Runnable onSlowCall)
      throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    // Calls only parse, check and queue here; the batcher's workers answer them.
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            r -> {
              Thread t = new Thread(r, "stn-grpc-" + n.getAndIncrement());
              t.setDaemon(true);
              return t;
            });
    ScheduledThreadPoolExecutor timer = timer();
    GrpcMessageDeadline messages =
        new GrpcMessageDeadline(timer, options.bodyTimeout(), onSlowCall);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(options.host(), options.grpcPort()));
    GrpcTransport transport =
        GrpcTransport.install(builder, connections, new GrpcResetAfterTrailers());
    Server server =
        builder
            .executor(executor)
            .addService(ServerInterceptors.intercept(service, messages))
            .addService(ServerInterceptors.intercept(health.getHealthService(), messages))
            .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, options.maxBodyBytes()))
            .maxConcurrentCallsPerConnection(options.grpcMaxStreams())
            .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
            .keepAliveTimeout(KEEPALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .permitKeepAliveTime(MIN_CLIENT_PING_SECONDS, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .maxConnectionIdle(idleMillis, TimeUnit.MILLISECONDS)
            // A socket that never starts HTTP/2 is no call, so the idle timeout would wait for it;
            // plaintext clients send their preface at once.
            .handshakeTimeout(options.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .build();
    try {
      server.start();
    } catch (IOException e) {
      executor.shutdownNow();
      timer.shutdownNow();
      transport.shutdown();
      throw new IOException(
          "cannot listen for gRPC on "
              + options.host()
              + ":"
              + options.grpcPort()
              + ": "
              + e.getMessage(),
          e);
    }
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(GRPCInferenceServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
    return new GrpcEndpoint(server, health, executor, transport, timer);
  }

  /** One thread for every call's message deadline; a deadline met leaves no task behind. */
  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "stn-grpc-deadlines");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /** The port it listens on (the one picked, for port 0). */
  int port() {
    return server.getPort();
  }

  /** Health says NOT_SERVING, and new calls are refused; the calls in flight go on. */
  void stopTakingCalls() {
    health.enterTerminalState();
    server.shutdown();
  }

  /** Waits up to {@code millis} for the calls in flight, then cuts the rest off. */
  void awaitStopped(long millis) {
    try {
      if (!server.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
    timer.shutdownNow();
    transport.shutdown();
  }
}
