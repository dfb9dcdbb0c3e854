package dev.stn4j.train;

/**
 * One epoch's figures, as logged (one JSON line per epoch) and stored in checkpoints.
 *
 * @param epoch 1-based
 * @param loss mean training cross-entropy over the epoch
 * @param trainAccuracy share of training images classified right during the epoch, in [0,1]
 * @param validationAccuracy share of the held-out validation images classified right after the
 *     epoch (what recipes are chosen on), or null without a validation split
 * @param testAccuracy share of the test split classified right after the epoch, in [0,1]; null in a
 *     run with a validation split, which chooses recipes without ever seeing the test split
 * @param seconds wall-clock time of the epoch, data loading and evaluation included
 * @param trainSeconds the training part of {@code seconds} (data loading included, evaluation not)
 * @param learningRate the classifier's learning rate at the epoch's last step
 */
record EpochRecord(
    int epoch,
    double loss,
    double trainAccuracy,
    Double validationAccuracy,
    Double testAccuracy,
    double seconds,
    double trainSeconds,
    double learningRate) {}
