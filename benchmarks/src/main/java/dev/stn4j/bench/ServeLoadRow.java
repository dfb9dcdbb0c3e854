package dev.stn4j.bench;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/**
 * One row of {@code bench serve}: the load's result, the connections held open through it and the
 * server it ran against, serialized flat as the row's JSON object.
 *
 * @param load the measured window
 * @param stalled stalled uploads held open through it (0 in a row without them)
 * @param idle idle connections held open through it (0 in a row without them)
 * @param held what happened to each kind of held connection; empty in a row without them
 * @param round which of the {@code --rounds} this row belongs to, from 1
 * @param server how the server batched
 * @param referencePredictEachImagesPerSecond the in-process reference of the same run
 * @param fractionOfReference requests/s over the reference, to three decimals
 */
record ServeLoadRow(
    @JsonUnwrapped LoadResult load,
    int stalled,
    int idle,
    List<HeldConnections.Stats> held,
    int round,
    @JsonUnwrapped ServerSettings server,
    long referencePredictEachImagesPerSecond,
    double fractionOfReference) {

  ServeLoadRow {
    held = List.copyOf(held);
  }

  static ServeLoadRow of(
      LoadResult load,
      HeldDuringRow.Outcome held,
      int round,
      ServerSettings server,
      double reference) {
    return new ServeLoadRow(
        load,
        held.stalled(),
        held.idle(),
        held.stats(),
        round,
        server,
        Math.round(reference),
        Math.round(1000 * load.requestsPerSecond() / reference) / 1000.0);
  }
}
