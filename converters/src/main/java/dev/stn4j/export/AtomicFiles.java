package dev.stn4j.export;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Whole-file writes that a reader never sees half done. */
final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Writes {@code bytes} to a temporary file beside {@code target} and renames it over {@code
   * target}; on any failure the temporary file is removed and {@code target} is left as it was.
   */
  static void write(Path target, byte[] bytes) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (!Files.isDirectory(dir)) {
      throw new IOException(target + ": directory " + dir + " does not exist");
    }
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
    boolean moved = false;
    try {
      Files.write(temp, bytes);
      giveUsualPermissions(temp, absolute);
      try {
        Files.move(
            temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        // A file system without atomic rename (rare); a plain replace is the best it offers.
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Temporary files are created owner-only (0600); the result should look like any other file the
   * user writes: the target's old permissions, else rw-r--r--.
   */
  private static void giveUsualPermissions(Path temp, Path target) throws IOException {
    if (!Files.getFileStore(temp).supportsFileAttributeView(PosixFileAttributeView.class)) {
      return;
    }
    Set<PosixFilePermission> permissions =
        Files.exists(target)
            ? Files.getPosixFilePermissions(target)
            : PosixFilePermissions.fromString("rw-r--r--");
    Files.setPosixFilePermissions(temp, permissions);
  }
}
