package dev.stn4j.serve;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /v2/models/stn[/versions/1]/infer}: the Open Inference Protocol's inference, JSON or
 * binary tensors in and out ({@link OpenInference}), batched with other requests.
 */
final class V2InferHandler extends EndpointHandler {
  /**
   * The served model's infer paths; other models' and versions' are 404s of {@link
   * V2MetadataHandler}.
   */
  static final List<String> PATHS =
      List.of(
          V2MetadataHandler.MODELS + OpenInference.MODEL_NAME + "/infer",
          V2MetadataHandler.MODELS
              + OpenInference.MODEL_NAME
              + "/versions/"
              + OpenInference.MODEL_VERSION
              + "/infer");

  private final OpenInference protocol;
  private final RequestBodies bodies;
  private final InferenceQueue queue;

  V2InferHandler(
      OpenInference protocol, RequestBodies bodies, InferenceQueue queue, ServeMetrics metrics) {
    super(metrics);
    this.protocol = protocol;
    this.bodies = bodies;
    this.queue = queue;
  }

  @Override
  Route route(String path) {
    return Route.post("infer", bodies, this::infer);
  }

  private void infer(Exchange ex, byte[] body) throws HttpError {
    String headerLength = ex.request().getHeaders().get(OpenInference.HEADER_LENGTH);
    InferRequest request = protocol.parse(body, headerLength);
    queue.submit(
        ex,
        request.images(),
        predictions -> {
          OpenInference.Encoded out = protocol.encode(request, predictions);
          Map<String, String> headers =
              out.binary()
                  ? Map.of(OpenInference.HEADER_LENGTH, Integer.toString(out.jsonLength()))
                  : Map.of();
          ex.send(200, out.contentType(), out.body(), headers);
        });
  }
}
