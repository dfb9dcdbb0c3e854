package dev.stn4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code stn serve} in a child JVM on this jar's classpath, stopped by SIGTERM. */
final class ServerChild implements AutoCloseable {
  private final HttpClient metricsClient = HttpClient.newHttpClient();
  private final Process process;
  final int port;

  /** The gRPC port; -1 when the server serves no gRPC (--server-arg=--no-grpc). */
  final int grpcPort;

  private ServerChild(Process process, int port, int grpcPort) {
    this.process = process;
    this.port = port;
    this.grpcPort = grpcPort;
  }

  private static final Pattern GRPC_LISTENING = Pattern.compile("gRPC listening on [^ ]+:(\\d+)");

  /** Starts the server and returns once it listens; {@code extraArgs} come last, so they win. */
  static ServerChild start(ServerSettings settings, List<String> extraArgs) throws IOException {
    Process p = new ProcessBuilder(command(settings, extraArgs)).redirectErrorStream(true).start();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Pattern listening = Pattern.compile("listening on http://[^:]+:(\\d+)");
    List<String> seen = new ArrayList<>();
    for (String line; (line = lines.readLine()) != null; ) {
      seen.add(line);
      Matcher m = listening.matcher(line);
      if (m.find()) {
        // The gRPC line, when it serves gRPC, is printed with the REST one, right after it.
        String next = lines.readLine();
        Matcher g = GRPC_LISTENING.matcher(next == null ? "" : next);
        drainInBackground(lines);
        return new ServerChild(
            p, Integer.parseInt(m.group(1)), g.find() ? Integer.parseInt(g.group(1)) : -1);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("stn serve did not start: " + String.join("\n", seen));
  }

  static List<String> command(ServerSettings settings, List<String> extraArgs) {
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
                // Both protocols in every run, so REST and gRPC rows load the same server.
                "--grpc-port",
                "0",
                "--max-batch",
                Integer.toString(settings.maxBatch()),
                "--max-delay-us",
                Long.toString(settings.maxDelayMicros())));
    // The bench's own -Dstn4j.* options (e.g. -Dstn4j.jpeg.native=false through STN_JAVA_OPTS)
    // reach the server, so that both run the same SDK paths.
    int at = command.indexOf("-cp");
    for (String name : new TreeSet<>(System.getProperties().stringPropertyNames())) {
      if (name.startsWith("stn4j.")) {
        command.add(at++, "-D" + name + "=" + System.getProperty(name));
      }
    }
    command.addAll(extraArgs);
    return command;
  }

  /** Keeps reading the child's output, or a full pipe would stall it. */
  private static void drainInBackground(BufferedReader lines) {
    Thread drain =
        new Thread(
            () -> {
              try {
                while (lines.readLine() != null) {
                  // discard
                }
              } catch (IOException ignored) {
                // the child ended
              }
            },
            "serve-output");
    drain.setDaemon(true);
    drain.start();
  }

  /** Resident memory of the server process from /proc, in KiB; -1 where there is no /proc. */
  long rssKiB() {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** Resident memory and the JVM's own accounting, {@code seconds} into the measured row. */
  ServerMemory memory(double seconds) throws IOException, InterruptedException {
    return ServerMemory.of(seconds, rssKiB(), scrape());
  }

  private String scrape() throws IOException, InterruptedException {
    return metricsClient
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The server's metrics without labels, by name; empty when it does not answer in time. */
  Map<String, Double> metrics() throws InterruptedException {
    Map<String, Double> values = new LinkedHashMap<>();
    try {
      for (String line : scrape().split("\n")) {
        int space = line.indexOf(' ');
        if (!line.startsWith("#") && space > 0 && line.indexOf('{') < 0) {
          values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // a busy server: the caller asks again
    }
    return values;
  }

  /** Waits (up to two minutes) until {@code value} of the server's metrics reaches {@code min}. */
  void await(String what, ToDoubleFunction<Map<String, Double>> value, double min)
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
