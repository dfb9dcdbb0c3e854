package dev.stn4j.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A row's memory readings. A reading the server does not answer within its timeout (a loaded
 * machine) is counted as missed, not fatal: the load and its latencies are the row's result.
 */
final class MemorySamples {
  private final List<ServerMemory> taken = new ArrayList<>();
  private int missed;
  private final ServerChild server;
  private final long measureFrom;

  MemorySamples(ServerChild server, long measureFrom) {
    this.server = server;
    this.measureFrom = measureFrom;
  }

  void take() throws InterruptedException {
    try {
      taken.add(server.memory(Math.max(0, System.nanoTime() - measureFrom) / 1e9));
    } catch (IOException | IllegalArgumentException e) {
      missed++;
    }
  }

  List<ServerMemory> taken() {
    return List.copyOf(taken);
  }

  int missed() {
    return missed;
  }
}
