package dev.stn4j.train.data;

import dev.stn4j.files.ImageWalk;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The image files of one class folder, nested folders included, following symbolic links: sorted by
 * relative path, with their sizes and modification times (the decode cache's key).
 */
final class ClassFolderWalk {
  /** One image file: its path relative to the tree's folder ('/'-separated), size, mtime (ns). */
  record Entry(String relative, long size, long modifiedNanos) {}

  private final Path root;
  final List<Entry> images = new ArrayList<>();
  final SkippedFiles.Tally skipped = new SkippedFiles.Tally();

  private ClassFolderWalk(Path root) {
    this.root = root;
  }

  /** Walks {@code root/folder}. */
  static ClassFolderWalk of(Path root, String folder) throws ImageTreeException {
    ClassFolderWalk walk = new ClassFolderWalk(root);
    Path start = root.resolve(folder);
    try {
      Files.walkFileTree(
          start, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, walk.visitor(start));
    } catch (IOException e) {
      throw new ImageTreeException(start + ": cannot list folder: " + ImageWalk.reason(e), e);
    }
    walk.images.sort(Comparator.comparing(Entry::relative));
    return walk;
  }

  static boolean hidden(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  /** {@code p} relative to the tree's folder, '/'-separated on every platform. */
  String relative(Path p) {
    StringBuilder s = new StringBuilder();
    for (Path part : root.relativize(p)) {
      s.append(s.length() == 0 ? "" : "/").append(part);
    }
    return s.toString();
  }

  private SimpleFileVisitor<Path> visitor(Path start) {
    return new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (!dir.equals(start) && hidden(dir)) {
          skipped.add(relative(dir), SkippedFiles.HIDDEN);
          return FileVisitResult.SKIP_SUBTREE;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        String rel = relative(file);
        if (hidden(file)) {
          skipped.add(rel, SkippedFiles.HIDDEN);
        } else if (attrs.isSymbolicLink()) {
          skipped.add(rel, "broken symbolic link");
        } else if (!ImageWalk.hasImageExtension(file)) {
          skipped.add(rel, SkippedFiles.NOT_AN_IMAGE);
        } else if (!attrs.isRegularFile()) {
          // Never open FIFOs or devices: reading one could block forever.
          skipped.add(rel, "not a regular file");
        } else {
          long mtime = attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
          images.add(new Entry(rel, attrs.size(), mtime));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        if (e instanceof FileSystemLoopException) {
          skipped.add(relative(file), SkippedFiles.LINK_LOOP);
        } else if (!(e instanceof NoSuchFileException)) {
          skipped.add(relative(file), "cannot read: " + ImageWalk.reason(e));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) {
        if (e != null) {
          skipped.add(relative(dir), "cannot list folder: " + ImageWalk.reason(e));
        }
        return FileVisitResult.CONTINUE;
      }
    };
  }
}
