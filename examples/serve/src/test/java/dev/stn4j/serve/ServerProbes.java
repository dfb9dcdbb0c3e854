package dev.stn4j.serve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** What the connection tests read from a running server: its metrics, and waiting on a state. */
final class ServerProbes {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServerProbes() {}

  /** The server's /metrics text, or a line saying why there is none. */
  static String metrics(InferenceServer server) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(server.uri() + "/metrics"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "(no /metrics: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(no /metrics: interrupted)";
    }
  }

  /** A metric without labels; NaN when absent. */
  static double metric(InferenceServer server, String name) {
    for (String line : metrics(server).split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  /** Waits until {@code condition} holds, failing with {@code what} after {@code seconds}. */
  static void awaitTrue(BooleanSupplier condition, String what, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + seconds + " s: " + what);
      }
      Thread.sleep(20);
    }
  }
}
