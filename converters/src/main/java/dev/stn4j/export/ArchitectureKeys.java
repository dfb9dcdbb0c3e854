package dev.stn4j.export;

import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.model.Architecture;

/**
 * The model contract's {@code stn4j.architecture} of each network the trainer trains, both ways:
 * the contract's names live in {@link ModelFormat}, the trainer's in {@link Architecture}, and this
 * is where they meet.
 */
final class ArchitectureKeys {
  private ArchitectureKeys() {}

  /** The value the exporter writes for {@code architecture}. */
  static String of(Architecture architecture) {
    return switch (architecture) {
      case STN -> ModelFormat.ARCHITECTURE_STN;
      case CNN -> ModelFormat.ARCHITECTURE_CNN;
    };
  }

  /**
   * The network a model's {@code stn4j.architecture} names.
   *
   * @throws IllegalArgumentException naming a value no trainer network has
   */
  static Architecture from(String key) {
    for (Architecture a : Architecture.values()) {
      if (of(a).equals(key)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown "
            + ModelFormat.KEY_ARCHITECTURE
            + " '"
            + key
            + "' (known: "
            + ModelFormat.ARCHITECTURE_STN
            + ", "
            + ModelFormat.ARCHITECTURE_CNN
            + ")");
  }
}
