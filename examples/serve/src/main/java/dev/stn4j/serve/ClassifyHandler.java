package dev.stn4j.serve;

import dev.stn4j.image.ImageLoader;
import dev.stn4j.image.Preprocessor;
import dev.stn4j.sdk.StnException;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/classify}: an image file in (PNG, JPEG, ...) of any size, pre-processed to the
 * served model's S×S by its {@link Preprocessor}, one prediction out as JSON ({@link
 * ClassifyResponse}), batched with other requests.
 */
final class ClassifyHandler extends EndpointHandler {
  static final String PATH = "/v1/classify";

  // Decoding is the costly part of classify: a 16-megapixel limit keeps one upload's pixels under
  // 64 MiB.
  private static final long MAX_UPLOAD_PIXELS = 1L << 24;

  private final ImageLoader uploads;
  private final Preprocessor preprocessor;
  private final List<String> classNames;
  private final RequestBodies bodies;
  private final InferenceQueue queue;

  ClassifyHandler(
      long maxBodyBytes,
      Preprocessor preprocessor,
      List<String> classNames,
      RequestBodies bodies,
      InferenceQueue queue,
      ServeMetrics metrics) {
    super(metrics);
    this.uploads = ImageLoader.withLimits(MAX_UPLOAD_PIXELS, maxBodyBytes);
    this.preprocessor = preprocessor;
    this.classNames = classNames;
    this.bodies = bodies;
    this.queue = queue;
  }

  @Override
  Route route(String path) {
    return Route.post("classify", bodies, this::classify);
  }

  private void classify(Exchange ex, byte[] body) throws HttpError {
    float[] chw;
    try {
      chw = preprocessor.chw(uploads.read(body, "request body", preprocessor.size()));
    } catch (StnException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    queue.submit(
        ex,
        List.of(chw),
        predictions ->
            ex.send(
                200,
                Exchange.JSON,
                ClassifyResponse.json(predictions.get(0), classNames),
                Map.of()));
  }
}
