package dev.stn4j.serve;

import java.io.IOException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One family of endpoints. A subclass says which endpoint a path is ({@link #route}); this class
 * answers whatever it throws as a JSON error, so every endpoint fails the same way and every answer
 * is counted under the endpoint's name.
 */
abstract class EndpointHandler extends Handler.Abstract {
  /** The endpoint of a path nothing serves, and of a request whose path could not be routed. */
  static final String UNKNOWN = "unknown";

  /** What a route does with its exchange. */
  interface Action {
    void run(Exchange ex) throws HttpError, IOException;
  }

  /** What a POST endpoint does with its body once it has arrived whole. */
  interface BodyAction {
    void run(Exchange ex, byte[] body) throws HttpError;
  }

  /** An endpoint's name, as the metrics label it, and what it does. */
  record Route(String endpoint, Action action) {
    /** An endpoint that takes a POST and reads its whole body (without a thread) first. */
    static Route post(String endpoint, RequestBodies bodies, BodyAction action) {
      return new Route(
          endpoint,
          ex -> {
            ex.requireMethod("POST");
            bodies.read(ex, body -> action.run(ex, body));
          });
    }

    static Route notFound(String path) {
      return new Route(
          UNKNOWN,
          ex -> {
            throw HttpError.notFound(path);
          });
    }
  }

  private final ServeMetrics metrics;

  EndpointHandler(ServeMetrics metrics) {
    this.metrics = metrics;
  }

  /** The endpoint at {@code path}; decides on the path alone, answers nothing. */
  abstract Route route(String path);

  @Override
  public final boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    Route route;
    try {
      route = route(Request.getPathInContext(request));
    } catch (RuntimeException e) {
      route = new Route(UNKNOWN, ex -> internalError(ex, e));
    }
    Exchange ex = new Exchange(request, response, callback, start, route.endpoint(), metrics);
    try {
      route.action().run(ex);
    } catch (HttpError e) {
      ex.error(e);
    } catch (RuntimeException | IOException e) {
      internalError(ex, e);
    }
    return true;
  }

  static void internalError(Exchange ex, Exception e) {
    ex.error(new HttpError(500, "internal", "internal error: " + e));
  }
}
