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
}
