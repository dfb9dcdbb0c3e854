package dev.stn4j.serve;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;

/**
 * Bounds the connections open at once: a connection over the bound is answered 503 (when the socket
 * takes the few bytes at once) and closed right after it is accepted. Jetty's own {@code
 * ConnectionLimit} and {@code NetworkConnectionLimit} stop accepting instead, which leaves new
 * connections in the kernel's backlog, where a client cannot tell a full server from a dead one and
 * a flood of them delays honest clients that arrive once the server has room again.
 *
 * <p>Added to the connector as a bean, so Jetty registers it on every connection it opens.
 */
final class ConnectionLimiter implements Connection.Listener {
  private final int max;
  private final Runnable onRefused;
  private final AtomicInteger open = new AtomicInteger();
  // Refused connections are closed at once; their close must not count against the admitted ones.
  private final Set<Connection> refused = ConcurrentHashMap.newKeySet();
  private final ClosingAnswer refusal;

  ConnectionLimiter(int max, Runnable onRefused) {
    if (max < 1) {
      throw new IllegalArgumentException("max connections must be >= 1, got " + max);
    }
    this.max = max;
    this.onRefused = onRefused;
    this.refusal =
        new ClosingAnswer(
            "503 Service Unavailable",
            "Retry-After: 1\r\n",
            "the server holds its most connections (" + max + ", --max-connections); try again");
  }

  /** Connections open now, refused ones not counted. */
  int open() {
    return open.get();
  }

  int max() {
    return max;
  }

  @Override
  public void onOpened(Connection connection) {
    if (open.incrementAndGet() <= max) {
      return;
    }
    open.decrementAndGet();
    refused.add(connection);
    onRefused.run();
    refusal.sendAndClose(connection.getEndPoint());
  }

  @Override
  public void onClosed(Connection connection) {
    if (!refused.remove(connection)) {
      open.decrementAndGet();
    }
  }
}
