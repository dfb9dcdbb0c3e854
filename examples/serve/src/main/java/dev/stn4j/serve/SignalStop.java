package dev.stn4j.serve;

import sun.misc.Signal;

/** Runs an action on SIGTERM and SIGINT instead of the JVM's default (exit 143/130). */
final class SignalStop {
  private SignalStop() {}

  static void onTermination(Runnable action) {
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> action.run());
    }
  }
}
