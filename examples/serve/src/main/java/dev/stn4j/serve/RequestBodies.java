package dev.stn4j.serve;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Request bodies for the endpoints that take one, read by {@link BodyReader} within the server's
 * size and time limits. A body refused is answered here, so an endpoint sees only whole bodies.
 */
final class RequestBodies {
  /** What an endpoint does with a body once it has arrived whole. */
  interface Then {
    void accept(byte[] body) throws HttpError;
  }

  private final long maxBytes;
  private final Duration timeout;
  private final ServeMetrics metrics;
  private final AtomicInteger pending;

  /** {@code pending} counts the bodies still arriving. */
  RequestBodies(long maxBytes, Duration timeout, AtomicInteger pending, ServeMetrics metrics) {
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.pending = pending;
    this.metrics = metrics;
  }

  /** Reads the exchange's body without holding a thread, then runs {@code then} with it. */
  void read(Exchange ex, Then then) {
    BodyReader.read(
        ex.request(),
        maxBytes,
        timeout,
        pending,
        new BodyReader.Outcome() {
          @Override
          public void body(byte[] body) {
            try {
              then.accept(body);
            } catch (HttpError e) {
              ex.error(e);
            } catch (RuntimeException e) {
              EndpointHandler.internalError(ex, e);
            }
          }

          @Override
          public void refused(HttpError e) {
            if (e.status == 408) {
              metrics.closedTooSlow();
            }
            ex.error(e);
          }
        });
  }
}
