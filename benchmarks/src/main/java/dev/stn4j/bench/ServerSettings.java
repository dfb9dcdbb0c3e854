package dev.stn4j.bench;

/**
 * How the {@code stn serve} child of a group of rows batches: with batching off it is started with
 * a batch of one and no delay, so the same server code runs in both.
 *
 * @param batching the {@code --batching} value, as the rows report it
 * @param maxBatch the server's {@code --max-batch}
 * @param maxDelayMicros the server's {@code --max-delay-us}
 */
record ServerSettings(String batching, int maxBatch, long maxDelayMicros) {

  static ServerSettings of(String batching, int maxBatch, long maxDelayMicros) {
    boolean on = batching.equals("on");
    return new ServerSettings(batching, on ? maxBatch : 1, on ? maxDelayMicros : 0);
  }
}
