package dev.stn4j.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.IntSupplier;

/**
 * The service's Prometheus metrics, in a registry of its own (not the JVM-wide default one, so two
 * servers in one JVM, as in the tests, count apart).
 */
final class ServeMetrics {
  static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  private final Counter requests =
      Counter.builder()
          .name("stn_http_requests_total")
          .help("HTTP requests answered, by endpoint and status code")
          .labelNames("endpoint", "code")
          .register(registry);
  private final Counter errors =
      Counter.builder()
          .name("stn_http_errors_total")
          .help("HTTP requests answered with an error (status >= 400), by endpoint and kind")
          .labelNames("endpoint", "kind")
          .register(registry);
  private final Histogram latency =
      Histogram.builder()
          .name("stn_http_request_duration_seconds")
          .help("Time from a request's arrival to its answer, by endpoint")
          .labelNames("endpoint")
          .classicOnly()
          .classicUpperBounds(
              0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10)
          .register(registry);
  private final Histogram batchImages =
      Histogram.builder()
          .name("stn_batch_images")
          .help("Images per ONNX Runtime run formed by the dynamic batcher")
          .classicOnly()
          .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
          .register(registry);
  private final Histogram queueTime =
      Histogram.builder()
          .name("stn_queue_wait_seconds")
          .help("Time a request waited in the batching queue before its batch ran")
          .classicOnly()
          .classicUpperBounds(
              0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 1, 10)
          .register(registry);

  // gRPC apart from HTTP: its own names and status codes; the batcher's and queue's are shared.
  private final Counter grpcRequests =
      Counter.builder()
          .name("stn_grpc_requests_total")
          .help("gRPC calls answered, by method and status code (OK, INVALID_ARGUMENT, ...)")
          .labelNames("method", "code")
          .register(registry);
  private final Histogram grpcLatency =
      Histogram.builder()
          .name("stn_grpc_request_duration_seconds")
          .help("Time from a gRPC call's arrival to its answer, by method")
          .labelNames("method")
          .classicOnly()
          .classicUpperBounds(
              0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10)
          .register(registry);

  private final Counter refusedConnections =
      Counter.builder()
          .name("stn_http_connections_refused_total")
          .help("Connections answered 503 and closed at accept for being over --max-connections")
          .register(registry);
  private final Counter refusedGrpcConnections =
      Counter.builder()
          .name("stn_grpc_connections_refused_total")
          .help("gRPC connections closed at accept for being over --grpc-max-connections")
          .register(registry);
  private final Counter tooSlow =
      Counter.builder()
          .name("stn_http_connections_closed_slow_total")
          .help(
              "Connections closed (408) because a request body, or a new connection's first"
                  + " request headers, did not arrive within --body-timeout-ms or the idle timeout")
          .register(registry);

  private final Counter tooSlowGrpc =
      Counter.builder()
          .name("stn_grpc_calls_closed_slow_total")
          .help(
              "gRPC calls closed (DEADLINE_EXCEEDED) because their request message did not"
                  + " arrive whole within --body-timeout-ms of their headers")
          .register(registry);

  ServeMetrics(
      IntSupplier queuedImages,
      IntSupplier inFlight,
      IntSupplier openConnections,
      IntSupplier bodiesPending,
      IntSupplier openGrpcConnections) {
    // Heap, non-heap, threads, GC and the process's resident memory: what an operator (and
    // `stn bench serve`) needs to tell a native leak from a heap that grew to its limit.
    JvmMetrics.builder().register(registry);
    GaugeWithCallback.builder()
        .name("stn_inference_requests_in_flight")
        .help("Inference requests (infer, classify; REST and gRPC) received and not yet answered")
        .callback(cb -> cb.call(inFlight.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("stn_queue_images")
        .help("Images waiting in the batching queue now")
        .callback(cb -> cb.call(queuedImages.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("stn_http_connections_open")
        .help("Connections open now (those refused over --max-connections not counted)")
        .callback(cb -> cb.call(openConnections.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("stn_http_request_bodies_pending")
        .help("Requests whose body is still arriving (each holds its bytes so far, no thread)")
        .callback(cb -> cb.call(bodiesPending.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("stn_grpc_connections_open")
        .help("gRPC connections open now (those refused over --grpc-max-connections not counted)")
        .callback(cb -> cb.call(openGrpcConnections.getAsInt()))
        .register(registry);
  }

  void refusedConnection() {
    refusedConnections.inc();
  }

  void refusedGrpcConnection() {
    refusedGrpcConnections.inc();
  }

  void closedTooSlow() {
    tooSlow.inc();
  }

  void closedSlowGrpcCall() {
    tooSlowGrpc.inc();
  }

  void answered(String endpoint, int status, String errorKind, long startNanos) {
    requests.labelValues(endpoint, Integer.toString(status)).inc();
    if (status >= 400) {
      errors.labelValues(endpoint, errorKind == null ? "other" : errorKind).inc();
    }
    latency.labelValues(endpoint).observe((System.nanoTime() - startNanos) / 1e9);
  }

  void answeredGrpc(String method, String code, long startNanos) {
    grpcRequests.labelValues(method, code).inc();
    grpcLatency.labelValues(method).observe((System.nanoTime() - startNanos) / 1e9);
  }

  void batch(int images) {
    batchImages.observe(images);
  }

  void queued(long nanos) {
    queueTime.observe(nanos / 1e9);
  }

  void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }
}
