package dev.stn4j.train;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How far oneDNN (PyTorch's CPU kernels) may go in the instruction set, in the vocabulary of {@code
 * stn train --onednn-isa}, the build's {@code -Donednn.max.cpu.isa} and {@code train-speed.sh}:
 * {@code auto} (the probe decides), {@code none} (uncapped; oneDNN's own {@code ALL} means the
 * same), {@code cap} (the trainer's safe cap, {@link #SAFE_CAP}) or a oneDNN ISA name such as
 * {@code AVX2}. oneDNN reads {@value #ENV} once, when PyTorch loads, so a process keeps the cap it
 * was started with.
 *
 * <p>This is the cap's one home: the launcher, the build and the benchmark scripts use the words
 * above and leave the value to this class.
 */
record OneDnnIsa(Mode mode, String cap) {
  enum Mode {
    AUTO,
    UNCAPPED,
    CAPPED
  }

  /** The environment variable oneDNN reads its cap from. */
  static final String ENV = "ONEDNN_MAX_CPU_ISA";

  /** oneDNN's older name for {@link #ENV}, read when that is not set. */
  static final String LEGACY_ENV = "DNNL_MAX_CPU_ISA";

  /**
   * The cap that computes right where the defect was seen: oneDNN's im2col + JIT GEMM path. No
   * wider ISA does there (the AVX kernels fail too).
   */
  static final String SAFE_CAP = "SSE41";

  static final OneDnnIsa AUTO = new OneDnnIsa(Mode.AUTO, null);
  static final OneDnnIsa UNCAPPED = new OneDnnIsa(Mode.UNCAPPED, null);
  static final OneDnnIsa SAFE = new OneDnnIsa(Mode.CAPPED, SAFE_CAP);

  /** oneDNN's names for its caps (the bundled release's), short of ALL. */
  private static final Set<String> CAPS =
      Set.of(
          "SSE41",
          "AVX",
          "AVX2",
          "AVX2_VNNI",
          "AVX2_VNNI_2",
          "AVX512_CORE",
          "AVX512_CORE_VNNI",
          "AVX512_CORE_BF16",
          "AVX512_CORE_FP16",
          "AVX512_CORE_AMX",
          "AVX512_CORE_AMX_FP16",
          "AVX10_1_512",
          "AVX10_1_512_AMX",
          "AVX10_1_512_AMX_FP16");

  OneDnnIsa {
    if ((mode == Mode.CAPPED) != (cap != null)) {
      throw new IllegalArgumentException("a cap goes with CAPPED and only with it: " + mode);
    }
  }

  /**
   * Parses {@code auto}, {@code none}, {@code ALL}, {@code cap} or a oneDNN cap name, in any case.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  static OneDnnIsa parse(String value) {
    String v = value.strip().toUpperCase(Locale.ROOT);
    switch (v) {
      case "AUTO":
        return AUTO;
      case "NONE":
      case "ALL":
        return UNCAPPED;
      case "CAP":
        return SAFE;
      default:
        if (CAPS.contains(v)) {
          return new OneDnnIsa(Mode.CAPPED, v);
        }
        throw new IllegalArgumentException(
            "unknown oneDNN ISA '"
                + value
                + "': expected auto, none, cap (= "
                + SAFE_CAP
                + ") or one of oneDNN's caps "
                + String.join(", ", CAPS.stream().sorted().toList()));
    }
  }

  /**
   * The cap oneDNN finds in {@code environment}: {@value #ENV}, else {@value #LEGACY_ENV}; or null.
   */
  static String capIn(Map<String, String> environment) {
    String value = environment.get(ENV);
    return value != null ? value : environment.get(LEGACY_ENV);
  }

  /** What a process started with {@code value} as its cap ({@link #capIn}) runs under. */
  static OneDnnIsa ofEnvironment(String value) {
    if (value == null || value.isBlank()) {
      return UNCAPPED;
    }
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      // oneDNN ignores a name it does not know and runs uncapped; say so rather than guess.
      return UNCAPPED;
    }
  }

  /** The word that asks for this again ({@code --onednn-isa}). */
  String option() {
    return switch (mode) {
      case AUTO -> "auto";
      case UNCAPPED -> "none";
      case CAPPED -> cap;
    };
  }

  /**
   * The value of {@value #ENV} that gives this: the cap, or {@code ALL} when uncapped.
   *
   * @throws IllegalStateException for {@code auto}, which must be decided first
   */
  String environmentValue() {
    return switch (mode) {
      case AUTO -> throw new IllegalStateException("auto is decided by the probe first");
      case UNCAPPED -> "ALL";
      case CAPPED -> cap;
    };
  }

  /** For messages: "uncapped" or "capped at SSE41". */
  String describe() {
    return switch (mode) {
      case AUTO -> "decided by the probe";
      case UNCAPPED -> "uncapped";
      case CAPPED -> "capped at " + cap;
    };
  }
}
