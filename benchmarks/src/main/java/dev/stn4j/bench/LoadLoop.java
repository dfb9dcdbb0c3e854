package dev.stn4j.bench;

import dev.stn4j.serve.grpc.v2.ModelInferRequest;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One row's closed-loop load: C client threads that each send one request and wait for its answer,
 * over a warm-up and a measured window. Only requests sent and answered inside the window count;
 * CPU time, resident memory and the memory samples are taken over the same window.
 */
final class LoadLoop {
  /**
   * The timing and the mix of every row of a run.
   *
   * @param warmupSeconds unmeasured time before the window
   * @param seconds the measured window
   * @param invalidEvery every Nth request of a client is invalid; 0 for none
   * @param memoryEverySeconds time between memory samples inside the window
   * @param grpcSharedChannel gRPC clients share one channel (one HTTP/2 connection, calls
   *     multiplexed) rather than each having its own, as each REST client has its own connection
   */
  record Settings(
      double warmupSeconds,
      double seconds,
      int invalidEvery,
      double memoryEverySeconds,
      boolean grpcSharedChannel) {}

  /** A row's requests, encoded for its server before the clients start (HTTP or gRPC). */
  private record Traffic(
      byte[][] bodies,
      byte[][] heads,
      byte[] badBody,
      byte[] badHead,
      ModelInferRequest[] calls,
      ModelInferRequest badCall) {}

  /** Sends request {@code i} of the row, or the invalid one, and waits for the answer. */
  private interface Sender {
    LoopbackHttp.Answer send(int i, boolean invalid) throws Exception;
  }

  /** CPU time and memory over the measured window. */
  private record Window(
      double clientCpuSeconds,
      double serverCpuSeconds,
      long rssStart,
      long rssEnd,
      MemorySamples memory) {}

  private final ServerChild server;
  private final ServeRequests requests;
  private final int[] expected;
  private final Settings settings;

  /**
   * @param expected the class every valid request must get, by sample image
   */
  LoadLoop(ServerChild server, ServeRequests requests, int[] expected, Settings settings) {
    this.server = server;
    this.requests = requests;
    this.expected = expected.clone();
    this.settings = settings;
  }

  LoadResult run(ServeMode mode, int clients) throws InterruptedException {
    Traffic traffic = traffic(mode);
    // gRPC's and Netty's classes load on the first call, seconds on a busy machine: not inside a
    // row's warm-up, which is for the server. A shared channel is made (and connected) here too.
    LoopbackGrpc shared = null;
    if (mode == ServeMode.GRPC) {
      LoopbackGrpc first = new LoopbackGrpc("127.0.0.1", server.grpcPort);
      first.infer(traffic.calls()[0]);
      if (settings.grpcSharedChannel()) {
        shared = first;
      } else {
        first.close();
      }
    }
    try {
      return run(mode, clients, traffic, shared);
    } finally {
      if (shared != null) {
        shared.close();
      }
    }
  }

