package dev.stn4j.train.data;

import dev.stn4j.data.Cifar10;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes small CIFAR-10-format folders for tests: {@code recordsPerFile} records per batch file,
 * with a learnable signal (each class brightens its own horizontal band and tints one channel).
 */
public final class SyntheticCifar {
  private SyntheticCifar() {}

  /** Writes the six batch files and the class names into {@code dir}; returns {@code dir}. */
  public static Path write(Path dir, int recordsPerFile, long seed) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(seed);
    for (String name : Cifar10.TRAIN_FILES) {
      Files.write(dir.resolve(name), records(recordsPerFile, random));
    }
    Files.write(dir.resolve(Cifar10.TEST_FILE), records(recordsPerFile, random));
    Files.writeString(
        dir.resolve(Cifar10.META_FILE),
        String.join("\n", Cifar10.CLASS_NAMES) + "\n",
        StandardCharsets.US_ASCII);
    return dir;
  }

  /** {@code n} records in the official binary layout. */
  public static byte[] records(int n, Random random) {
    byte[] bytes = new byte[n * Cifar10.RECORD_BYTES];
    for (int i = 0; i < n; i++) {
      int label = random.nextInt(Cifar10.NUM_CLASSES);
      int at = i * Cifar10.RECORD_BYTES;
      bytes[at] = (byte) label;
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            int value = 40 + random.nextInt(60);
            if (y / 3 == label) {
              value += 120;
            }
            if (c == label % 3) {
              value += 30;
            }
            bytes[at + 1 + c * 1024 + y * 32 + x] = (byte) Math.min(255, value);
          }
        }
      }
    }
    return bytes;
  }
}
