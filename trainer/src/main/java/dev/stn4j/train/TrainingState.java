package dev.stn4j.train;

import dev.stn4j.data.Cifar10;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnWeights;
import java.util.List;
import java.util.Map;

/**
 * Where a run stands between epochs: enough to continue it exactly (the per-epoch random streams
 * are derived from the seed and the epoch number, so no RNG state is needed beyond the count).
 *
 * @param weights the weights being trained
 * @param average their exponential moving average, or null when the run keeps none
 */
record TrainingState(
    StnWeights weights,
    StnWeights average,
    Map<StnParameter, float[]> momentum,
    List<EpochRecord> history) {
  TrainingState {
    history = List.copyOf(history);
  }

  int epochsCompleted() {
    return history.size();
  }

  /** The weights to evaluate and export: the average when there is one. */
  StnWeights exported() {
    return average != null ? average : weights;
  }

  /** Where the run that wrote {@code checkpoint} stood: the inverse of {@link #toCheckpoint}. */
  static TrainingState of(Checkpoint checkpoint) {
    StnWeights trained = checkpoint.trainingWeights();
    return trained == null
        ? new TrainingState(checkpoint.weights(), null, checkpoint.momentum(), checkpoint.history())
        : new TrainingState(
            trained, checkpoint.weights(), checkpoint.momentum(), checkpoint.history());
  }

  /** As a checkpoint of a CIFAR-10 run on {@code trainingData} with {@code settingsJson}. */
  Checkpoint toCheckpoint(String trainingData, String settingsJson) {
    return toCheckpoint(
        trainingData, settingsJson, Cifar10.CLASS_NAMES, Normalization.CIFAR10, null);
  }

  /**
   * As a checkpoint of a run on {@code trainingData} with {@code settingsJson}, whose model tells
   * {@code classNames} apart, normalises its input by {@code normalization} and embeds {@code
   * samples} (null for none).
   */
  Checkpoint toCheckpoint(
      String trainingData,
      String settingsJson,
      List<String> classNames,
      Normalization normalization,
      SampleImages samples) {
    return new Checkpoint(
        exported(),
        average != null ? weights : null,
        momentum,
        trainingData,
        settingsJson,
        history,
        classNames,
        normalization,
        samples);
  }
}
