package dev.stn4j.serve;

import java.util.Map;

/**
 * {@code GET} of the web page's files ({@link StaticFiles}); mapped to every path no other handler
 * takes, so that a path nothing serves is its 404.
 */
final class StaticFilesHandler extends EndpointHandler {
  private final StaticFiles web;

  StaticFilesHandler(StaticFiles web, ServeMetrics metrics) {
    super(metrics);
    this.web = web;
  }

  @Override
  Route route(String path) {
    StaticFiles.File file = web.get(path);
    if (file == null) {
      return Route.notFound(path);
    }
    return new Route(
        "static",
        ex -> {
          ex.requireMethod("GET");
          ex.send(200, file.contentType(), file.bytes(), Map.of());
        });
  }
}
