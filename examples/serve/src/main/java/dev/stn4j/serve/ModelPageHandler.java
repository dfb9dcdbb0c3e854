package dev.stn4j.serve;

import java.util.Map;

/**
 * {@code GET /v1/model} (what the page shows of the served model, {@link ModelPage}) and {@code GET
 * /v1/samples/<i>.png} (its sample images). Counted under the endpoint {@code static}, with the
 * page's other files: they are the page's, not an inference API.
 */
final class ModelPageHandler extends EndpointHandler {
  static final String MODEL = "/v1/model";
  static final String SAMPLES = "/" + ModelPage.SAMPLE_PATH;

  private final ModelPage page;

  ModelPageHandler(ModelPage page, ServeMetrics metrics) {
    super(metrics);
    this.page = page;
  }

  @Override
  Route route(String path) {
    if (path.equals(MODEL)) {
      return get(Exchange.JSON, page.json());
    }
    byte[] png = page.samplePng(sampleIndex(path));
    return png == null ? Route.notFound(path) : get("image/png", png);
  }

  private static Route get(String contentType, byte[] body) {
    return new Route(
        "static",
        ex -> {
          ex.requireMethod("GET");
          ex.send(200, contentType, body, Map.of());
        });
  }

  /** {@code i} of {@code /v1/samples/<i>.png}, or -1 for any other path. */
  static int sampleIndex(String path) {
    if (!path.startsWith(SAMPLES) || !path.endsWith(".png")) {
      return -1;
    }
    String digits = path.substring(SAMPLES.length(), path.length() - ".png".length());
    if (digits.isEmpty()
        || digits.length() > 6
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    return Integer.parseInt(digits);
  }
}
