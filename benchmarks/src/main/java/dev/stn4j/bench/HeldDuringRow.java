package dev.stn4j.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --stalled} and {@code --idle} connections of one row: opened before its warm-up, and
 * handed back only once the server has them all (its bodies pending, its connections open), so the
 * measurement never starts while they are still arriving.
 */
final class HeldDuringRow implements AutoCloseable {
  private static final String PENDING = "stn_http_request_bodies_pending";
  private static final String CLOSED_SLOW = "stn_http_connections_closed_slow_total";
  private static final String OPEN = "stn_http_connections_open";

  /**
   * What a row reports of its held connections.
   *
   * @param stalled stalled uploads held (0 in a row without them)
   * @param idle idle connections held (0 in a row without them)
   * @param stats one entry per kind held
   */
  record Outcome(int stalled, int idle, List<HeldConnections.Stats> stats) {}

  private final int stalled;
  private final int idle;
  private final List<HeldConnections> holders;

  private HeldDuringRow(int stalled, int idle, List<HeldConnections> holders) {
    this.stalled = stalled;
    this.idle = idle;
    this.holders = holders;
  }

  /** A row without held connections. */
  static HeldDuringRow none() {
    return new HeldDuringRow(0, 0, List.of());
  }

  /** Opens {@code stalled} stalled uploads and {@code idle} idle connections on the server. */
  static HeldDuringRow open(ServerChild server, ServeRequests requests, int stalled, int idle)
      throws IOException, InterruptedException {
    List<HeldConnections> holders = new ArrayList<>();
    try {
      if (stalled > 0) {
        holders.add(openStalled(server, requests, stalled));
      }
      if (idle > 0) {
        holders.add(HeldConnections.open(HeldConnections.Kind.IDLE, idle, server.port, null, null));
        server.await("connections open", m -> m.getOrDefault(OPEN, 0.0), idle);
      }
      return new HeldDuringRow(stalled, idle, holders);
    } catch (IOException | InterruptedException | RuntimeException e) {
      closeAll(holders);
      throw e;
    }
  }

  private static HeldConnections openStalled(ServerChild server, ServeRequests requests, int n)
      throws IOException, InterruptedException {
    // Those the server cuts before the last is open (a short body timeout) count as arrived.
    double cutBefore = server.metrics().getOrDefault(CLOSED_SLOW, 0.0);
    byte[] body = requests.bodies(ServeMode.BINARY)[0];
    HeldConnections stalled =
        HeldConnections.open(
            HeldConnections.Kind.STALLED,
            n,
            server.port,
            requests.head(ServeMode.BINARY, server.port, body),
            body);
    try {
      server.await(
          "bodies pending + connections closed as too slow",
          m -> m.getOrDefault(PENDING, 0.0) + m.getOrDefault(CLOSED_SLOW, 0.0) - cutBefore,
          n);
      return stalled;
    } catch (InterruptedException | RuntimeException e) {
      stalled.close();
      throw e;
    }
  }

  Outcome outcome() {
    List<HeldConnections.Stats> stats = new ArrayList<>();
    for (HeldConnections h : holders) {
      stats.add(h.stats());
    }
    return new Outcome(stalled, idle, stats);
  }

  @Override
  public void close() throws InterruptedException {
    closeAll(holders);
  }

  private static void closeAll(List<HeldConnections> holders) throws InterruptedException {
    for (HeldConnections h : holders) {
      h.close();
    }
  }
}
