package dev.stn4j.train;

import java.util.Locale;

/**
 * A loss or gradient that is not finite: training diverged, or (uncapped oneDNN on a machine with
 * its defect) a convolution gradient came out partly unwritten.
 */
final class NonFiniteTrainingException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final String where;

  NonFiniteTrainingException(int epoch, long step, String detail) {
    super(
        String.format(
            Locale.ROOT,
            "training diverged in epoch %d at step %d (%s); try a lower --lr or --loc-lr-factor",
            epoch,
            step,
            detail));
    this.epoch = epoch;
    this.where = String.format(Locale.ROOT, "in epoch %d at step %d (%s)", epoch, step, detail);
  }

  /** Where and what, e.g. "in epoch 2 at step 7 (a non-finite gradient)". */
  String where() {
    return where;
  }

  /** The epoch that stopped (1-based). */
  int epoch() {
    return epoch;
  }
}
