package dev.stn4j.serve;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/** {@code GET /metrics}: {@link ServeMetrics} in Prometheus's text format. */
final class MetricsHandler extends EndpointHandler {
  static final String PATH = "/metrics";

  private final ServeMetrics metrics;

  MetricsHandler(ServeMetrics metrics) {
    super(metrics);
    this.metrics = metrics;
  }

  @Override
  Route route(String path) {
    return new Route(
        "metrics",
        ex -> {
          ex.requireMethod("GET");
          ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
          metrics.write(out);
          ex.send(200, ServeMetrics.CONTENT_TYPE, out.toByteArray(), Map.of());
        });
  }
}
