package dev.stn4j.serve;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A new connection's first request must arrive whole, headers included, within the deadline, or the
 * connection gets a 408 and is closed. Bodies have their own deadline ({@link RequestBodies});
 * without this one, a client that trickles header bytes renews the idle timeout with each and holds
 * its connection, and a place under {@code --max-connections}, for as long as it likes. Later
 * requests on a kept-alive connection are left to the idle timeout.
 *
 * <p>Added to the connector as a bean (it hears of every connection) and wrapped around the
 * handlers ({@link #wrap}: a request reaching them has its headers).
 */
final class HeaderDeadline implements Connection.Listener {
  private final Scheduler scheduler;
  private final long millis;
  private final Runnable onCut;
  private final Map<Connection, Scheduler.Task> waiting = new ConcurrentHashMap<>();
  private final ClosingAnswer timeout;

  HeaderDeadline(Scheduler scheduler, Duration deadline, Runnable onCut) {
    this.scheduler = scheduler;
    this.millis = deadline.toMillis();
    this.onCut = onCut;
    this.timeout =
        new ClosingAnswer(
            "408 Request Timeout",
            "",
            "the request's headers did not arrive within "
                + deadline.toMillis()
                + " ms (--body-timeout-ms)");
  }

  @Override
  public void onOpened(Connection connection) {
    waiting.put(
        connection, scheduler.schedule(() -> expire(connection), millis, TimeUnit.MILLISECONDS));
  }

  @Override
  public void onClosed(Connection connection) {
    arrived(connection);
  }

  /** The handlers, told first that a request's headers have arrived on its connection. */
  Handler wrap(Handler handlers) {
    return new Handler.Wrapper(handlers) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        arrived(request.getConnectionMetaData().getConnection());
        return super.handle(request, response, callback);
      }
    };
  }

  private void arrived(Connection connection) {
    Scheduler.Task task = waiting.remove(connection);
    if (task != null) {
      task.cancel();
    }
  }

  private void expire(Connection connection) {
    if (waiting.remove(connection) == null) {
      return; // its request arrived as the deadline fell
    }
    if (connection.getEndPoint().isOpen()) {
      onCut.run();
      timeout.sendAndClose(connection.getEndPoint());
    }
  }
}
