package dev.stn4j.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.data.CifarBatch;
import dev.stn4j.data.CifarDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarFilesTest {
  @TempDir Path dir;

  @Test
  void completeFolderVerifiesAndReads() throws Exception {
    SyntheticCifar.write(dir, 7, 1);
    CifarFiles files = CifarFiles.withRecordsPerFile(dir, 7);
    files.verify();
    assertTrue(files.isComplete());
    CifarBatch train = files.readTrain();
    assertEquals(35, train.size());
    assertEquals(7, files.readTest().size());
    assertEquals("CIFAR-10", files.description());
  }

  @Test
  void missingFileIsNamed() throws Exception {
    SyntheticCifar.write(dir, 7, 1);
    Files.delete(dir.resolve("data_batch_3.bin"));
    CifarDataException e =
        assertThrows(
            CifarDataException.class, () -> CifarFiles.withRecordsPerFile(dir, 7).verify());
    assertTrue(
        e.getMessage().startsWith(dir.resolve("data_batch_3.bin") + ": file not found"),
        e.getMessage());
    assertFalse(CifarFiles.withRecordsPerFile(dir, 7).isComplete());
  }

  @Test
  void wrongSizeIsNamedWithBothSizes() throws Exception {
    SyntheticCifar.write(dir, 7, 1);
    Path test = dir.resolve("test_batch.bin");
    byte[] bytes = Files.readAllBytes(test);
    Files.write(test, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    CifarDataException e =
        assertThrows(
            CifarDataException.class, () -> CifarFiles.withRecordsPerFile(dir, 7).verify());
    assertTrue(
        e.getMessage().startsWith(test + ": size 21,411 bytes, expected 21,511"), e.getMessage());
  }

  @Test
  void officialLayoutWantsTenThousandRecords() throws Exception {
    SyntheticCifar.write(dir, 7, 1);
    CifarDataException e =
        assertThrows(CifarDataException.class, () -> CifarFiles.standard(dir).verify());
    assertTrue(e.getMessage().contains("expected 30,730,000"), e.getMessage());
  }

  @Test
  void describesTheJpegCopyFromItsReadme() throws Exception {
    Files.writeString(dir.resolve("README.md"), "pixels are a JPEG q75 re-encoding");
    assertEquals("CIFAR-10 (JPEG-q75 copy)", CifarFiles.standard(dir).description());
  }
}
