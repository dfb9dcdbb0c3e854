package dev.stn4j.train;

/** Stand-ins for the gradient probe's child JVM, for {@link OneDnnProbeTest}. */
final class FakeProbes {
  private FakeProbes() {}

  /** Says a gradient changed, as the real probe does. */
  static final class Changed {
    public static void main(String[] args) {
      System.err.println("some engine log line");
      System.out.println("changed: round 5 of 150: the gradient of input changed (12 NaN)");
      System.err.println("an engine log line after the answer");
      System.exit(3);
    }
  }

  /** Dies before it can tell. */
  static final class Crashes {
    public static void main(String[] args) {
      System.err.println("Fatal: SIGILL in libtorch_cpu.so");
      System.exit(134);
    }
  }

  /** Never ends. */
  static final class Hangs {
    public static void main(String[] args) throws InterruptedException {
      Thread.sleep(600_000);
    }
  }

  /** Prints the environment variable the probe must run without. */
  static final class PrintsTheCap {
    public static void main(String[] args) {
      System.out.println(
          "cap="
              + System.getenv("ONEDNN_MAX_CPU_ISA")
              + " omp="
              + System.getenv("OMP_WAIT_POLICY"));
      System.exit(9);
    }
  }
}
