package dev.stn4j.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request and its response, under the endpoint name the metrics count it by. It answers exactly
 * once: an answer after the first (a timeout racing a prediction) is dropped.
 */
final class Exchange {
  /** The fields of a JSON object, written into it. */
  interface JsonFields {
    void write(JsonGenerator g) throws IOException;
  }

  static final String JSON = "application/json";

  private static final JsonFactory FACTORY = new JsonFactory();

  private final Request request;
  private final Response response;
  private final Callback callback;
  private final long startNanos;
  private final String endpoint;
  private final ServeMetrics metrics;
  private boolean answered;

  Exchange(
      Request request,
      Response response,
      Callback callback,
      long startNanos,
      String endpoint,
      ServeMetrics metrics) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.startNanos = startNanos;
    this.endpoint = endpoint;
    this.metrics = metrics;
  }

  Request request() {
    return request;
  }

  void requireMethod(String allowed) throws HttpError {
    String method = request.getMethod();
    if (!allowed.equals(method)) {
      throw new HttpError(405, "method", "method " + method + " not allowed here; use " + allowed);
    }
  }

  /** Answers with the JSON object {@code fields} writes. */
  void json(int status, JsonFields fields) {
    send(status, JSON, object(fields), Map.of());
  }

  /** Answers {@code {"error": message}}; a 503 says when to retry. */
  void error(HttpError e) {
    Map<String, String> headers = e.status == 503 ? Map.of("Retry-After", "1") : Map.of();
    answer(e.status, e.kind, JSON, errorJson(e.getMessage()), headers);
  }

  /** {@code {"error": message}}, every error's body. */
  static byte[] errorJson(String message) {
    return object(g -> g.writeStringField("error", message));
  }

  void send(int status, String contentType, byte[] body, Map<String, String> headers) {
    answer(status, null, contentType, body, headers);
  }

  private synchronized void answer(
      int status, String kind, String contentType, byte[] body, Map<String, String> headers) {
    if (answered) {
      return;
    }
    answered = true;
    metrics.answered(endpoint, status, kind, startNanos);
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

  private static byte[] object(JsonFields fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }
}
