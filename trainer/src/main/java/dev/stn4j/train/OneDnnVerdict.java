package dev.stn4j.train;

/**
 * The oneDNN cap a training process runs under, and why.
 *
 * @param isa uncapped or capped, never auto
 * @param reason for the user: the probe's finding, the option, or the cached verdict's origin
 * @param definitive whether it comes from a probe that ran to the end (only those are cached)
 */
record OneDnnVerdict(OneDnnIsa isa, String reason, boolean definitive) {
  OneDnnVerdict {
    if (isa.mode() == OneDnnIsa.Mode.AUTO) {
      throw new IllegalArgumentException("a verdict is uncapped or capped, not auto");
    }
  }

  /** The line {@code stn train} prints. */
  String line() {
    return "oneDNN: " + isa.describe() + " (" + reason + ")";
  }
}
