package dev.stn4j.bench;

/**
 * How long to warm up and to measure: by iteration counts where they are positive, otherwise by
 * seconds.
 */
record Budget(double warmupSeconds, double seconds, long warmupIterations, long iterations) {
  Budget {
    if (warmupSeconds < 0 || seconds <= 0 && iterations <= 0) {
      throw new IllegalArgumentException(
          "need a positive measuring time or iteration count, got seconds="
              + seconds
              + " iterations="
              + iterations);
    }
  }

  boolean warmupDone(long calls, long elapsedNs) {
    return warmupIterations > 0 ? calls >= warmupIterations : elapsedNs >= warmupSeconds * 1e9;
  }

  boolean measureDone(long calls, long elapsedNs) {
    return iterations > 0 ? calls >= iterations : elapsedNs >= seconds * 1e9;
  }

  /** Only the warm-up of this budget (measuring one call). */
  Budget warmupOnly() {
    return new Budget(warmupSeconds, 0, warmupIterations, 1);
  }

  /**
   * One of {@code rounds} interleaved measuring rounds: a share of the measuring time or count,
   * after a short re-warm-up (a few calls) since other work ran in between.
   */
  Budget round(int rounds, int round) {
    if (iterations > 0) {
      long share = iterations / rounds + (round < iterations % rounds ? 1 : 0);
      return new Budget(0, 0, Math.max(1, Math.min(3, warmupIterations)), Math.max(1, share));
    }
    return new Budget(Math.min(0.2, warmupSeconds), seconds / rounds, 0, 0);
  }
}
