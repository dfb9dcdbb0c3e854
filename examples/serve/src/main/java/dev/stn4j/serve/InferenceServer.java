package dev.stn4j.serve;

import dev.stn4j.sdk.ModelInfo;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import java.io.IOException;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The stn4j inference service: the KServe Open Inference Protocol (v2) over REST for model {@code
 * stn} (and over gRPC, {@code inference.GRPCInferenceService}, when {@link ServeOptions#grpc()}),
 * {@code POST /v1/classify} for image files, {@code /metrics} for Prometheus and a web page at
 * {@code /}. It follows the model it serves ({@link ServeOptions#model()}): its image size S and
 * its classes, in the metadata, the checks of requests, the pre-processing and the page. Requests
 * are batched dynamically ({@link ServeOptions#maxBatch()}, {@link ServeOptions#maxDelayMicros()}).
 * Both protocols share one queue and batcher. Thread-safe; {@link #close()} stops accepting
 * connections and calls, answers every request already received, then releases the model.
 *
 * <pre>{@code
 * try (InferenceServer server = InferenceServer.start(ServeOptions.builder().port(0).build())) {
 *   System.out.println("listening on " + server.uri());
 *   server.awaitStop();
 * }
 * }</pre>
 */
public final class InferenceServer implements AutoCloseable {
  /** How long {@link #close()} waits for requests in flight. */
  private static final long STOP_TIMEOUT_MS = 30_000;

  private static final long DEFAULT_IDLE_TIMEOUT_MS = 30_000;

  private static final int ACCEPT_QUEUE = 1024;

  /** {@link #modelName()} without {@code --model}. */
  static final String SHIPPED_MODEL_NAME = "the shipped CIFAR-10 model";

  private final ServeOptions options;
  private final StnClassifier classifier;
  private final ServeMetrics metrics;
  private final DynamicBatcher batcher;
  private final ConnectionLimiter connections;
  private final GrpcConnectionLimiter grpcConnections;
  private final Server server;
  private final ServerConnector connector;
  private final InferenceQueue queue;
  private GrpcEndpoint grpc;
  private volatile boolean ready;
  private boolean closed;

  private InferenceServer(ServeOptions options, StnClassifier classifier) {
    this.options = options;
    this.classifier = classifier;
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger bodiesPending = new AtomicInteger();
    DynamicBatcher[] holder = new DynamicBatcher[1];
    ConnectionLimiter[] limiter = new ConnectionLimiter[1];
    GrpcConnectionLimiter[] grpcLimiter = new GrpcConnectionLimiter[1];
    this.metrics =
        new ServeMetrics(
            () -> holder[0] == null ? 0 : holder[0].queuedImages(),
            inFlight::get,
            () -> limiter[0] == null ? 0 : limiter[0].open(),
            bodiesPending::get,
            () -> grpcLimiter[0] == null ? 0 : grpcLimiter[0].open());
    this.connections = new ConnectionLimiter(options.maxConnections(), metrics::refusedConnection);
    limiter[0] = connections;
    this.grpcConnections =
        new GrpcConnectionLimiter(options.grpcMaxConnections(), metrics::refusedGrpcConnection);
    grpcLimiter[0] = grpcConnections;
    this.batcher =
        new DynamicBatcher(
            classifier,
            options.maxBatch(),
            options.maxDelayMicros(),
            options.maxQueueImages(),
            options.workers(),
            metrics);
    holder[0] = batcher;
    this.queue = new InferenceQueue(batcher, options.requestTimeout(), inFlight);
    Handler routes =
        routes(
            new RequestBodies(
                options.maxBodyBytes(), options.bodyTimeout(), bodiesPending, metrics),
            queue);

    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("stn-http");
    this.server = new Server(threads);
    this.connector = connector(server, options, connections);
    server.addConnector(connector);
    HeaderDeadline headers =
        new HeaderDeadline(server.getScheduler(), options.bodyTimeout(), metrics::closedTooSlow);
    connector.addBean(headers);
    GracefulHandler graceful = new GracefulHandler();
    graceful.setHandler(headers.wrap(routes));
    server.setHandler(graceful);
    server.setStopTimeout(STOP_TIMEOUT_MS);
    server.setStopAtShutdown(false); // ServeMain decides what a signal does
  }

  /** One handler per endpoint family; a path no family takes goes to the page's files. */
  private Handler routes(RequestBodies bodies, InferenceQueue queue) {
    ModelInfo info = classifier.modelInfo();
    OpenInference protocol = new OpenInference(info.classNames().size(), info.imageSize());
    // NoContext: handlers see the request's own path, not one relative to the mapping.
    PathMappingsHandler routes = new PathMappingsHandler.NoContext();
    V2MetadataHandler v2 = new V2MetadataHandler(() -> ready, protocol, metrics);
    for (String path : V2MetadataHandler.PATHS) {
      routes.addMapping(new ServletPathSpec(path), v2);
    }
    routes.addMapping(new ServletPathSpec(V2MetadataHandler.MODELS + "*"), v2);
    // Exact paths win over the prefix above.
    V2InferHandler infer = new V2InferHandler(protocol, bodies, queue, metrics);
    for (String path : V2InferHandler.PATHS) {
      routes.addMapping(new ServletPathSpec(path), infer);
    }
    routes.addMapping(
        new ServletPathSpec(ClassifyHandler.PATH),
        new ClassifyHandler(
            options.maxBodyBytes(),
            classifier.preprocessor(),
            info.classNames(),
            bodies,
            queue,
            metrics));
    routes.addMapping(new ServletPathSpec(MetricsHandler.PATH), new MetricsHandler(metrics));
    StaticFiles files = new StaticFiles();
    ModelPageHandler page = new ModelPageHandler(ModelPage.of(modelName(), info, files), metrics);
    routes.addMapping(new ServletPathSpec(ModelPageHandler.MODEL), page);
    routes.addMapping(new ServletPathSpec(ModelPageHandler.SAMPLES + "*"), page);
    routes.addMapping(new ServletPathSpec("/"), new StaticFilesHandler(files, metrics));
    return routes;
  }

  private static ServerConnector connector(
      Server server, ServeOptions options, ConnectionLimiter connections) {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(options.host());
    connector.setPort(options.port());
    // A client that stops sending (or reading) for this long is cut off: slow clients cannot hold
    // threads and buffers forever. Not the request timeout itself: a kept-alive connection that
    // a client reuses just as the server closes it loses that request ("no bytes" on the client),
    // and clients commonly send every few seconds; and a waiting request must get its 503 first.
    connector.setIdleTimeout(idleTimeoutMillis(options));
    // A burst of new connections waits here while the one acceptor thread catches up; the JDK's
    // default of 50 drops the rest of a burst, and each dropped client retries its SYN only a
    // second later. The kernel caps it at net.core.somaxconn.
    connector.setAcceptQueueSize(ACCEPT_QUEUE);
    connector.addBean(connections);
    return connector;
  }

  /** Jetty's default idle timeout, or twice the request timeout when that is longer. */
  static long idleTimeoutMillis(ServeOptions options) {
    return Math.max(DEFAULT_IDLE_TIMEOUT_MS, 2 * options.requestTimeout().toMillis());
  }

  /**
   * Loads the model and starts listening.
   *
   * @throws StnException when the model cannot be loaded or the provider cannot run
   * @throws IOException when the address cannot be bound
   */
  public static InferenceServer start(ServeOptions options) throws StnException, IOException {
    StnClassifier.Builder builder =
        StnClassifier.builder()
            .provider(options.provider())
            .intraOpThreads(options.intraOpThreads())
            .maxBatchSize(Math.max(options.maxBatch(), 1));
    options.model().ifPresent(builder::model);
    StnClassifier classifier = builder.build();
    InferenceServer s;
    try {
      s = new InferenceServer(options, classifier);
    } catch (RuntimeException e) {
      classifier.close(); // nothing else owns it yet
      throw e;
    }
    try {
      s.server.start();
    } catch (Exception e) {
      s.close();
      if (e instanceof IOException io) {
        throw new IOException(
            "cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(),
            io);
      }
      throw new IOException("cannot start the HTTP server: " + e, e);
    }
    if (options.grpc()) {
      try {
        s.startGrpc();
      } catch (IOException | RuntimeException e) {
        s.close();
        throw e;
      }
    }
    s.ready = true;
    return s;
  }

  private synchronized void startGrpc() throws IOException {
    ModelInfo info = classifier.modelInfo();
    GrpcInferenceService service =
        new GrpcInferenceService(
            () -> ready, new GrpcCodec(info.classNames().size(), info.imageSize()), queue, metrics);
    grpc =
        GrpcEndpoint.start(
            options,
            service,
            grpcConnections,
            idleTimeoutMillis(options),
            metrics::closedSlowGrpcCall);
  }

  /** The gRPC port it listens on (the one picked, for port 0); empty when gRPC is off. */
  public synchronized OptionalInt grpcPort() {
    return grpc == null ? OptionalInt.empty() : OptionalInt.of(grpc.port());
  }

  /** The port it listens on (the one picked, for port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** {@code http://host:port}. */
  public String uri() {
    return "http://" + options.host() + ":" + port();
  }

  /** What the page and the start-up line call the model: its file name, or the shipped one's. */
  public String modelName() {
    return options.model().map(p -> String.valueOf(p.getFileName())).orElse(SHIPPED_MODEL_NAME);
  }

  /** The options it runs with. */
  public ServeOptions options() {
    return options;
  }

  /** The classifier behind it (shared, thread-safe). */
  public StnClassifier classifier() {
    return classifier;
  }

  /** The batcher, for tests that hold its workers. */
  DynamicBatcher batcher() {
    return batcher;
  }

  /** Blocks until the server has stopped. */
  public void awaitStop() throws InterruptedException {
    server.join();
  }

  /**
   * Stops accepting connections, answers the requests already received (waits up to 30 s), then
   * releases the model. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    ready = false;
    if (grpc != null) {
      grpc.stopTakingCalls(); // its calls in flight are answered while REST drains
    }
    try {
      server.stop();
    } catch (Exception e) {
      // Stopping failed part-way (a timeout waiting for requests): the model is still released.
      System.err.println("stn serve: while stopping the HTTP server: " + e);
    }
    if (grpc != null) {
      grpc.awaitStopped(STOP_TIMEOUT_MS);
    }
    batcher.close();
    classifier.close();
  }
}
