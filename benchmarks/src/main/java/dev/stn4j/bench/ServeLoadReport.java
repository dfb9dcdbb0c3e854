package dev.stn4j.bench;

import java.util.List;

/**
 * The document {@code bench serve --json} writes: the run's settings and its rows.
 *
 * @param referencePredictEachImagesPerSecond the in-process {@code predictEach} reference
 * @param processors processors this JVM saw
 * @param seconds measured time per row
 * @param rounds times every row ran
 * @param stalled {@code --stalled}
 * @param idle {@code --idle}
 * @param grpcSharedChannel {@code --grpc-shared-channel}: the gRPC rows' clients shared a channel
 * @param serverArgs the extra arguments the server got
 * @param classifyImage {@code --classify-image}: the file every classify request posted; null for
 *     the sample images' PNGs
 * @param rows every row, in the order they ran
 */
record ServeLoadReport(
    long referencePredictEachImagesPerSecond,
    int processors,
    double seconds,
    int rounds,
    int stalled,
    int idle,
    boolean grpcSharedChannel,
    List<String> serverArgs,
    String classifyImage,
    List<ServeLoadRow> rows) {

  ServeLoadReport {
    serverArgs = List.copyOf(serverArgs);
    rows = List.copyOf(rows);
  }
}