  private LoadResult run(ServeMode mode, int clients, Traffic traffic, LoopbackGrpc shared)
      throws InterruptedException {
    long measureFrom = System.nanoTime() + (long) (settings.warmupSeconds() * 1e9);
    long end = measureFrom + (long) (settings.seconds() * 1e9);
    List<Client> tallies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      Client client = new Client(t, mode, traffic, measureFrom, end, shared);
      tallies.add(client);
      Thread thread = new Thread(client, "load-" + t);
      threads.add(thread);
      thread.start();
    }
    Window window = measure(measureFrom, end);
    for (Thread t : threads) {
      t.join();
    }
    return result(mode, tallies, window);
  }

  private Traffic traffic(ServeMode mode) {
    if (mode == ServeMode.GRPC) {
      if (server.grpcPort < 0) {
        throw new IllegalStateException("the server serves no gRPC (--no-grpc given?)");
      }
      ModelInferRequest[] calls = new ModelInferRequest[requests.images.size()];
      for (int i = 0; i < calls.length; i++) {
        calls[i] = LoopbackGrpc.request(requests.images.get(i));
      }
      return new Traffic(
          null, null, null, null, calls, LoopbackGrpc.invalid(requests.images.get(0)));
    }
    byte[][] bodies = requests.bodies(mode);
    byte[][] heads = new byte[bodies.length][];
    for (int i = 0; i < bodies.length; i++) {
      heads[i] = requests.head(mode, server.port, bodies[i]);
    }
    byte[] badBody = requests.invalid(mode);
    return new Traffic(
        bodies, heads, badBody, requests.head(mode, server.port, badBody), null, null);
  }

  /** Samples the server over the window, while the clients load it. */
  private Window measure(long measureFrom, long end) throws InterruptedException {
    sleepUntil(measureFrom);
    double clientCpu0 = processCpuSeconds();
    double serverCpu0 = server.cpuSeconds();
    long rss0 = server.rssKiB();
    MemorySamples memory = new MemorySamples(server, measureFrom);
    memory.take();
    long every = (long) (settings.memoryEverySeconds() * 1e9);
    for (long next = measureFrom + every; next < end; next += every) {
      sleepUntil(next);
      memory.take();
    }
    sleepUntil(end);
    double clientCpu = processCpuSeconds() - clientCpu0;
    double serverCpu = server.cpuSeconds() - serverCpu0;
    long rss1 = server.rssKiB();
    memory.take();
    return new Window(clientCpu, serverCpu, rss0, rss1, memory);
  }

  private LoadResult result(ServeMode mode, List<Client> clients, Window window) {
    int total = 0;
    long errors = 0;
    long wrong = 0;
    long rejected503 = 0;
    long other5xx = 0;
    long invalid = 0;
    for (Client c : clients) {
      total += c.count;
      errors += c.errors;
      wrong += c.wrong;
      rejected503 += c.rejected503;
      other5xx += c.other5xx;
      invalid += c.invalidSent;
    }
    LatencyStats stats = total == 0 ? null : LatencyStats.of(allLatencies(clients, total), total);
    List<ServerMemory> memory = window.memory().taken();
    return new LoadResult(
        mode,
        clients.size(),
        total,
        total / settings.seconds(),
        stats == null ? Double.NaN : stats.p50Ns() / 1e6,
        stats == null ? Double.NaN : stats.p99Ns() / 1e6,
        errors,
        wrong,
        rejected503,
        other5xx,
        invalid,
        window.rssStart(),
        window.rssEnd(),
        memory.isEmpty() ? null : memory.get(0).outsideJvmKiB(),
        memory.isEmpty() ? null : memory.get(memory.size() - 1).outsideJvmKiB(),
        memory,
        window.memory().missed(),
        window.clientCpuSeconds(),
        window.serverCpuSeconds());
  }

  private static long[] allLatencies(List<Client> clients, int total) {
    long[] all = new long[Math.max(1, total)];
    int at = 0;
    for (Client c : clients) {
      System.arraycopy(c.latencies, 0, all, at, c.count);
      at += c.count;
    }
    return all;
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    Thread.sleep(Math.max(0, (nanoTime - System.nanoTime()) / 1_000_000));
  }

  private static double processCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  /** One client thread and its own tallies, read by the loop once the thread has ended. */
  private final class Client implements Runnable {
    private final int id;
    private final ServeMode mode;
    private final long measureFrom;
    private final long end;
    private final Traffic traffic;
    private final LoopbackGrpc sharedChannel; // null: the client opens its own
    long[] latencies = new long[1 << 14];
    int count;
    long errors;
    long wrong;
    long rejected503;
    long other5xx;
    long invalidSent;

    Client(
        int id,
        ServeMode mode,
        Traffic traffic,
        long measureFrom,
        long end,
        LoopbackGrpc sharedChannel) {
      this.id = id;
      this.sharedChannel = sharedChannel;
      this.mode = mode;
      this.traffic = traffic;
      this.measureFrom = measureFrom;
      this.end = end;
    }

    @Override
    public void run() {
      if (mode == ServeMode.GRPC && sharedChannel != null) {
        grpcLoop(sharedChannel);
        return;
      }
      if (mode == ServeMode.GRPC) {
        try (LoopbackGrpc own = new LoopbackGrpc("127.0.0.1", server.grpcPort)) {
          grpcLoop(own);
        }
        return;
      }
      try (LoopbackHttp http = new LoopbackHttp("127.0.0.1", server.port)) {
        loop(
            traffic.bodies().length,
            (i, invalid) ->
                invalid
                    ? http.post(mode.path(), traffic.badHead(), traffic.badBody())
                    : http.post(mode.path(), traffic.heads()[i], traffic.bodies()[i]));
      }
    }

    private void grpcLoop(LoopbackGrpc grpc) {
      loop(
          traffic.calls().length,
          (i, invalid) -> grpc.infer(invalid ? traffic.badCall() : traffic.calls()[i]));
    }

    private void loop(int kinds, Sender sender) {
      int every = settings.invalidEvery();
      int k = id;
      long now;
      while ((now = System.nanoTime()) < end) {
        int n = k++;
        int i = n % kinds;
        boolean invalid = every > 0 && n % every == every - 1;
        LoopbackHttp.Answer a;
        try {
          a = sender.send(i, invalid);
        } catch (Exception e) {
          errors++;
          continue;
        }
        long after = System.nanoTime();
        if (now >= measureFrom && after <= end) {
          tally(a, invalid, i, after - now);
        }
      }
    }

    private void tally(LoopbackHttp.Answer a, boolean invalid, int image, long latencyNs) {
      int expectedStatus = invalid ? 400 : 200;
      if (invalid) {
        invalidSent++;
      }
      if (a.status() == 503) {
        rejected503++;
      } else if (a.status() >= 500) {
        other5xx++;
      }
      if (a.status() != expectedStatus && a.status() != 503) {
        errors++;
      } else if (!invalid
          && a.status() == 200
          && ServeRequests.predictedClass(mode, a) != expected[image]) {
        wrong++;
      }
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, 2 * count);
      }
      latencies[count++] = latencyNs;
    }
  }
}
