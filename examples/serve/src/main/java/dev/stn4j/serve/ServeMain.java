package dev.stn4j.serve;

import dev.stn4j.commandline.ModelOption;
import dev.stn4j.commandline.ProviderOption;
import dev.stn4j.commandline.StnCommandLine;
import dev.stn4j.sdk.ModelInfo;
import dev.stn4j.sdk.StnException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code stn serve}: runs the {@link InferenceServer} until SIGTERM or SIGINT, then stops accepting
 * connections, answers what is in flight and exits 0.
 *
 * <pre>{@code
 * ./stn serve --port 8080 --grpc-port 8081 --max-batch 64 --max-delay-us 500
 * ./stn serve --model runs/digits/model.onnx   # your own model: its classes and image size
 * }</pre>
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "An inference service for the STN classifier: KServe Open Inference Protocol v2 for model"
          + " 'stn' over REST (JSON and binary tensors) and gRPC (inference.GRPCInferenceService,"
          + " grpc.health.v1), POST /v1/classify for image files, /metrics"
          + " (Prometheus) and a web page at /. It follows the model's image size and classes"
          + " (--model: any stn4j model).",
      "Exit codes: 0 stopped by SIGTERM/SIGINT, 1 model or address unusable, 2 bad options."
    })
public final class ServeMain implements Callable<Integer> {
  @Option(names = "--host", description = "address to listen on (default: ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(
      names = "--port",
      description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE})")
  int port = 8080;

  @Option(
      names = "--grpc-port",
      description =
          "gRPC port (KServe v2 inference.GRPCInferenceService and grpc.health.v1); 0 picks a"
              + " free one (default: ${DEFAULT-VALUE})")
  int grpcPort = ServeOptions.DEFAULT_GRPC_PORT;

  @Option(names = "--no-grpc", description = "serve REST only, no gRPC port")
  boolean noGrpc;

  @Option(
      names = "--grpc-max-streams",
      paramLabel = "N",
      description =
          "most gRPC calls at once on one connection; more wait for one to end"
              + " (default: ${DEFAULT-VALUE})")
  int grpcMaxStreams = ServeOptions.DEFAULT_GRPC_MAX_STREAMS;

  @Option(
      names = "--grpc-max-connections",
      paramLabel = "N",
      description =
          "most gRPC connections open at once, counted apart from REST's; one more is closed"
              + " when accepted (its calls fail UNAVAILABLE) (default: the --max-connections"
              + " value, lowered where the file limit has no room for both)")
  Integer grpcMaxConnections;

  @Mixin ModelOption model = new ModelOption();

  @Mixin ProviderOption provider = new ProviderOption();

  @Option(
      names = "--max-batch",
      description =
          "most images per ONNX Runtime run; 1 turns batching off (default: ${DEFAULT-VALUE})")
  int maxBatch = ServeOptions.DEFAULT_MAX_BATCH;

  @Option(
      names = "--max-delay-us",
      description =
          "how long the oldest queued request waits for others to join its batch, microseconds"
              + " (default: ${DEFAULT-VALUE})")
  long maxDelayMicros = ServeOptions.DEFAULT_MAX_DELAY_MICROS;

  @Option(
      names = "--max-queue",
      paramLabel = "N",
      description =
          "queue length in images; a request that does not fit gets 503 + Retry-After (gRPC:"
              + " UNAVAILABLE)"
              + " (default: ${DEFAULT-VALUE}, 12 MiB of pixels at 32x32)")
  int maxQueue = ServeOptions.DEFAULT_MAX_QUEUE_IMAGES;

  @Option(
      names = "--max-body-bytes",
      description =
          "body limit, and gRPC's message limit; larger requests get 413 (gRPC:"
              + " RESOURCE_EXHAUSTED) (default: ${DEFAULT-VALUE} = 8 MiB)")
  long maxBodyBytes = ServeOptions.DEFAULT_MAX_BODY_BYTES;

  @Option(
      names = "--request-timeout-ms",
      description =
          "a request not answered within this gets 503 (gRPC: DEADLINE_EXCEEDED, or sooner"
              + " by the call's own deadline); a connection's idle timeout is 30 s,"
              + " or twice this when longer (default: ${DEFAULT-VALUE})")
  long requestTimeoutMs = ServeOptions.DEFAULT_REQUEST_TIMEOUT.toMillis();

  @Option(
      names = "--body-timeout-ms",
      description =
          "a request body not arrived whole this long after its headers, or a new"
              + " connection's first request headers not arrived this long after it opened, get"
              + " 408 and the connection is closed: a stalled or trickling client holds no thread"
              + " and only this long; a new gRPC connection must finish its HTTP/2 handshake"
              + " within it too, and a gRPC call send its request message whole within it of its"
              + " headers (else DEADLINE_EXCEEDED) (default: ${DEFAULT-VALUE})")
  long bodyTimeoutMs = ServeOptions.DEFAULT_BODY_TIMEOUT.toMillis();

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description =
          "most connections open at once; one more is answered 503 and closed when accepted,"
              + " never left in the kernel's backlog; must be below the file limit (ulimit -n)"
              + " (default: ${DEFAULT-VALUE}: "
              + ServeOptions.DEFAULT_MAX_CONNECTIONS
              + ", or 3/4 of the file limit when that is lower)")
  int maxConnections = FileLimit.defaultMaxConnections(FileLimit.current());

  @Option(
      names = "--workers",
      description = "batches run at the same time (default: the processors, ${DEFAULT-VALUE})")
  int workers = Math.max(1, Runtime.getRuntime().availableProcessors());

  @Option(
      names = "--intra-op-threads",
      description = "ONNX Runtime threads inside one run (default: ${DEFAULT-VALUE})")
  int intraOpThreads = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs {@code stn serve} and exits with its code. */
  public static void main(String[] args) {
    // Jetty's start/stop notices are not the service's output; its warnings still show.
    if (System.getProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
    }
    StnCommandLine.exit(commandLine(), args);
  }

  /** {@code stn serve ...}: the launcher passes the command name first, as for the other jars. */
  static CommandLine commandLine() {
    return StnCommandLine.root(new ServeMain());
  }

  @Override
  public Integer call() throws StnException, IOException {
    PrintWriter out = spec.commandLine().getOut();
    ServeOptions options = options();
    OptionalLong fileLimit = FileLimit.current();
    CountDownLatch stop = new CountDownLatch(1);
    // Handled here rather than by a shutdown hook: a JVM ended by a signal exits 143, and a
    // supervisor (systemd, Kubernetes) should see a clean stop as 0. Installed before the model
    // loads, so that a signal during start-up also ends in a clean stop.
    SignalStop.onTermination(stop::countDown);
    InferenceServer server = InferenceServer.start(options);
    ModelInfo info = server.classifier().modelInfo();
    out.printf(
        "stn serve: listening on %s (model stn = %s: %d classes, %dx%d; max batch %d, max delay"
            + " %d us, queue %d images, %s; max connections %d, %s; body timeout %d ms)%n",
        server.uri(),
        server.modelName(),
        info.classNames().size(),
        info.imageSize(),
        info.imageSize(),
        options.maxBatch(),
        options.maxDelayMicros(),
        options.maxQueueImages(),
        server.classifier().providerSelection().active(),
        options.maxConnections(),
        describe(fileLimit),
        options.bodyTimeout().toMillis());
    server
        .grpcPort()
        .ifPresent(
            p ->
                out.printf(
                    "stn serve: gRPC listening on %s:%d (inference.GRPCInferenceService,"
                        + " grpc.health.v1; max message %d bytes, %d calls per connection, max"
                        + " connections %d)%n",
                    options.host(),
                    p,
                    options.maxBodyBytes(),
                    options.grpcMaxStreams(),
                    options.grpcMaxConnections()));
    out.flush();
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.println("stn serve: stopping: no new connections; answering the requests in flight");
    out.flush();
    server.close();
    out.println("stn serve: stopped");
    out.flush();
    return 0;
  }

  /** The options given, checked: a bad value is a usage error naming it. */
  ServeOptions options() {
    ServeOptions options;
    try {
      ServeOptions.Builder builder =
          ServeOptions.builder()
              .host(host)
              .port(port)
              .model(model.model().orElse(null))
              .provider(provider.provider())
              .maxBatch(maxBatch)
              .maxDelayMicros(maxDelayMicros)
              .maxQueueImages(maxQueue)
              .maxBodyBytes(maxBodyBytes)
              .requestTimeout(Duration.ofMillis(requestTimeoutMs))
              .bodyTimeout(Duration.ofMillis(bodyTimeoutMs))
              .maxConnections(maxConnections)
              .workers(workers)
              .intraOpThreads(intraOpThreads)
              .grpcPort(grpcPort) // turns gRPC on; --no-grpc turns it off after
              .grpc(!noGrpc)
              .grpcMaxStreams(grpcMaxStreams);
      if (grpcMaxConnections != null) {
        builder.grpcMaxConnections(grpcMaxConnections);
      }
      options = builder.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    OptionalLong fileLimit = FileLimit.current();
    if (fileLimit.isPresent() && options.maxConnections() >= fileLimit.getAsLong()) {
      throw new ParameterException(
          spec.commandLine(),
          "--max-connections "
              + options.maxConnections()
              + " is not below the process's file limit "
              + fileLimit.getAsLong()
              + " (ulimit -n); connections past that limit could not be accepted and would"
              + " wait unanswered: lower --max-connections or raise the limit");
    }
    // Only a bound given by hand: the default one is made to fit.
    if (fileLimit.isPresent()
        && options.grpc()
        && grpcMaxConnections != null
        && (long) options.maxConnections() + options.grpcMaxConnections()
            >= fileLimit.getAsLong()) {
      throw new ParameterException(
          spec.commandLine(),
          "--max-connections "
              + options.maxConnections()
              + " and --grpc-max-connections "
              + options.grpcMaxConnections()
              + " together are not below the process's file limit "
              + fileLimit.getAsLong()
              + " (ulimit -n): lower one or raise the limit");
    }
    return options;
  }

  /** The file limit as the start-up line states it, saying when it lowered the default bound. */
  static String describe(OptionalLong fileLimit) {
    if (fileLimit.isEmpty()) {
      return "file limit unknown";
    }
    int bound = FileLimit.defaultMaxConnections(fileLimit);
    return "file limit "
        + fileLimit.getAsLong()
        + (bound < ServeOptions.DEFAULT_MAX_CONNECTIONS
            ? ", which lowered the default bound from "
                + ServeOptions.DEFAULT_MAX_CONNECTIONS
                + " to "
                + bound
            : "");
  }
}
