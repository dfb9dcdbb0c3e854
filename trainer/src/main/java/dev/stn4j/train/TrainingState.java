package dev.stn4j.train;

import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnWeights;
import java.util.List;
import java.util.Map;

/**
 * Where a run stands between epochs: enough to continue it exactly (the per-epoch random streams
 * are derived from the seed and the epoch number, so no RNG state is needed beyond the count).
 */
record TrainingState(
    StnWeights weights, Map<StnParameter, float[]> momentum, List<EpochRecord> history) {
  TrainingState {
    history = List.copyOf(history);
  }

  int epochsCompleted() {
    return history.size();
  }
}
