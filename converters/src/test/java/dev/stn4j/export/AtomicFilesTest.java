package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void replacesTheTargetWithReadablePermissions() throws IOException {
    Path target = dir.resolve("model.onnx");
    Files.writeString(target, "old");
    AtomicFiles.write(target, new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
    assertEquals(List.of(target), list());
    Path fresh = dir.resolve("fresh.onnx");
    AtomicFiles.write(fresh, new byte[] {4});
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
  }

  @Test
  void failedRenameRemovesTheTemporaryFileAndKeepsTheTarget() throws IOException {
    Path target = dir.resolve("busy");
    Files.createDirectory(target);
    Files.writeString(target.resolve("inside"), "keep");
    assertThrows(IOException.class, () -> AtomicFiles.write(target, new byte[] {1}));
    assertEquals(List.of(target), list(), "only the untouched directory remains");
    assertEquals("keep", Files.readString(target.resolve("inside")));
  }

  @Test
  void missingDirectoryIsNamed() {
    Path target = dir.resolve("no/such/model.onnx");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, new byte[1]));
    assertEquals(target + ": directory " + target.getParent() + " does not exist", e.getMessage());
  }

  private List<Path> list() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().collect(Collectors.toList());
    }
  }
}
