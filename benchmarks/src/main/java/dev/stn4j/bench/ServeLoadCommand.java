package dev.stn4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stn4j.sdk.PredictionResult;
import dev.stn4j.sdk.StnClassifier;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./stn bench serve}: a closed-loop load generator for {@code stn serve} on loopback. It
 * starts the service as a child JVM (batching on, then off), runs C client threads that each send
 * one request of one image and wait for its answer, and reports requests/s, p50/p99 latency and
 * both processes' CPU time; the SDK's in-process {@code predictEach} on lists of 64 images is
 * measured in the same run as the reference.
 *
 * <pre>{@code
 * ./stn bench serve --concurrency 1,8,64 --modes binary,json,classify --seconds 3 --json serve.json
 * }</pre>
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Load stn serve on loopback: closed-loop clients, one image per request, per mode x"
            + " batching x concurrency; requests/s, p50/p99, CPU time of client and server.")
final class ServeLoadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--concurrency", split = ",", description = "Client threads (default: 1,8,64).")
  List<Integer> concurrency = List.of(1, 8, 64);

  @Option(
      names = "--modes",
      split = ",",
      description = "binary (infer, binary tensors), json (infer), classify (PNG to /v1/classify).")
  List<String> modes = List.of("binary", "json", "classify");

  @Option(names = "--batching", split = ",", description = "on, off (default: both).")
  List<String> batching = List.of("on", "off");

  @Option(names = "--max-batch", description = "Server --max-batch with batching on (default: 64).")
  int maxBatch = 64;

  @Option(names = "--max-delay-us", description = "Server --max-delay-us with batching on (500).")
  long maxDelayMicros = 500;

  @Option(names = "--seconds", description = "Measured time per row (default: 3; at most 900).")
  double seconds = 3;

  @Option(names = "--warmup-seconds", description = "Unmeasured time before each row (default: 1).")
  double warmupSeconds = 1;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the rows as JSON.")
  Path json;

  @Option(
      names = "--invalid-every",
      paramLabel = "N",
      description =
          "Mixed load: every Nth request of a client is invalid (binary: a NaN pixel; json: a"
              + " wrong shape; classify: bytes that are no image) and must get 400 (default: 0, none).")
  int invalidEvery;

  @Option(
      names = "--memory-every",
      paramLabel = "SECONDS",
      description =
          "Sample the server's resident memory and its JVM heap/non-heap (from /metrics) this"
              + " often during each measured row, plus at its start and end (default: 10).")
  double memoryEverySeconds = 10;

  @Option(
      names = "--stalled",
      paramLabel = "N",
      description =
          "Hold N stalled uploads (headers and the first 100 bytes of an infer body, then"
              + " nothing) open on the server during the measurement, reopening those it cuts;"
              + " each row then runs without and with them, interleaved (default: 0).")
  int stalled;

  @Option(
      names = "--idle",
      paramLabel = "N",
      description =
          "Hold N idle keep-alive connections (one answered GET, then nothing) open during the"
              + " measurement, as --stalled does (default: 0).")
  int idle;

  @Option(
      names = "--rounds",
      description =
          "Run every row this many times; with --stalled or --idle each round measures without"
              + " and with the held connections, the order alternating by round (default: 1).")
  int rounds = 1;

  @Option(
      names = "--server-arg",
      paramLabel = "ARG",
      description = "One more argument for stn serve, e.g. --server-arg=--body-timeout-ms=5000.")
  List<String> serverArgs = new ArrayList<>();

  @Option(names = "--root", description = "Repository root holding data/sample-set (default: .).")
  Path root = ModelLocator.defaultRoot();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (seconds <= 0 || seconds > 900 || warmupSeconds < 0 || warmupSeconds > 60) {
      spec.commandLine()
          .getErr()
          .println("stn bench serve: --seconds must be in (0, 900], --warmup-seconds in [0, 60]");
      return 2;
    }
    if (stalled < 0 || idle < 0 || rounds < 1) {
      spec.commandLine()
          .getErr()
          .println(
              "stn bench serve: --stalled and --idle must be >= 0, --rounds >= 1; got "
                  + stalled
                  + ", "
                  + idle
                  + ", "
                  + rounds);
      return 2;
    }
    for (String m : modes) {
      if (!List.of("binary", "json", "classify").contains(m)) {
        spec.commandLine().getErr().println("stn bench serve: unknown mode '" + m + "'");
        return 2;
      }
    }
    Requests requests = Requests.build(SampleImages.load(root), 64);
    double reference = predictEachImagesPerSecond(requests, out);
    List<Map<String, Object>> rows = new ArrayList<>();
    out.printf(
        "%-9s %-8s %5s %10s %9s %9s %7s %6s %6s %11s %11s %s%n",
        "mode",
        "batching",
        "conc",
        "req/s",
        "p50 ms",
        "p99 ms",
        "errors",
        "wrong",
        "503",
        "client CPU",
        "server CPU",
        "server RSS MB");
    boolean holding = stalled > 0 || idle > 0;
    for (String b : batching) {
      boolean on = b.equals("on");
      try (ServerChild server =
          ServerChild.start(on ? maxBatch : 1, on ? maxDelayMicros : 0, serverArgs)) {
        for (String mode : modes) {
          for (int c : concurrency) {
            for (int round = 1; round <= rounds; round++) {
              // Without, then with the held connections; the other way round in even rounds, so
              // that a drift in the machine's load does not side with one of them.
              List<Boolean> order =
                  !holding
                      ? List.of(false)
                      : round % 2 == 1 ? List.of(false, true) : List.of(true, false);
              for (boolean held : order) {
                Map<String, Object> row = heldRow(server, requests, mode, c, held);
                row.put("round", round);
                row.put("batching", b);
                row.put("maxBatch", on ? maxBatch : 1);
                row.put("maxDelayMicros", on ? maxDelayMicros : 0);
                row.put("referencePredictEachImagesPerSecond", Math.round(reference));
                row.put(
                    "fractionOfReference",
                    Math.round(1000 * (double) row.get("requestsPerSecond") / reference) / 1000.0);
                rows.add(row);
                out.printf(
                    "%-9s %-8s %5d %10.0f %9.3f %9.3f %7d %6d %6d %10.2fs %10.2fs %6d->%-6d%n",
                    mode,
                    b,
                    c,
                    (double) row.get("requestsPerSecond"),
                    (double) row.get("p50Ms"),
                    (double) row.get("p99Ms"),
                    (long) row.get("errors"),
                    (long) row.get("wrongAnswers"),
                    (long) row.get("status503"),
                    (double) row.get("clientCpuSeconds"),
                    (double) row.get("serverCpuSeconds"),
                    (long) row.get("serverRssKiBStart") / 1024,
                    (long) row.get("serverRssKiBEnd") / 1024);
                printHeld(out, row);
                printMemory(out, (List<?>) row.get("serverMemory"));
                out.flush();
              }
            }
          }
        }
      }
    }
    out.printf(
        "reference: in-process predictEach, lists of 64 images, 2 callers x 1 intra-op thread:"
            + " %.0f images/s%n",
        reference);
    if (json != null) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("referencePredictEachImagesPerSecond", Math.round(reference));
      doc.put("processors", Runtime.getRuntime().availableProcessors());
      doc.put("seconds", seconds);
      doc.put("rounds", rounds);
      doc.put("stalled", stalled);
      doc.put("idle", idle);
      doc.put("serverArgs", serverArgs);
      doc.put("rows", rows);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
    }
    out.flush();
    return 0;
  }

  /**
   * One row, with the {@code --stalled} and {@code --idle} connections held open through it when
   * {@code held}: opened before the warm-up, and the measurement starts only once the server has
   * them all (its bodies pending, its connections open).
   */
  private Map<String, Object> heldRow(
      ServerChild server, Requests requests, String mode, int clients, boolean held)
      throws Exception {
    List<HeldConnections> holders = new ArrayList<>();
    try {
      // Those the server cuts before the last is open (a short body timeout) count as arrived.
      double cut0 = server.metrics().getOrDefault(CLOSED_SLOW, 0.0);
      if (held && stalled > 0) {
        byte[] body = requests.binary[0];
        holders.add(
            HeldConnections.open(
                HeldConnections.Kind.STALLED,
                stalled,
                server.port,
                requests.head("binary", server.port, body),
                body));
        server.await(
            "bodies pending + connections closed as too slow",
            m -> m.getOrDefault(PENDING, 0.0) + m.getOrDefault(CLOSED_SLOW, 0.0) - cut0,
            stalled);
      }
      if (held && idle > 0) {
        holders.add(HeldConnections.open(HeldConnections.Kind.IDLE, idle, server.port, null, null));
        server.await(
            "connections open", m -> m.getOrDefault("stn_http_connections_open", 0.0), idle);
      }
      Map<String, Object> row = runRow(server, requests, mode, clients);
      row.put("stalled", held ? stalled : 0);
      row.put("idle", held ? idle : 0);
      List<HeldConnections.Stats> stats = new ArrayList<>();
      for (HeldConnections h : holders) {
        stats.add(h.stats());
      }
      row.put("held", stats);
      return row;
    } finally {
      for (HeldConnections h : holders) {
        h.close();
      }
    }
  }

  private static final String PENDING = "stn_http_request_bodies_pending";
  private static final String CLOSED_SLOW = "stn_http_connections_closed_slow_total";

  private static void printHeld(PrintWriter out, Map<String, Object> row) {
    for (Object o : (List<?>) row.get("held")) {
      HeldConnections.Stats s = (HeldConnections.Stats) o;
      out.printf(
          "  held: %d %s (opened in %.1f s); closed by the server %d (408 first: %d), the longest"
              + " after %.1f s; reopen failures %d%n",
          s.count(),
          s.kind().name().toLowerCase(java.util.Locale.ROOT),
          s.openSeconds(),
          s.closedByServer(),
          s.answered408(),
          s.maxLifeSeconds(),
          s.reopenFailures());
    }
  }

  /** The server's own configuration: one classifier, 2 workers of 1 thread; same here. */
  private double predictEachImagesPerSecond(Requests requests, PrintWriter out) throws Exception {
    List<float[]> images = requests.images;
    try (StnClassifier classifier = StnClassifier.builder().intraOpThreads(1).build()) {
      // The answers every valid request must get.
      requests.expected =
          classifier.predictAll(images).stream().mapToInt(p -> p.classIndex()).toArray();
      int callers = 2;
      AtomicLong done = new AtomicLong();
      long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
      long end = warmupEnd + (long) (seconds * 1e9);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < callers; t++) {
        Thread thread =
            new Thread(
                () -> {
                  while (System.nanoTime() < end) {
                    List<PredictionResult> r = classifier.predictEach(images);
                    if (System.nanoTime() > warmupEnd && System.nanoTime() < end) {
                      done.addAndGet(r.size());
                    }
                  }
                });
        threads.add(thread);
        thread.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      return done.get() / seconds;
    }
  }

  private Map<String, Object> runRow(
      ServerChild server, Requests requests, String mode, int clients) throws Exception {
    byte[][] bodies = requests.bodies(mode);
    byte[][] heads = new byte[bodies.length][];
    for (int i = 0; i < bodies.length; i++) {
      heads[i] = requests.head(mode, server.port, bodies[i]);
    }
    String path = mode.equals("classify") ? "/v1/classify" : "/v2/models/stn/infer";
    long start = System.nanoTime();
    long measureFrom = start + (long) (warmupSeconds * 1e9);
    long end = measureFrom + (long) (seconds * 1e9);
    long[][] latencies = new long[clients][];
    int[] counts = new int[clients];
    long[] errors = new long[clients];
    long[] wrong = new long[clients];
    long[] rejected503 = new long[clients];
    long[] other5xx = new long[clients];
    long[] invalidSent = new long[clients];
    byte[][] badBodies = requests.invalid(mode);
    byte[] badHead = requests.head(mode, server.port, badBodies[0]);
    List<Thread> threads = new ArrayList<>();
    double clientCpu0;
    double serverCpu0;
    long rss0;
    for (int t = 0; t < clients; t++) {
      int id = t;
      latencies[t] = new long[1 << 14];
      Thread thread =
          new Thread(
              () -> {
                try (LoopbackHttp http = new LoopbackHttp("127.0.0.1", server.port)) {
                  int k = id;
                  long now;
                  while ((now = System.nanoTime()) < end) {
                    int n = k++;
                    int i = n % bodies.length;
                    boolean invalid = invalidEvery > 0 && n % invalidEvery == invalidEvery - 1;
                    LoopbackHttp.Answer a;
                    try {
                      a =
                          invalid
                              ? http.post(path, badHead, badBodies[0])
                              : http.post(path, heads[i], bodies[i]);
                    } catch (Exception e) {
                      errors[id]++;
                      continue;
                    }
                    long after = System.nanoTime();
                    if (now >= measureFrom && after <= end) {
                      int expectedStatus = invalid ? 400 : 200;
                      if (invalid) {
                        invalidSent[id]++;
                      }
                      if (a.status() == 503) {
                        rejected503[id]++;
                      } else if (a.status() >= 500) {
                        other5xx[id]++;
                      }
                      if (a.status() != expectedStatus && a.status() != 503) {
                        errors[id]++;
                      } else if (!invalid
                          && a.status() == 200
                          && requests.predictedClass(mode, a) != requests.expected[i]) {
                        wrong[id]++;
                      }
                      if (counts[id] == latencies[id].length) {
                        latencies[id] = java.util.Arrays.copyOf(latencies[id], 2 * counts[id]);
                      }
                      latencies[id][counts[id]++] = after - now;
                    }
                  }
                }
              },
              "load-" + t);
      threads.add(thread);
      thread.start();
    }
    // CPU time is taken over the measured window only.
    Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
    clientCpu0 = processCpuSeconds();
    serverCpu0 = server.cpuSeconds();
    rss0 = server.rssKiB();
    MemorySamples memory = new MemorySamples(server, measureFrom);
    memory.take();
    long every = (long) (memoryEverySeconds * 1e9);
    for (long next = measureFrom + every; next < end; next += every) {
      Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
      memory.take();
    }
    Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
    double clientCpu = processCpuSeconds() - clientCpu0;
    double serverCpu = server.cpuSeconds() - serverCpu0;
    long rss1 = server.rssKiB();
    memory.take();
    for (Thread t : threads) {
      t.join();
    }
    int total = 0;
    long errorCount = 0;
    long wrongCount = 0;
    long count503 = 0;
    long count5xx = 0;
    long invalidCount = 0;
    for (int t = 0; t < clients; t++) {
      total += counts[t];
      errorCount += errors[t];
      wrongCount += wrong[t];
      count503 += rejected503[t];
      count5xx += other5xx[t];
      invalidCount += invalidSent[t];
    }
    long[] all = new long[Math.max(1, total)];
    int at = 0;
    for (int t = 0; t < clients; t++) {
      System.arraycopy(latencies[t], 0, all, at, counts[t]);
      at += counts[t];
    }
    LatencyStats stats = total == 0 ? null : LatencyStats.of(all, total);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("mode", mode);
    row.put("concurrency", clients);
    row.put("requests", (long) total);
    row.put("requestsPerSecond", total / seconds);
    row.put("p50Ms", stats == null ? Double.NaN : stats.p50Ns() / 1e6);
    row.put("p99Ms", stats == null ? Double.NaN : stats.p99Ns() / 1e6);
    row.put("errors", errorCount);
    row.put("wrongAnswers", wrongCount);
    row.put("status503", count503);
    row.put("other5xx", count5xx);
    row.put("invalidRequests", invalidCount);
    row.put("serverRssKiBStart", rss0);
    row.put("serverRssKiBEnd", rss1);
    if (!memory.taken.isEmpty()) {
      row.put("serverOutsideJvmKiBStart", memory.taken.get(0).outsideJvmKiB());
      row.put("serverOutsideJvmKiBEnd", memory.taken.get(memory.taken.size() - 1).outsideJvmKiB());
    }
    row.put("serverMemory", memory.taken);
    row.put("serverMemorySamplesMissed", memory.missed);
    row.put("clientCpuSeconds", clientCpu);
    row.put("serverCpuSeconds", serverCpu);
    return row;
  }

  /**
   * A row's memory readings. A reading the server does not answer within its timeout (a loaded
   * machine) is counted as missed, not fatal: the load and its latencies are the row's result.
   */
  private static final class MemorySamples {
    final List<ServerMemory> taken = new ArrayList<>();
    int missed;
    private final ServerChild server;
    private final long measureFrom;

    MemorySamples(ServerChild server, long measureFrom) {
      this.server = server;
      this.measureFrom = measureFrom;
    }

    void take() throws InterruptedException {
      try {
        taken.add(server.memory(Math.max(0, System.nanoTime() - measureFrom) / 1e9));
      } catch (java.io.IOException | IllegalArgumentException e) {
        missed++;
      }
    }
  }

  /** The row's memory samples on one line each: where resident memory went, heap or native. */
  private static void printMemory(PrintWriter out, List<?> samples) {
    if (samples.size() < 3) {
      return;
    }
    out.println("  memory (MB):   s      RSS  heap committed  heap used  non-heap  outside JVM");
    for (Object o : samples) {
      ServerMemory m = (ServerMemory) o;
      out.printf(
          "             %6.1f %8d %15d %10d %9d %12d%n",
          m.seconds(),
          m.rssKiB() / 1024,
          m.heapCommittedKiB() / 1024,
          m.heapUsedKiB() / 1024,
          m.nonHeapCommittedKiB() / 1024,
          m.outsideJvmKiB() / 1024);
    }
  }

  private static double processCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  /** The request bodies per mode, one per sample image. */
  private static final class Requests {
    final List<float[]> images;
    final byte[][] binary;
    final byte[][] json;
    final byte[][] png;
    final int[] binaryJsonLength;
    int[] expected;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
        new com.fasterxml.jackson.databind.ObjectMapper();

    private Requests(
        List<float[]> images,
        byte[][] binary,
        int[] binaryJsonLength,
        byte[][] json,
        byte[][] png) {
      this.images = images;
      this.binary = binary;
      this.binaryJsonLength = binaryJsonLength;
      this.json = json;
      this.png = png;
    }

    static Requests build(SampleImages samples, int count) throws Exception {
      List<float[]> images = new ArrayList<>();
      byte[][] binary = new byte[count][];
      int[] lengths = new int[count];
      byte[][] json = new byte[count][];
      byte[][] png = new byte[count][];
      for (int i = 0; i < count; i++) {
        float[] chw = samples.image(i);
        images.add(chw);
        byte[] header =
            ("{\"inputs\":[{\"name\":\"image\",\"datatype\":\"FP32\",\"shape\":[1,3,32,32],"
                    + "\"parameters\":{\"binary_data_size\":12288}}],"
                    + "\"parameters\":{\"binary_data_output\":true}}")
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(header.length + 12288).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header);
        for (float v : chw) {
          b.putFloat(v);
        }
        binary[i] = b.array();
        lengths[i] = header.length;
        StringBuilder s =
            new StringBuilder(
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"FP32\",\"shape\":[1,3,32,32],\"data\":[");
        for (int k = 0; k < chw.length; k++) {
          s.append(k == 0 ? "" : ",").append(chw[k]);
        }
        s.append("]}]}");
        json[i] = s.toString().getBytes(StandardCharsets.UTF_8);
        BufferedImage rgb = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            int p = y * 32 + x;
            int r = Math.round(chw[p] * 255);
            int g = Math.round(chw[1024 + p] * 255);
            int bl = Math.round(chw[2048 + p] * 255);
            rgb.setRGB(x, y, (r << 16) | (g << 8) | bl);
          }
        }
        ByteArrayOutputStream pngOut = new ByteArrayOutputStream();
        ImageIO.write(rgb, "png", pngOut);
        png[i] = pngOut.toByteArray();
      }
      return new Requests(images, binary, lengths, json, png);
    }

    /** One invalid request per mode, which the server must answer 400. */
    byte[][] invalid(String mode) {
      return switch (mode) {
        case "binary" -> {
          byte[] bad = binary[0].clone();
          ByteBuffer.wrap(bad, binaryJsonLength[0] + 400, 4)
              .order(ByteOrder.LITTLE_ENDIAN)
              .putFloat(Float.NaN);
          yield new byte[][] {bad};
        }
        case "json" ->
            new byte[][] {
              new String(json[0], StandardCharsets.UTF_8)
                  .replace("[1,3,32,32]", "[1,3,32,31]")
                  .getBytes(StandardCharsets.UTF_8)
            };
        default -> new byte[][] {"this is not an image".getBytes(StandardCharsets.UTF_8)};
      };
    }

    /** The class an answer names: arg-max of its probabilities, or the classify answer's index. */
    int predictedClass(String mode, LoopbackHttp.Answer a) {
      try {
        switch (mode) {
          case "binary" -> {
            int headerLength = Integer.parseInt(a.headerLength());
            com.fasterxml.jackson.databind.JsonNode header =
                JSON.readTree(new String(a.body(), 0, headerLength, StandardCharsets.UTF_8));
            // probabilities is the first output (the default order)
            int size =
                header.get("outputs").get(0).get("parameters").get("binary_data_size").asInt();
            java.nio.FloatBuffer p =
                ByteBuffer.wrap(a.body(), headerLength, size)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            int best = 0;
            for (int c = 1; c < p.limit(); c++) {
              if (p.get(c) > p.get(best)) {
                best = c;
              }
            }
            return best;
          }
          case "json" -> {
            com.fasterxml.jackson.databind.JsonNode data =
                JSON.readTree(a.body()).get("outputs").get(0).get("data");
            int best = 0;
            for (int c = 1; c < data.size(); c++) {
              if (data.get(c).floatValue() > data.get(best).floatValue()) {
                best = c;
              }
            }
            return best;
          }
          default -> {
            return JSON.readTree(a.body()).get("classIndex").asInt();
          }
        }
      } catch (Exception e) {
        return -1;
      }
    }

    byte[][] bodies(String mode) {
      return switch (mode) {
        case "binary" -> binary;
        case "json" -> json;
        default -> png;
      };
    }

    byte[] head(String mode, int port, byte[] body) {
      return switch (mode) {
        case "binary" ->
            LoopbackHttp.head(
                "127.0.0.1",
                port,
                "/v2/models/stn/infer",
                "application/octet-stream",
                body.length,
                "Inference-Header-Content-Length: " + binaryJsonLength[0]);
        case "json" ->
            LoopbackHttp.head(
                "127.0.0.1", port, "/v2/models/stn/infer", "application/json", body.length, null);
        default ->
            LoopbackHttp.head("127.0.0.1", port, "/v1/classify", "image/png", body.length, null);
      };
    }
  }

  /** {@code stn serve} in a child JVM on this jar's classpath, stopped by SIGTERM. */
  private static final class ServerChild implements AutoCloseable {
    private final HttpClient metricsClient = HttpClient.newHttpClient();
    final Process process;
    final int port;

    private ServerChild(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static ServerChild start(int maxBatch, long maxDelayMicros, List<String> extraArgs)
        throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command =
          new ArrayList<>(
              List.of(
                  java,
                  "-Xms256m",
                  "-Xmx1g",
                  // Committed heap is then resident, so RSS minus the JVM's committed memory is
                  // what native code holds (ServerMemory#outsideJvmKiB).
                  "-XX:+AlwaysPreTouch",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "dev.stn4j.serve.ServeMain",
                  "serve",
                  "--port",
                  "0",
                  "--max-batch",
                  Integer.toString(maxBatch),
                  "--max-delay-us",
                  Long.toString(maxDelayMicros)));
      command.addAll(extraArgs);
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      Pattern listening = Pattern.compile("listening on http://[^:]+:(\\d+)");
      List<String> seen = new ArrayList<>();
      for (String line; (line = lines.readLine()) != null; ) {
        seen.add(line);
        Matcher m = listening.matcher(line);
        if (m.find()) {
          // Keep draining its output, or a full pipe would stall it.
          Thread drain =
              new Thread(
                  () -> {
                    try {
                      while (lines.readLine() != null) {
                        // discard
                      }
                    } catch (java.io.IOException ignored) {
                      // the child ended
                    }
                  },
                  "serve-output");
          drain.setDaemon(true);
          drain.start();
          return new ServerChild(p, Integer.parseInt(m.group(1)));
        }
      }
      p.destroyForcibly();
      throw new IllegalStateException("stn serve did not start: " + String.join("\n", seen));
    }

    /** Resident memory of the server process from /proc, in KiB; -1 where there is no /proc. */
    long rssKiB() {
      try {
        for (String line :
            java.nio.file.Files.readAllLines(
                Path.of("/proc", Long.toString(process.pid()), "status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (java.io.IOException | NumberFormatException e) {
        return -1;
      }
      return -1;
    }

    /** Resident memory and the JVM's own accounting, {@code seconds} into the measured row. */
    ServerMemory memory(double seconds) throws java.io.IOException, InterruptedException {
      HttpResponse<String> metrics =
          metricsClient.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return ServerMemory.of(seconds, rssKiB(), metrics.body());
    }

    /** The server's metrics without labels, by name; empty when it does not answer in time. */
    Map<String, Double> metrics() throws InterruptedException {
      Map<String, Double> values = new LinkedHashMap<>();
      try {
        String text =
            metricsClient
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        for (String line : text.split("\n")) {
          int space = line.indexOf(' ');
          if (!line.startsWith("#") && space > 0 && line.indexOf('{') < 0) {
            values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
          }
        }
      } catch (java.io.IOException | NumberFormatException e) {
        // a busy server: the caller asks again
      }
      return values;
    }

    /**
     * Waits (up to two minutes) until {@code value} of the server's metrics reaches {@code min}.
     */
    void await(
        String what, java.util.function.ToDoubleFunction<Map<String, Double>> value, double min)
        throws InterruptedException {
      long end = System.nanoTime() + 120_000_000_000L;
      double last = Double.NaN;
      while (System.nanoTime() < end) {
        Map<String, Double> m = metrics();
        if (!m.isEmpty()) {
          last = value.applyAsDouble(m);
          if (last >= min) {
            return;
          }
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException(
          "the server's "
              + what
              + " did not reach "
              + min
              + " within 2 minutes (last: "
              + last
              + ")");
    }

    double cpuSeconds() {
      return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
    }

    @Override
    public void close() throws Exception {
      new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
