package dev.stn4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
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
 * <p>The parts: {@link ServerChild} runs the service, {@link LoadLoop} the clients of one row,
 * {@link HeldDuringRow} the connections held open through it, {@link PredictEachReference} the
 * reference, {@link ServeLoadTable} the text; the rows are {@link ServeLoadRow} records, written as
 * a {@link ServeLoadReport}.
 *
 * <pre>{@code
 * ./stn bench serve --concurrency 1,8,64 --modes binary,json,classify --seconds 3 --json serve.json
 * ./stn bench serve --modes classify --classify-image photo.jpg --concurrency 8 --batching on
 * ./stn bench serve --protocol rest,grpc --modes binary --batching on --rounds 3  # gRPC vs REST
 * }</pre>
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Load stn serve on loopback: closed-loop clients, one image per request, per mode (REST)"
            + " or gRPC x batching x concurrency; requests/s, p50/p99, CPU time of client and"
            + " server.")
final class ServeLoadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--concurrency", split = ",", description = "Client threads (default: 1,8,64).")
  List<Integer> concurrency = List.of(1, 8, 64);

  @Option(
      names = "--modes",
      split = ",",
      description = "binary (infer, binary tensors), json (infer), classify (PNG to /v1/classify).")
  List<String> modes = List.of("binary", "json", "classify");

  @Option(
      names = "--protocol",
      split = ",",
      description =
          "rest (the --modes), grpc (KServe v2 ModelInfer, raw tensors, one channel per client),"
              + " or rest,grpc: both on the same server, interleaved within each round"
              + " (default: rest).")
  List<String> protocols = List.of("rest");

  @Option(
      names = "--grpc-shared-channel",
      description =
          "gRPC clients share one channel (one HTTP/2 connection, calls multiplexed) instead of one"
              + " channel each, as each REST client has its own connection (default: one each).")
  boolean grpcSharedChannel;

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

  @Option(
      names = "--classify-image",
      paramLabel = "FILE",
      description =
          "Post this image file's bytes (e.g. a 12 MP JPEG) as every classify request instead of"
              + " the sample images' 32x32 PNGs; with --modes classify only. Every answer must"
              + " name the class the SDK gives the file in process (the default model).")
  Path classifyImage;

  @Option(names = "--root", description = "Repository root holding data/sample-set (default: .).")
  Path root = ModelLocator.defaultRoot();

  @Override
  public Integer call() throws Exception {
    Optional<String> invalid = invalidOptions();
    if (invalid.isPresent()) {
      spec.commandLine().getErr().println("stn bench serve: " + invalid.get());
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    ServeRequests requests = ServeRequests.build(SampleImages.load(root), 64);
    PredictEachReference reference =
        PredictEachReference.measure(requests.images, warmupSeconds, seconds);
    int[] expected = reference.expectedClasses();
    if (classifyImage != null) {
      ClassifyBody body = ClassifyBody.read(classifyImage);
      out.printf(
          "classify body: %s (%,d bytes, %s), expected class %d%n",
          classifyImage, body.bytes().length, body.contentType(), body.expectedClass());
      requests = requests.withClassifyBody(body.bytes(), body.contentType());
      expected = new int[] {body.expectedClass()};
    }
    ServeLoadTable table = new ServeLoadTable(out);
    table.header();
    List<ServeLoadRow> rows = new ArrayList<>();
    for (String b : batching) {
      ServerSettings settings = ServerSettings.of(b, maxBatch, maxDelayMicros);
      rows.addAll(rowsOn(settings, requests, reference, expected, table));
    }
    table.reference(reference.imagesPerSecond());
    if (json != null) {
      writeJson(Math.round(reference.imagesPerSecond()), rows);
    }
    out.flush();
    return 0;
  }

  /** Every mode, concurrency and round on one server child, each printed as it ends. */
  private List<ServeLoadRow> rowsOn(
      ServerSettings settings,
      ServeRequests requests,
      PredictEachReference reference,
      int[] expected,
      ServeLoadTable table)
      throws Exception {
    List<ServeLoadRow> rows = new ArrayList<>();
    try (ServerChild server = ServerChild.start(settings, serverArgs)) {
      LoadLoop loop =
          new LoadLoop(
              server,
              requests,
              expected,
              new LoadLoop.Settings(
                  warmupSeconds, seconds, invalidEvery, memoryEverySeconds, grpcSharedChannel));
      // Every mode inside a round, so that a drift in the machine's load sides with none of them.
      for (int c : concurrency) {
        for (int round = 1; round <= rounds; round++) {
          for (ServeMode mode : modesToRun(round)) {
            for (boolean held : heldOrder(round)) {
              HeldDuringRow.Outcome outcome;
              LoadResult load;
              try (HeldDuringRow holds =
                  held
                      ? HeldDuringRow.open(server, requests, stalled, idle)
                      : HeldDuringRow.none()) {
                load = loop.run(mode, c);
                outcome = holds.outcome();
              }
              ServeLoadRow row =
                  ServeLoadRow.of(load, outcome, round, settings, reference.imagesPerSecond());
              rows.add(row);
              table.row(row);
            }
          }
        }
      }
    }
    return rows;
  }

  /** The REST modes asked for, then gRPC's when asked for; the other way round in even rounds. */
  private List<ServeMode> modesToRun(int round) {
    List<ServeMode> run = new ArrayList<>();
    if (protocols.contains("rest")) {
      modes.forEach(m -> run.add(ServeMode.parse(m).orElseThrow()));
    }
    if (protocols.contains("grpc") && !run.contains(ServeMode.GRPC)) {
      run.add(ServeMode.GRPC);
    }
    if (round % 2 == 0) {
      Collections.reverse(run);
    }
    return run;
  }

  /** What is wrong with the options, as the message ends; empty when nothing is. */
  private Optional<String> invalidOptions() {
    if (seconds <= 0 || seconds > 900 || warmupSeconds < 0 || warmupSeconds > 60) {
      return Optional.of("--seconds must be in (0, 900], --warmup-seconds in [0, 60]");
    }
    if (stalled < 0 || idle < 0 || rounds < 1) {
      return Optional.of(
          "--stalled and --idle must be >= 0, --rounds >= 1; got "
              + stalled
              + ", "
              + idle
              + ", "
              + rounds);
    }
    for (String p : protocols) {
      if (!p.equals("rest") && !p.equals("grpc")) {
        return Optional.of("unknown protocol '" + p + "'; rest or grpc");
      }
    }
    for (String m : modes) {
      if (ServeMode.parse(m).isEmpty()) {
        return Optional.of("unknown mode '" + m + "'");
      }
    }
    if (classifyImage != null) {
      if (!modes.equals(List.of("classify"))) {
        return Optional.of("--classify-image needs --modes classify, got --modes " + modes);
      }
      if (!Files.isRegularFile(classifyImage)) {
        return Optional.of("--classify-image " + classifyImage + ": not a readable file");
      }
    }
    return Optional.empty();
  }

  /**
   * Without, then with the held connections; the other way round in even rounds, so that a drift in
   * the machine's load does not side with one of them.
   */
  private List<Boolean> heldOrder(int round) {
    if (stalled == 0 && idle == 0) {
      return List.of(false);
    }
    return round % 2 == 1 ? List.of(false, true) : List.of(true, false);
  }

  private void writeJson(long reference, List<ServeLoadRow> rows) throws IOException {
    ServeLoadReport report =
        new ServeLoadReport(
            reference,
            Runtime.getRuntime().availableProcessors(),
            seconds,
            rounds,
            stalled,
            idle,
            grpcSharedChannel,
            serverArgs,
            classifyImage == null ? null : classifyImage.toString(),
            rows);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
  }
}
