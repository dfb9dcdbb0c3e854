package dev.stn4j.files;

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
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Gathers the image files to classify from paths given by a user: files, and folders walked
 * recursively. Shared by {@code stn classify} and {@code stn spark}.
 *
 * <p>The rule: a path named on the command line is always an input, whatever its extension; inside
 * a folder, only regular files whose extension is in {@link #EXTENSIONS} are (so a README or a
 * {@code .DS_Store} beside the images is not an error, but a text file named {@code .png} is).
 * Folders are walked recursively, following symbolic links; a link that leads back to one of its
 * own ancestors is reported once on the warning channel and not entered again, so loops terminate.
 * Paths are kept in argument order, and sorted within each folder argument. A path that cannot be
 * classified (missing, broken link, FIFO, unreadable folder) is kept as an {@link ImageFile} with
 * its problem, so the caller can report it as a failed input rather than lose it.
 *
 * <pre>{@code
 * List<ImageFile> files = ImageWalk.of(classifier.modelInfo().classNames(), System.err::println)
 *     .find(List.of(Path.of("photos"), Path.of("one.jpg")));
 * }</pre>
 *
 * <p>Immutable; thread-safe if the warnings consumer is.
 */
public final class ImageWalk {
  /** Extensions (lower case) of the formats the image loader reads. */
  public static final Set<String> EXTENSIONS =
      Set.of("png", "jpg", "jpeg", "jpe", "jfif", "bmp", "gif", "tif", "tiff", "wbmp");

  private final List<String> classNames;
  private final Consumer<String> warnings;

  private ImageWalk(List<String> classNames, Consumer<String> warnings) {
    this.classNames = List.copyOf(classNames);
    this.warnings = Objects.requireNonNull(warnings, "warnings");
  }

  /**
   * A walk that labels files by their parent folder's name and sends warnings to {@code warnings}.
   *
   * @param classNames the model's class names: a file whose parent folder bears one (ignoring case)
   *     is labelled with its index
   * @param warnings where to say what was skipped (symbolic-link loops)
   */
  public static ImageWalk of(List<String> classNames, Consumer<String> warnings) {
    return new ImageWalk(classNames, warnings);
  }

  /** The inputs reached from {@code arguments}, in order (see the class comment). */
  public List<ImageFile> find(List<Path> arguments) {
    List<ImageFile> inputs = new ArrayList<>();
    for (Path argument : arguments) {
      if (Files.isDirectory(argument)) {
        List<ImageFile> found = new ArrayList<>();
        walk(argument, found);
        found.sort(Comparator.comparing(f -> f.path().toString()));
        inputs.addAll(found);
      } else if (Files.isRegularFile(argument)) {
        inputs.add(ImageFile.of(argument, labelOf(argument)));
      } else if (Files.exists(argument, LinkOption.NOFOLLOW_LINKS)) {
        String why = Files.isSymbolicLink(argument) ? "broken symbolic link" : "not a regular file";
        inputs.add(ImageFile.failed(argument, labelOf(argument), why));
      } else {
        inputs.add(ImageFile.failed(argument, -1, "no such file or directory"));
      }
    }
    return inputs;
  }

  /**
   * The images of a labelled tree: every sub-folder of {@code root} must be named after one of the
   * classes (ignoring case; hidden folders skipped), and every image under it, nested folders
   * included, is labelled with that class. Sorted by path within each class, classes in folder
   * order.
   *
   * @throws IllegalArgumentException naming {@code root} when it is not a folder or holds no class
   *     folder, or the first sub-folder that is not a class
   * @throws IOException if {@code root} cannot be listed
   */
  public List<ImageFile> findTree(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(root + ": not a folder");
    }
    List<Path> folders;
    try (Stream<Path> list = Files.list(root)) {
      folders =
          list.filter(Files::isDirectory)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted()
              .toList();
    }
    if (folders.isEmpty()) {
      throw new IllegalArgumentException(
          root + ": no class folders (expected one sub-folder per class of the model)");
    }
    List<ImageFile> inputs = new ArrayList<>();
    for (Path folder : folders) {
      int label = classIndex(folder.getFileName().toString());
      if (label < 0) {
        throw new IllegalArgumentException(
            folder + ": not a class of the model (" + shortList(classNames) + ")");
      }
      List<ImageFile> found = new ArrayList<>();
      walk(folder, found);
      found.sort(Comparator.comparing(f -> f.path().toString()));
      for (ImageFile f : found) {
        inputs.add(new ImageFile(f.path(), label, f.problem()));
      }
    }
    return inputs;
  }

  /** "its 3 classes: a, b, c", the first ten only when there are more. */
  static String shortList(List<String> names) {
    int shown = Math.min(10, names.size());
    return "its "
        + names.size()
        + " classes: "
        + String.join(", ", names.subList(0, shown))
        + (shown < names.size() ? ", ..." : "");
  }

  /** True when the file name ends in one of {@link #EXTENSIONS}, ignoring case. */
  public static boolean hasImageExtension(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private void walk(Path root, List<ImageFile> found) {
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
                found.add(ImageFile.of(file, labelOf(file)));
              } else {
                // Never open FIFOs or devices: reading one could block forever.
                String why = attrs.isSymbolicLink() ? "broken symbolic link" : "not a regular file";
                found.add(ImageFile.failed(file, labelOf(file), why));
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
                found.add(ImageFile.failed(file, -1, "cannot read: " + reason(e)));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
              if (e != null) {
                found.add(ImageFile.failed(dir, -1, "cannot list folder: " + reason(e)));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      found.add(ImageFile.failed(root, -1, "cannot walk folder: " + reason(e)));
    }
  }

  /** The index of the class that {@code file}'s parent folder names, or -1. */
  public int labelOf(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null || parent.getFileName() == null) {
      return -1;
    }
    return classIndex(parent.getFileName().toString());
  }

  private int classIndex(String folder) {
    for (int i = 0; i < classNames.size(); i++) {
      if (classNames.get(i).equalsIgnoreCase(folder)) {
        return i;
      }
    }
    return -1;
  }

  /** A short reason for an I/O failure, without the path (which the caller prints). */
  public static String reason(IOException e) {
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
