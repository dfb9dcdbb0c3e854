package dev.stn4j.train.data;

import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.data.CifarDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of CIFAR-10's binary version in one folder: five training batches, the test batch and
 * the class names, each checked for presence and size before anything is read.
 *
 * <pre>{@code
 * CifarFiles files = CifarFiles.standard(dir);
 * files.verify();                      // CifarDataException naming the bad file
 * CifarBatch train = files.readTrain(); // 50,000 records
 * }</pre>
 */
public final class CifarFiles {
  /** Records per batch file in the official data set. */
  public static final int RECORDS_PER_FILE = 10_000;

  private final Path dir;
  private final int recordsPerFile;

  private CifarFiles(Path dir, int recordsPerFile) {
    this.dir = dir;
    this.recordsPerFile = recordsPerFile;
  }

  /** The official layout (10,000 records per batch file) in {@code dir}. */
  public static CifarFiles standard(Path dir) {
    return new CifarFiles(dir, RECORDS_PER_FILE);
  }

  /** A layout with smaller batch files, for tests. */
  public static CifarFiles withRecordsPerFile(Path dir, int recordsPerFile) {
    if (recordsPerFile < 1) {
      throw new IllegalArgumentException("recordsPerFile must be >= 1, got " + recordsPerFile);
    }
    return new CifarFiles(dir, recordsPerFile);
  }

  /** The folder. */
  public Path dir() {
    return dir;
  }

  /** Whether every file is present with its expected size. */
  public boolean isComplete() {
    try {
      verify();
      return true;
    } catch (CifarDataException e) {
      return false;
    }
  }

  /**
   * Checks that every file is there with the size of its records.
   *
   * @throws CifarDataException naming the first missing or wrongly sized file
   */
  public void verify() throws CifarDataException {
    long batchBytes = (long) recordsPerFile * Cifar10.RECORD_BYTES;
    List<String> batches = new ArrayList<>(Cifar10.TRAIN_FILES);
    batches.add(Cifar10.TEST_FILE);
    for (String name : batches) {
      Path file = dir.resolve(name);
      long size = size(file);
      if (size != batchBytes) {
        throw new CifarDataException(
            String.format(
                "%s: size %,d bytes, expected %,d (%,d records of %,d bytes); truncated or not"
                    + " CIFAR-10's binary version",
                file, size, batchBytes, recordsPerFile, Cifar10.RECORD_BYTES));
      }
    }
    Path meta = dir.resolve(Cifar10.META_FILE);
    if (size(meta) == 0) {
      throw new CifarDataException(meta + ": file is empty");
    }
  }

  private static long size(Path file) throws CifarDataException {
    if (!Files.isRegularFile(file)) {
      throw new CifarDataException(file + ": file not found (CIFAR-10 binary version expected)");
    }
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new CifarDataException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** The five training batches, in order. */
  public CifarBatch readTrain() throws IOException {
    return CifarBatch.readAll(Cifar10.TRAIN_FILES.stream().map(dir::resolve).toList());
  }

  /** The test batch. */
  public CifarBatch readTest() throws IOException {
    return CifarBatch.read(dir.resolve(Cifar10.TEST_FILE));
  }

  /**
   * What the data is, for provenance: the shared copy's README says its pixels are a JPEG-q75
   * re-encoding.
   */
  public String description() {
    Path readme = dir.resolve("README.md");
    try {
      if (Files.isRegularFile(readme) && Files.readString(readme).contains("JPEG")) {
        return "CIFAR-10 (JPEG-q75 copy)";
      }
    } catch (IOException e) {
      // An unreadable README only costs the provenance detail.
    }
    return "CIFAR-10";
  }
}
