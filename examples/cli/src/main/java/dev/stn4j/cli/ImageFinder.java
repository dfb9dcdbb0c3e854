package dev.stn4j.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Gathers the inputs of {@code stn classify} from its path arguments.
 *
 * <p>The rule: a path named on the command line is always an input, whatever its extension; inside
 * a folder, only regular files whose extension is in {@link #EXTENSIONS} are (so a README or a
 * {@code .DS_Store} beside the images is not an error, but a text file named {@code .png} is).
 * Folders are walked recursively, following symbolic links; a link that leads back to one of its
 * own ancestors is reported once on the warning channel and not entered again, so loops terminate.
 * Paths are kept in argument order, and sorted within each folder argument.
 */
final class ImageFinder {
  /** Extensions (lower case) of the formats the image loader reads. */
  static final Set<String> EXTENSIONS =
      Set.of("png", "jpg", "jpeg", "jpe", "jfif", "bmp", "gif", "tif", "tiff", "wbmp");

  private final List<String> classNames;
  private final Consumer<String> warnings;

  /**
   * @param classNames the model's class names: a file whose parent folder bears one is labelled
   * @param warnings where to say what was skipped (symbolic-link loops)
   */
  ImageFinder(List<String> classNames, Consumer<String> warnings) {
    this.classNames = List.copyOf(classNames);
    this.warnings = warnings;
  }

  /** The inputs reached from {@code arguments}, in order (see the class comment). */
  List<InputFile> find(List<Path> arguments) {
    List<InputFile> inputs = new ArrayList<>();
    for (Path argument : arguments) {
      if (Files.isDirectory(argument)) {
        List<InputFile> found = new ArrayList<>();
        walk(argument, found);
        found.sort(Comparator.comparing(f -> f.path().toString()));
        inputs.addAll(found);
      } else if (Files.isRegularFile(argument)) {
        inputs.add(InputFile.of(argument, labelOf(argument)));
      } else if (Files.exists(argument, LinkOption.NOFOLLOW_LINKS)) {
        String why = Files.isSymbolicLink(argument) ? "broken symbolic link" : "not a regular file";
        inputs.add(InputFile.failed(argument, labelOf(argument), why));
      } else {
        inputs.add(InputFile.failed(argument, -1, "no such file or directory"));
      }
    }
    return inputs;
  }

  static boolean hasImageExtension(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private void walk(Path root, List<InputFile> found) {
    try {
      Files.walkFileTree(
          root,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (!hasImageExtension(file)) {
                return FileVisitResult.CONTINUE;
              }
              if (attrs.isRegularFile()) {
                found.add(InputFile.of(file, labelOf(file)));
              } else {
                // Never open FIFOs or devices: reading one could block forever.
                String why = attrs.isSymbolicLink() ? "broken symbolic link" : "not a regular file";
                found.add(InputFile.failed(file, labelOf(file), why));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              if (e instanceof FileSystemLoopException) {
                warnings.accept("skipping " + file + ": symbolic link loop");
              } else if (e instanceof NoSuchFileException) {
                // Removed while walking: nothing to classify.
              } else {
                found.add(InputFile.failed(file, -1, "cannot read: " + reason(e)));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
              if (e != null) {
                found.add(InputFile.failed(dir, -1, "cannot list folder: " + reason(e)));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      found.add(InputFile.failed(root, -1, "cannot walk folder: " + reason(e)));
    }
  }

  private int labelOf(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null || parent.getFileName() == null) {
      return -1;
    }
    String folder = parent.getFileName().toString();
    for (int i = 0; i < classNames.size(); i++) {
      if (classNames.get(i).equalsIgnoreCase(folder)) {
        return i;
      }
    }
    return -1;
  }

  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
