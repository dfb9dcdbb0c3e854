package dev.stn4j.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Connections the load generator holds open on {@code stn serve} during a row, on one selector
 * thread rather than a thread each: stalled uploads (the headers of an infer request and the first
 * bytes of its body, then nothing) or idle keep-alive connections (one answered request, then
 * nothing). Those the server closes are opened again, and how long each lived is kept, so a row
 * shows whether the server cut them within its body timeout. Thread-safe.
 */
final class HeldConnections implements AutoCloseable {
  /** What each connection sends before it goes quiet. */
  enum Kind {
    STALLED,
    IDLE
  }

  /**
   * What happened to the connections of a row.
   *
   * @param kind stalled or idle
   * @param count connections held at once
   * @param openSeconds time to open the first {@code count}
   * @param closedByServer connections the server closed (each was opened again)
   * @param answered408 of those, how many got a 408 first
   * @param maxLifeSeconds the longest a closed one lived, from its opening; 0 when none closed
   * @param reopenFailures connections that could not be opened again
   */
  record Stats(
      Kind kind,
      int count,
      double openSeconds,
      long closedByServer,
      long answered408,
      double maxLifeSeconds,
      long reopenFailures) {}

  // A connection the server closed within this was probably refused (the bound): not reopened
  // sooner than this, so a refusing server is not flooded.
  private static final long REOPEN_PAUSE_NANOS = 1_000_000_000L;

  private final Kind kind;
  private final int count;
  private final InetSocketAddress server;
  private final byte[] opening;
  private final Selector selector;
  private final Thread loop;
  private final Deque<long[]> reopenAt = new ArrayDeque<>();
  private final double openSeconds;
  private volatile boolean closing;
  private long closedByServer;
  private long answered408;
  private double maxLifeSeconds;
  private long reopenFailures;

  private HeldConnections(Kind kind, int count, InetSocketAddress server, byte[] opening)
      throws IOException {
    this.kind = kind;
    this.count = count;
    this.server = server;
    this.opening = opening;
    this.selector = Selector.open();
    long start = System.nanoTime();
    try {
      for (int i = 0; i < count; i++) {
        open();
      }
    } catch (IOException e) {
      closeAll();
      throw new IOException(
          "opened "
              + selector.keys().size()
              + " of "
              + count
              + " "
              + kind.name().toLowerCase(java.util.Locale.ROOT)
              + " connections: "
              + e.getMessage()
              + " (the load generator's file limit, ulimit -n, must exceed the count)",
          e);
    }
    this.openSeconds = (System.nanoTime() - start) / 1e9;
    this.loop = new Thread(this::watch, "held-" + kind.name().toLowerCase(java.util.Locale.ROOT));
    loop.setDaemon(true);
    loop.start();
  }

  /**
   * Opens {@code count} connections of {@code kind} to {@code port} on 127.0.0.1. A stalled upload
   * sends {@code head} and the first 100 bytes of {@code body}; an idle connection one GET.
   */
  static HeldConnections open(Kind kind, int count, int port, byte[] head, byte[] body)
      throws IOException {
    byte[] opening;
    if (kind == Kind.STALLED) {
      opening = new byte[head.length + 100];
      System.arraycopy(head, 0, opening, 0, head.length);
      System.arraycopy(body, 0, opening, head.length, 100);
    } else {
      opening =
          ("GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
    }
    return new HeldConnections(kind, count, new InetSocketAddress("127.0.0.1", port), opening);
  }

  synchronized Stats stats() {
    return new Stats(
        kind, count, openSeconds, closedByServer, answered408, maxLifeSeconds, reopenFailures);
  }

  private void open() throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      // Closed with a reset, not left in TIME_WAIT: thousands per round would use up the
      // loopback's ephemeral ports.
      channel.setOption(StandardSocketOptions.SO_LINGER, 0);
      channel.connect(server);
      channel.write(ByteBuffer.wrap(opening));
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ, new long[] {System.nanoTime(), 0});
    } catch (IOException e) {
      channel.close();
      throw e;
    }
  }

  private void watch() {
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    while (!closing) {
      try {
        selector.select(100);
      } catch (IOException e) {
        return;
      }
      for (SelectionKey key : selector.selectedKeys()) {
        long[] state = (long[]) key.attachment(); // opened at, bytes received
        SocketChannel channel = (SocketChannel) key.channel();
        int n;
        buffer.clear();
        try {
          n = channel.read(buffer);
        } catch (IOException e) {
          n = -1;
        }
        if (n > 0 && state[1] == 0 && startsWith408(buffer)) {
          synchronized (this) {
            answered408++;
          }
        }
        if (n > 0) {
          state[1] += n;
          continue;
        }
        if (n < 0) {
          key.cancel();
          closeQuietly(channel);
          long now = System.nanoTime();
          synchronized (this) {
            closedByServer++;
            maxLifeSeconds = Math.max(maxLifeSeconds, (now - state[0]) / 1e9);
          }
          reopenAt.add(new long[] {Math.max(now, state[0] + REOPEN_PAUSE_NANOS)});
        }
      }
      selector.selectedKeys().clear();
      while (!closing && !reopenAt.isEmpty() && reopenAt.peek()[0] <= System.nanoTime()) {
        reopenAt.poll();
        try {
          open();
        } catch (IOException e) {
          synchronized (this) {
            reopenFailures++;
          }
        }
      }
    }
  }

  private static boolean startsWith408(ByteBuffer buffer) {
    byte[] expected = "HTTP/1.1 408".getBytes(StandardCharsets.US_ASCII);
    if (buffer.position() < expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (buffer.get(i) != expected[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    selector.wakeup();
    loop.join(30_000);
    closeAll();
  }

  private void closeAll() {
    List<SelectionKey> keys = new ArrayList<>(selector.keys());
    for (SelectionKey key : keys) {
      closeQuietly(key.channel());
    }
    closeQuietly(selector);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing what the server already closed
    }
  }
}
