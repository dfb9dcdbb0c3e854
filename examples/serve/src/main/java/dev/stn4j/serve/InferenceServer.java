package dev.stn4j.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.stn4j.image.ImageLoader;
import dev.stn4j.image.Preprocessor;
import dev.stn4j.sdk.ErrorCode;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.PredictionResult;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The stn4j inference service: the KServe Open Inference Protocol (v2) over REST for model {@code
 * stn}, {@code POST /v1/classify} for image files, {@code /metrics} for Prometheus and a web page
 * at {@code /}. Requests are batched dynamically ({@link ServeOptions#maxBatch()}, {@link
 * ServeOptions#maxDelayMicros()}). Thread-safe; {@link #close()} stops accepting connections,
 * answers every request already received, then releases the model.
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

  // Decoding is the costly part of /v1/classify: a 16-megapixel limit keeps one upload's pixels
  // under 64 MiB.
  private static final long MAX_UPLOAD_PIXELS = 1L << 24;

  private static final JsonFactory FACTORY = new JsonFactory();

  private final ServeOptions options;
  private final StnClassifier classifier;
  private final ServeMetrics metrics;
  private final DynamicBatcher batcher;
  private final OpenInference protocol;
  private final ImageLoader uploads;
  private final StaticFiles web = new StaticFiles();
  private final Server server;
  private final ServerConnector connector;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger bodiesPending = new AtomicInteger();
  private final ConnectionLimiter connections;
  private volatile boolean ready;
  private boolean closed;

  private InferenceServer(ServeOptions options, StnClassifier classifier) {
    this.options = options;
    this.classifier = classifier;
    DynamicBatcher[] holder = new DynamicBatcher[1];
    ConnectionLimiter[] limiter = new ConnectionLimiter[1];
    this.metrics =
        new ServeMetrics(
            () -> holder[0] == null ? 0 : holder[0].queuedImages(),
            inFlight::get,
            () -> limiter[0] == null ? 0 : limiter[0].open(),
            bodiesPending::get);
    this.connections = new ConnectionLimiter(options.maxConnections(), metrics::refusedConnection);
    limiter[0] = connections;
    this.batcher =
        new DynamicBatcher(
            classifier,
            options.maxBatch(),
            options.maxDelayMicros(),
            options.maxQueueImages(),
            options.workers(),
            metrics);
    holder[0] = batcher;
    this.protocol = new OpenInference(classifier.modelInfo().classNames().size());
    this.uploads = ImageLoader.withLimits(MAX_UPLOAD_PIXELS, options.maxBodyBytes());

    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("stn-http");
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
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
    server.addConnector(connector);
    GracefulHandler graceful = new GracefulHandler();
    graceful.setHandler(new Routes());
    server.setHandler(graceful);
    server.setStopTimeout(STOP_TIMEOUT_MS);
    server.setStopAtShutdown(false); // ServeMain decides what a signal does
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
    s.ready = true;
    return s;
  }

  /** The port it listens on (the one picked, for port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** {@code http://host:port}. */
  public String uri() {
    return "http://" + options.host() + ":" + port();
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
    try {
      server.stop();
    } catch (Exception e) {
      // Stopping failed part-way (a timeout waiting for requests): the model is still released.
      System.err.println("stn serve: while stopping the HTTP server: " + e);
    }
    batcher.close();
    classifier.close();
  }

  // ---------------------------------------------------------------- routing

  private final class Routes extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      long start = System.nanoTime();
      String path = Request.getPathInContext(request);
      String method = request.getMethod();
      Exchange ex = new Exchange(request, response, callback, start);
      try {
        route(ex, method, path);
      } catch (HttpError e) {
        ex.error(e);
      } catch (RuntimeException | IOException e) {
        ex.endpoint = ex.endpoint == null ? "unknown" : ex.endpoint;
        ex.error(new HttpError(500, "internal", "internal error: " + e));
      }
      return true;
    }
  }

  private void route(Exchange ex, String method, String path) throws HttpError, IOException {
    if (path.equals("/v2/health/live")) {
      ex.endpoint = "live";
      requireMethod(method, "GET");
      ex.json(200, "{\"live\":true}");
    } else if (path.equals("/v2/health/ready")) {
      ex.endpoint = "ready";
      requireMethod(method, "GET");
      ex.json(ready ? 200 : 503, "{\"ready\":" + ready + "}");
    } else if (path.equals("/v2") || path.equals("/v2/")) {
      ex.endpoint = "server_metadata";
      requireMethod(method, "GET");
      ex.json(
          200,
          "{\"name\":\"stn4j\",\"version\":\""
              + version()
              + "\",\"extensions\":[\"binary_tensor_data\"]}");
    } else if (path.startsWith("/v2/models/")) {
      modelRoute(ex, method, path.substring("/v2/models/".length()));
    } else if (path.equals("/v1/classify")) {
      ex.endpoint = "classify";
      requireMethod(method, "POST");
      classify(ex);
    } else if (path.equals("/metrics")) {
      ex.endpoint = "metrics";
      requireMethod(method, "GET");
      ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
      metrics.write(out);
      ex.send(200, ServeMetrics.CONTENT_TYPE, out.toByteArray(), Map.of());
    } else {
      ex.endpoint = "static";
      StaticFiles.File file = web.get(path);
      if (file == null) {
        ex.endpoint = "unknown";
        throw new HttpError(404, "not_found", "no such resource: " + path);
      }
      requireMethod(method, "GET");
      ex.send(200, file.contentType(), file.bytes(), Map.of());
    }
  }

  /** {@code /v2/models/<name>[/versions/<v>][/ready|/infer]}. */
  private void modelRoute(Exchange ex, String method, String rest) throws HttpError, IOException {
    String[] parts = rest.split("/", -1);
    String name = parts[0];
    int next = 1;
    String version = null;
    if (parts.length >= 3 && parts[1].equals("versions")) {
      version = parts[2];
      next = 3;
    }
    String action =
        parts.length > next ? String.join("/", List.of(parts).subList(next, parts.length)) : "";
    ex.endpoint =
        switch (action) {
          case "" -> "model_metadata";
          case "ready" -> "model_ready";
          case "infer" -> "infer";
          default -> "unknown";
        };
    if (!OpenInference.MODEL_NAME.equals(name)) {
      throw new HttpError(
          404,
          "unknown_model",
          "unknown model '" + name + "'; this server serves '" + OpenInference.MODEL_NAME + "'");
    }
    if (version != null && !OpenInference.MODEL_VERSION.equals(version)) {
      throw new HttpError(
          404,
          "unknown_model",
          "unknown version '"
              + version
              + "' of model 'stn'; it has version "
              + OpenInference.MODEL_VERSION);
    }
    switch (action) {
      case "" -> {
        requireMethod(method, "GET");
        ex.send(200, "application/json", protocol.modelMetadata(), Map.of());
      }
      case "ready" -> {
        requireMethod(method, "GET");
        ex.json(ready ? 200 : 503, "{\"name\":\"stn\",\"ready\":" + ready + "}");
      }
      case "infer" -> {
        requireMethod(method, "POST");
        infer(ex);
      }
      default -> throw new HttpError(404, "not_found", "no such resource: /v2/models/" + rest);
    }
  }

  private static void requireMethod(String method, String allowed) throws HttpError {
    if (!allowed.equals(method)) {
      throw new HttpError(405, "method", "method " + method + " not allowed here; use " + allowed);
    }
  }

  // ---------------------------------------------------------------- endpoints

  private void infer(Exchange ex) {
    ex.withBody(body -> infer(ex, body));
  }

  private void infer(Exchange ex, byte[] body) throws HttpError {
    InferRequest request =
        protocol.parse(body, ex.request.getHeaders().get(OpenInference.HEADER_LENGTH));
    submit(
        ex,
        request.images(),
        predictions -> {
          try {
            OpenInference.Encoded out = protocol.encode(request, predictions);
            ex.send(
                200,
                out.contentType(),
                out.body(),
                out.binary()
                    ? Map.of(OpenInference.HEADER_LENGTH, Integer.toString(out.jsonLength()))
                    : Map.of());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return null;
        });
  }

  private void classify(Exchange ex) {
    ex.withBody(body -> classify(ex, body));
  }

  private void classify(Exchange ex, byte[] body) throws HttpError {
    float[] chw;
    try {
      chw = Preprocessor.toChw(uploads.read(body, "request body"));
    } catch (StnException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    List<String> classNames = classifier.modelInfo().classNames();
    submit(
        ex,
        List.of(chw),
        predictions -> {
          try {
            ex.send(
                200,
                "application/json",
                ClassifyResponse.json(predictions.get(0), classNames),
                Map.of());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return null;
        });
  }

  /**
   * Queues the images; answers with {@code answer} when all of them are predicted, with 400/500
   * when one failed, with 503 when the queue is full or the request waited past its timeout.
   */
  private void submit(Exchange ex, List<float[]> images, Function<List<Prediction>, Void> answer)
      throws HttpError {
    if (images.size() > batcher.maxQueueImages()) {
      throw HttpError.badRequest(
          "the request has "
              + images.size()
              + " images; the server queues at most "
              + batcher.maxQueueImages()
              + " (--max-queue)");
    }
    DynamicBatcher.Job job;
    try {
      job = batcher.submit(images);
    } catch (DynamicBatcher.Rejected e) {
      throw new HttpError(503, e.shuttingDown ? "shutting_down" : "queue_full", e.getMessage());
    }
    inFlight.incrementAndGet();
    long timeoutMs = options.requestTimeout().toMillis();
    job.result
        .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
        .whenComplete(
            (results, failure) -> {
              inFlight.decrementAndGet();
              try {
                if (failure != null) {
                  Throwable cause =
                      failure instanceof CompletionException && failure.getCause() != null
                          ? failure.getCause()
                          : failure;
                  if (cause instanceof TimeoutException) {
                    ex.error(
                        new HttpError(
                            503,
                            "timeout",
                            "no answer within the request timeout of " + timeoutMs + " ms"));
                  } else {
                    ex.error(new HttpError(500, "internal", "inference failed: " + cause));
                  }
                  return;
                }
                List<Prediction> predictions = new ArrayList<>(results.size());
                for (int i = 0; i < results.size(); i++) {
                  PredictionResult r = results.get(i);
                  if (r instanceof PredictionResult.Failure bad) {
                    StnException e = bad.error();
                    boolean invalid = e.code() == ErrorCode.INVALID_INPUT;
                    ex.error(
                        new HttpError(
                            invalid ? 400 : 500,
                            invalid ? "bad_request" : "internal",
                            "image " + i + ": " + e.getMessage()));
                    return;
                  }
                  predictions.add(((PredictionResult.Success) r).prediction());
                }
                answer.apply(predictions);
              } catch (RuntimeException e) {
                ex.error(new HttpError(500, "internal", "internal error: " + e));
              }
            });
  }

  private static String version() {
    String v = InferenceServer.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  // ---------------------------------------------------------------- one exchange

  /** What an endpoint does with a request body once it has arrived whole. */
  private interface BodyHandler {
    void accept(byte[] body) throws HttpError;
  }

  /** One request and its response; answers exactly once. */
  private final class Exchange {
    final Request request;
    final Response response;
    final Callback callback;
    final long start;
    String endpoint;
    private boolean answered;

    Exchange(Request request, Response response, Callback callback, long start) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.start = start;
    }

    /**
     * Reads the body without holding a thread, then runs {@code then} with it; a body refused (413,
     * 408, 400) is answered here.
     */
    void withBody(BodyHandler then) {
      BodyReader.read(
          request,
          options.maxBodyBytes(),
          options.bodyTimeout(),
          bodiesPending,
          new BodyReader.Outcome() {
            @Override
            public void body(byte[] body) {
              try {
                then.accept(body);
              } catch (HttpError e) {
                error(e);
              } catch (RuntimeException e) {
                error(new HttpError(500, "internal", "internal error: " + e));
              }
            }

            @Override
            public void refused(HttpError e) {
              if (e.status == 408) {
                metrics.closedTooSlow();
              }
              error(e);
            }
          });
    }

    void json(int status, String json) {
      send(
          status,
          "application/json",
          json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          Map.of());
    }

    void error(HttpError e) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      try (JsonGenerator g = FACTORY.createGenerator(out)) {
        g.writeStartObject();
        g.writeStringField("error", e.getMessage());
        g.writeEndObject();
      } catch (IOException io) {
        throw new UncheckedIOException(io);
      }
      Map<String, String> headers = e.status == 503 ? Map.of("Retry-After", "1") : Map.of();
      sendAs(e.status, e.kind, "application/json", out.toByteArray(), headers);
    }

    void send(int status, String contentType, byte[] body, Map<String, String> headers) {
      sendAs(status, null, contentType, body, headers);
    }

    private synchronized void sendAs(
        int status, String kind, String contentType, byte[] body, Map<String, String> headers) {
      if (answered) {
        return;
      }
      answered = true;
      metrics.answered(endpoint == null ? "unknown" : endpoint, status, kind, start);
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      headers.forEach((k, v) -> response.getHeaders().put(k, v));
      if (status == 413 || status == 408) {
        // The rest of the body is not read: close rather than drain it.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
      response.write(true, ByteBuffer.wrap(body), callback);
    }
  }
}
