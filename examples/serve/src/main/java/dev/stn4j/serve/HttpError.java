package dev.stn4j.serve;

/**
 * A request the server answers with an error: the status, a short kind for the metrics, and a
 * message naming the problem, sent as {@code {"error": "..."}}.
 */
final class HttpError extends Exception {
  private static final long serialVersionUID = 1L;
  final int status;
  final String kind;

  HttpError(int status, String kind, String message) {
    super(message, null, false, false);
    this.status = status;
    this.kind = kind;
  }

  static HttpError badRequest(String message) {
    return new HttpError(400, "bad_request", message);
  }

  static HttpError notFound(String path) {
    return new HttpError(404, "not_found", "no such resource: " + path);
  }
}
