package dev.stn4j.sdk.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A per-user directory of native libraries copied out of jars, one sub-directory per library set
 * and version: every JVM of this user shares one copy instead of unpacking its own into the
 * temporary directory at every start (ONNX Runtime alone is 28 MB, and leaves what it unpacks
 * behind). A set is unpacked into a private staging directory and renamed into place, so concurrent
 * first runs and interrupted ones never expose a half-written library.
 *
 * <p>The root is stn4j's per-user cache directory ({@link UserCacheDir}).
 */
final class NativeLibraryCache {
  /** Opens a library's bytes, e.g. from a jar entry. */
  interface Source {
    InputStream open() throws IOException;
  }

  /**
   * One library of a set.
   *
   * @param fileName its file name in the set's directory
   * @param size its length in bytes, which a complete copy has
   */
  record Library(String fileName, long size, Source source) {}

  private final Path root;

  NativeLibraryCache(Path root) {
    this.root = root;
  }

  /** The cache of this user, or null when there is no home or cache directory to use. */
  static NativeLibraryCache forUser() {
    return UserCacheDir.root().map(NativeLibraryCache::new).orElse(null);
  }

  Path root() {
    return root;
  }

  /**
   * The directory {@code name} holding {@code libraries}, unpacked now unless a complete copy is
   * there already.
   *
   * @param name a file name that changes whenever the libraries' bytes do (version, checksum)
   */
  Path install(String name, List<Library> libraries) throws IOException {
    Path dir = root.resolve(name);
    if (complete(dir, libraries)) {
      return dir;
    }
    Files.createDirectories(root);
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      // Another thread or JVM may have renamed its copy into place since the first look. A copy
      // renamed into place is whole from the moment it appears, so asking in this order (exists,
      // then complete) tells a copy that just arrived from a damaged one.
      if (complete(dir, libraries)) {
        return dir;
      }
      // Damaged (a library missing or cut short): set it aside rather than write into a
      // directory another JVM may be loading from. Two JVMs repairing the same damaged copy at
      // once may both try; the second finds nothing to move.
      Path aside = Files.createTempDirectory(root, "." + name + "-damaged-");
      try {
        Files.move(dir, aside.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.NoSuchFileException alreadyMoved) {
        // the other one set it aside first
      }
      deleteTree(aside);
    }
    Path staging = Files.createTempDirectory(root, "." + name + "-", ownerOnly());
    try {
      for (Library library : libraries) {
        try (InputStream in = library.source().open()) {
          Files.copy(in, staging.resolve(library.fileName()));
        }
      }
      try {
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException raced) {
        // Another JVM put its copy there first (checked below like ours). Linux reports a rename
        // onto a non-empty directory as a plain FileSystemException ("Directory not empty"), not
        // as DirectoryNotEmptyException, so the type alone cannot tell a race from a failure.
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          throw raced;
        }
      }
    } finally {
      deleteTree(staging);
    }
    if (!complete(dir, libraries)) {
      throw new IOException(dir + " is incomplete after unpacking into it");
    }
    return dir;
  }

  private static boolean complete(Path dir, List<Library> libraries) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    for (Library library : libraries) {
      Path file = dir.resolve(library.fileName());
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
          || Files.size(file) != library.size()) {
        return false;
      }
    }
    return true;
  }

  static FileAttribute<?>[] ownerOnly() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
        }
        : new FileAttribute<?>[0];
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
