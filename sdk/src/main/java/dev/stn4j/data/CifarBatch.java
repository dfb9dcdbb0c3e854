package dev.stn4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Records of the official CIFAR-10 binary format held in memory: one label byte and 3,072 pixel
 * bytes (R, G, B planes of 32×32, row-major) per record.
 *
 * <p>Immutable: the bytes are copied in and never handed out. Pixels are read out as floats in
 * [0,1], the model's input space, by {@link #copyImage}.
 *
 * <pre>{@code
 * CifarBatch test = CifarBatch.read(dataDir.resolve("test_batch.bin"));
 * float[] chw = new float[Cifar10.IMAGE_VALUES];
 * test.copyImage(0, chw, 0);
 * int label = test.label(0);
 * }</pre>
 */
public final class CifarBatch {
  private final String source;
  private final byte[] labels;
  private final byte[] pixels;

  private CifarBatch(String source, byte[] labels, byte[] pixels) {
    this.source = source;
    this.labels = labels;
    this.pixels = pixels;
  }

  /**
   * Reads a whole {@code .bin} file.
   *
   * @throws CifarDataException naming the file when it is missing, empty, not a whole number of
   *     records, or holds a label outside 0-9
   */
  public static CifarBatch read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CifarDataException(file + ": file not found", e);
    }
    return parse(file.toString(), bytes);
  }

  /** Reads and concatenates several files, in the order given (e.g. the five training batches). */
  public static CifarBatch readAll(List<Path> files) throws IOException {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no CIFAR-10 files given");
    }
    CifarBatch[] parts = new CifarBatch[files.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = read(files.get(i));
    }
    return concat(parts);
  }

  /**
   * Parses records from bytes already in memory.
   *
   * @param source what the bytes came from, used in error messages
   */
  public static CifarBatch parse(String source, byte[] bytes) throws CifarDataException {
    if (bytes.length == 0) {
      throw new CifarDataException(source + ": file is empty");
    }
    if (bytes.length % Cifar10.RECORD_BYTES != 0) {
      throw new CifarDataException(
          String.format(
              "%s: size %,d bytes is not a whole number of %,d-byte CIFAR-10 records"
                  + " (truncated or not a CIFAR-10 binary batch)",
              source, bytes.length, Cifar10.RECORD_BYTES));
    }
    int n = bytes.length / Cifar10.RECORD_BYTES;
    byte[] labels = new byte[n];
    byte[] pixels = new byte[n * Cifar10.IMAGE_VALUES];
    for (int i = 0; i < n; i++) {
      int at = i * Cifar10.RECORD_BYTES;
      int label = bytes[at] & 0xFF;
      if (label >= Cifar10.NUM_CLASSES) {
        throw new CifarDataException(
            String.format("%s: record %d has label %d, expected 0-%d", source, i, label, 9));
      }
      labels[i] = (byte) label;
      System.arraycopy(bytes, at + 1, pixels, i * Cifar10.IMAGE_VALUES, Cifar10.IMAGE_VALUES);
    }
    return new CifarBatch(source, labels, pixels);
  }

  /** Joins batches end to end. */
  public static CifarBatch concat(CifarBatch... parts) {
    int n = 0;
    for (CifarBatch p : parts) {
      n += p.size();
    }
    byte[] labels = new byte[n];
    byte[] pixels = new byte[n * Cifar10.IMAGE_VALUES];
    int at = 0;
    StringBuilder source = new StringBuilder();
    for (CifarBatch p : parts) {
      System.arraycopy(p.labels, 0, labels, at, p.size());
      System.arraycopy(p.pixels, 0, pixels, at * Cifar10.IMAGE_VALUES, p.pixels.length);
      at += p.size();
      source.append(source.length() == 0 ? "" : " + ").append(p.source);
    }
    return new CifarBatch(source.toString(), labels, pixels);
  }

  /** The first {@code count} records (the sample set is the first 1,000 of the test batch). */
  public CifarBatch head(int count) {
    if (count < 0 || count > size()) {
      throw new IllegalArgumentException(
          "head(" + count + ") of " + source + " with " + size() + " records");
    }
    return new CifarBatch(
        source + "[0:" + count + "]",
        Arrays.copyOf(labels, count),
        Arrays.copyOf(pixels, count * Cifar10.IMAGE_VALUES));
  }

  /** The last {@code count} records (e.g. a validation split held out of the training files). */
  public CifarBatch tail(int count) {
    if (count < 0 || count > size()) {
      throw new IllegalArgumentException(
          "tail(" + count + ") of " + source + " with " + size() + " records");
    }
    int from = size() - count;
    return new CifarBatch(
        source + "[" + from + ":" + size() + "]",
        Arrays.copyOfRange(labels, from, size()),
        Arrays.copyOfRange(pixels, from * Cifar10.IMAGE_VALUES, pixels.length));
  }

  /** Number of records. */
  public int size() {
    return labels.length;
  }

  /** Where the records came from (file names), for messages and provenance. */
  public String source() {
    return source;
  }

  /** Label of record {@code index}, 0-9. */
  public int label(int index) {
    return labels[index];
  }

  /**
   * Writes record {@code index} as 3,072 floats in [0,1], channel-major (CHW), into {@code dst}
   * from {@code offset}: the model's input layout.
   */
  public void copyImage(int index, float[] dst, int offset) {
    int from = index * Cifar10.IMAGE_VALUES;
    for (int k = 0; k < Cifar10.IMAGE_VALUES; k++) {
      dst[offset + k] = (pixels[from + k] & 0xFF) * (1f / 255f);
    }
  }

  /** Record {@code index} as a fresh CHW float array in [0,1]. */
  public float[] image(int index) {
    float[] chw = new float[Cifar10.IMAGE_VALUES];
    copyImage(index, chw, 0);
    return chw;
  }

  /** A copy of record {@code index}'s raw pixel bytes (R, G, B planes). */
  public byte[] imageBytes(int index) {
    int from = index * Cifar10.IMAGE_VALUES;
    return Arrays.copyOfRange(pixels, from, from + Cifar10.IMAGE_VALUES);
  }
}
