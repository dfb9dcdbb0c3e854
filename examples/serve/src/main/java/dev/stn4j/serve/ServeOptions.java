package dev.stn4j.serve;

import dev.stn4j.sdk.Provider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The settings of an {@link InferenceServer}: where it listens, how it batches and the limits that
 * keep it safe under bad input and load. Immutable; built by {@link #builder()}, which checks every
 * value.
 *
 * <pre>{@code
 * ServeOptions options = ServeOptions.builder().port(8080).maxBatch(64).maxDelayMicros(500).build();
 * ServeOptions both = ServeOptions.builder().port(8080).grpcPort(8081).build(); // REST and gRPC
 * }</pre>
 *
 * @param host the address to listen on
 * @param port the TCP port; 0 picks a free one
 * @param model an stn4j ONNX model, or empty for the model shipped in the SDK
 * @param provider the ONNX Runtime execution provider
 * @param maxBatch most images one ONNX Runtime run takes (1 turns dynamic batching off)
 * @param maxDelayMicros how long the oldest queued request may wait for others to join its batch
 * @param maxQueueImages most images waiting in the queue; beyond it requests get 503
 * @param maxBodyBytes largest request body; beyond it requests get 413
 * @param requestTimeout longest a request may wait for its answer before it gets 503
 * @param bodyTimeout longest a request's body may take to arrive, from its headers; beyond it the
 *     request gets 408 and its connection is closed (a gRPC call, whose body is its request
 *     message: {@code DEADLINE_EXCEEDED}, its stream closed)
 * @param maxConnections most connections open at once; one over it is answered 503 and closed as
 *     soon as it is accepted
 * @param workers batches run at the same time
 * @param intraOpThreads ONNX Runtime threads inside one run
 * @param grpc whether to serve the protocol over gRPC too (off unless asked for)
 * @param grpcPort the gRPC TCP port; 0 picks a free one
 * @param grpcMaxStreams most gRPC calls at once on one connection
 * @param grpcMaxConnections most gRPC connections open at once, counted apart from REST's; one over
 *     it is closed as soon as it is accepted
 */
public record ServeOptions(
    String host,
    int port,
    Optional<Path> model,
    Provider provider,
    int maxBatch,
    long maxDelayMicros,
    int maxQueueImages,
    long maxBodyBytes,
    Duration requestTimeout,
    Duration bodyTimeout,
    int maxConnections,
    int workers,
    int intraOpThreads,
    boolean grpc,
    int grpcPort,
    int grpcMaxStreams,
    int grpcMaxConnections) {

  /** Default {@link #maxBatch}. */
  public static final int DEFAULT_MAX_BATCH = 64;

  /** Default {@link #maxDelayMicros}, as Triton's {@code max_queue_delay_microseconds}. */
  public static final long DEFAULT_MAX_DELAY_MICROS = 500;

  /** Default {@link #maxQueueImages}: 1,024 images of 32×32 hold 12 MiB of pixels. */
  public static final int DEFAULT_MAX_QUEUE_IMAGES = 1024;

  /** Default {@link #maxBodyBytes}: 8 MiB, a JSON request of ~200 images. */
  public static final long DEFAULT_MAX_BODY_BYTES = 8L << 20;

  /** Default {@link #requestTimeout}. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Default {@link #bodyTimeout}: a 12 KiB image arrives in it at 1 KB/s, the largest default body
   * at 3.4 Mbit/s; shorter than the idle timeout, so that a trickle cannot stretch it.
   */
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(20);

  /**
   * The most {@link #maxConnections} defaults to; lower where the file limit is low ({@link
   * FileLimit#defaultMaxConnections}).
   */
  public static final int DEFAULT_MAX_CONNECTIONS = 15_000;

  /** Default {@link #grpcPort}, as Triton's next to its REST port. */
  public static final int DEFAULT_GRPC_PORT = 8081;

  /**
   * Default {@link #grpcMaxStreams}: a client with 64 calls in flight on one channel, as {@code stn
   * bench serve} at concurrency 64, is not held back.
   */
  public static final int DEFAULT_GRPC_MAX_STREAMS = 128;

  /** Checks the values; use {@link #builder()}. */
  public ServeOptions {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    positive("maxBatch", maxBatch);
    if (maxDelayMicros < 0) {
      throw new IllegalArgumentException("maxDelayMicros must be >= 0, got " + maxDelayMicros);
    }
    positive("maxQueueImages", maxQueueImages);
    positive("maxBodyBytes", maxBodyBytes);
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be > 0, got " + requestTimeout);
    }
    if (bodyTimeout == null || bodyTimeout.isNegative() || bodyTimeout.isZero()) {
      throw new IllegalArgumentException("bodyTimeout must be > 0, got " + bodyTimeout);
    }
    positive("maxConnections", maxConnections);
    positive("workers", workers);
    positive("intraOpThreads", intraOpThreads);
    if (grpcPort < 0 || grpcPort > 65535) {
      throw new IllegalArgumentException("grpcPort must be in 0..65535, got " + grpcPort);
    }
    positive("grpcMaxStreams", grpcMaxStreams);
    positive("grpcMaxConnections", grpcMaxConnections);
    if (grpc && port != 0 && grpcPort == port) {
      throw new IllegalArgumentException(
          "grpcPort and port must differ, both are " + port + " (or turn gRPC off)");
    }
    if (model == null || provider == null) {
      throw new IllegalArgumentException("model and provider must not be null");
    }
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }
  }

  /** A builder with the defaults: 127.0.0.1:8080, the shipped model, CPU. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.model = model.orElse(null);
    b.provider = provider;
    b.maxBatch = maxBatch;
    b.maxDelayMicros = maxDelayMicros;
    b.maxQueueImages = maxQueueImages;
    b.maxBodyBytes = maxBodyBytes;
    b.requestTimeout = requestTimeout;
    b.bodyTimeout = bodyTimeout;
    b.maxConnections = maxConnections;
    b.workers = workers;
    b.intraOpThreads = intraOpThreads;
    b.grpc = grpc;
    b.grpcPort = grpcPort;
    b.grpcMaxStreams = grpcMaxStreams;
    b.grpcMaxConnections = grpcMaxConnections;
    return b;
  }

  /** Builds {@link ServeOptions}; every setter is optional. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8080;
    private Path model;
    private Provider provider = Provider.cpu();
    private int maxBatch = DEFAULT_MAX_BATCH;
    private long maxDelayMicros = DEFAULT_MAX_DELAY_MICROS;
    private int maxQueueImages = DEFAULT_MAX_QUEUE_IMAGES;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;
    private int maxConnections = FileLimit.defaultMaxConnections(FileLimit.current());
    // One batch per core, each single-threaded: more images/s under load than one batch on two
    // threads (sdk/README.md, "Threads on small or shared hosts").
    private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    private int intraOpThreads = 1;
    // Off unless asked for: a server built in Java (as in the tests) binds nothing more.
    private boolean grpc;
    private int grpcPort = DEFAULT_GRPC_PORT;
    private int grpcMaxStreams = DEFAULT_GRPC_MAX_STREAMS;
    // Unset: follows maxConnections (FileLimit.defaultGrpcMaxConnections).
    private Integer grpcMaxConnections;

    private Builder() {}

    public Builder host(String v) {
      host = v;
      return this;
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    /** An ONNX model file; null means the shipped model. */
    public Builder model(Path v) {
      model = v;
      return this;
    }

    public Builder provider(Provider v) {
      provider = v;
      return this;
    }

    public Builder maxBatch(int v) {
      maxBatch = v;
      return this;
    }

    public Builder maxDelayMicros(long v) {
      maxDelayMicros = v;
      return this;
    }

    public Builder maxQueueImages(int v) {
      maxQueueImages = v;
      return this;
    }

    public Builder maxBodyBytes(long v) {
      maxBodyBytes = v;
      return this;
    }

    public Builder requestTimeout(Duration v) {
      requestTimeout = v;
      return this;
    }

    public Builder bodyTimeout(Duration v) {
      bodyTimeout = v;
      return this;
    }

    /** The bound on open connections; the default depends on the process's file limit. */
    public Builder maxConnections(int v) {
      maxConnections = v;
      return this;
    }

    public Builder workers(int v) {
      workers = v;
      return this;
    }

    public Builder intraOpThreads(int v) {
      intraOpThreads = v;
      return this;
    }

    /** Serves gRPC too (true) or not (false, the default). */
    public Builder grpc(boolean v) {
      grpc = v;
      return this;
    }

    /** Serves gRPC too, on this port (0 picks a free one). */
    public Builder grpcPort(int v) {
      grpc = true;
      grpcPort = v;
      return this;
    }

    public Builder grpcMaxStreams(int v) {
      grpcMaxStreams = v;
      return this;
    }

    /**
     * The bound on open gRPC connections; by default the bound on REST's, lowered where the file
     * limit has no room for both.
     */
    public Builder grpcMaxConnections(int v) {
      grpcMaxConnections = v;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException naming the first bad value
     */
    public ServeOptions build() {
      return new ServeOptions(
          host,
          port,
          Optional.ofNullable(model),
          provider,
          maxBatch,
          maxDelayMicros,
          maxQueueImages,
          maxBodyBytes,
          requestTimeout,
          bodyTimeout,
          maxConnections,
          workers,
          intraOpThreads,
          grpc,
          grpcPort,
          grpcMaxStreams,
          grpcMaxConnections != null
              ? grpcMaxConnections
              : FileLimit.defaultGrpcMaxConnections(FileLimit.current(), maxConnections));
    }
  }
}
