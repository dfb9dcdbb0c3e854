package dev.stn4j.train.data;

import dev.stn4j.files.ImageWalk;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A labelled image folder, scanned but not decoded: one sub-folder per class, the folder's name the
 * class name. The rules:
 *
 * <ul>
 *   <li>classes are sorted by their names ({@link String} order) and numbered from 0;
 *   <li>files in nested folders inside a class folder count for that class; symbolic links are
 *       followed, and a link back to a folder it is in is skipped (and counted), so loops end;
 *   <li>hidden files and folders (name starting with '.'), files whose extension the SDK's image
 *       loader does not read ({@link ImageWalk#EXTENSIONS}, any case) and files directly in the
 *       tree's folder are skipped and counted ({@link #skipped()});
 *   <li>images are numbered class by class, each class's files sorted by relative path.
 * </ul>
 *
 * Training trees need at least 2 classes, no empty class folder and at least 2 images per class; a
 * test tree ({@link #scanTest}) needs exactly the training classes and at least 1 image per class.
 * Breaking a rule is an {@link ImageTreeException} naming the folder.
 *
 * <pre>{@code
 * ImageTree train = ImageTree.scan(Path.of("photos"));
 * ImageTree test = train.scanTest(Path.of("photos-test"));
 * System.out.println(train.size() + " images, " + train.classNames().size() + " classes, "
 *     + train.skipped().summary());
 * }</pre>
 *
 * <p>Immutable.
 */
public final class ImageTree {
  private final Path root;
  private final List<String> classNames;
  private final int minPerClass;
  private final String[] relative;
  private final long[] sizes;
  private final long[] modified;
  private final int[] labels;
  private final int[] counts;
  private final SkippedFiles skipped;

  private ImageTree(
      Path root,
      List<String> classNames,
      int minPerClass,
      List<ClassFolderWalk> walks,
      SkippedFiles skipped) {
    this.root = root;
    this.classNames = List.copyOf(classNames);
    this.minPerClass = minPerClass;
    this.skipped = skipped;
    int n = walks.stream().mapToInt(w -> w.images.size()).sum();
    relative = new String[n];
    sizes = new long[n];
    modified = new long[n];
    labels = new int[n];
    counts = new int[walks.size()];
    int i = 0;
    for (int c = 0; c < walks.size(); c++) {
      counts[c] = walks.get(c).images.size();
      for (ClassFolderWalk.Entry e : walks.get(c).images) {
        relative[i] = e.relative();
        sizes[i] = e.size();
        modified[i] = e.modifiedNanos();
        labels[i++] = c;
      }
    }
  }

  /**
   * Scans a training tree.
   *
   * @throws ImageTreeException when {@code dir} is missing or not a folder, has fewer than 2 class
   *     folders, an empty class folder or a class with fewer than 2 images
   */
  public static ImageTree scan(Path dir) throws ImageTreeException {
    SkippedFiles.Tally skipped = new SkippedFiles.Tally();
    List<String> folders = classFolders(dir, skipped);
    if (folders.size() < 2) {
      String found =
          folders.isEmpty()
              ? "no class folders (one sub-folder per class expected; "
                  + skipped.result().summary()
                  + ")"
              : "1 class folder (" + folders.get(0) + ")";
      throw new ImageTreeException(dir + ": " + found + "; training needs at least 2");
    }
    return walk(dir, folders, 2, skipped);
  }

  /**
   * Scans a tree of test (or evaluation) images against this tree's classes.
   *
   * @throws ImageTreeException when {@code dir} is missing or not a folder, lacks a class folder of
   *     this tree or has one this tree lacks, or has an empty class folder
   */
  public ImageTree scanTest(Path dir) throws ImageTreeException {
    return scanWithClasses(dir, classNames);
  }

  /**
   * Scans a tree whose class folders must be exactly {@code classNames} (e.g. a model's classes);
   * labels are indices in {@code classNames}, in its order. Each class needs at least 1 image.
   *
   * @throws ImageTreeException as {@link #scanTest}
   */
  public static ImageTree scanWithClasses(Path dir, List<String> classNames)
      throws ImageTreeException {
    SkippedFiles.Tally skipped = new SkippedFiles.Tally();
    List<String> folders = classFolders(dir, skipped);
    Set<String> expected = new HashSet<>(classNames);
    for (String folder : folders) {
      if (!expected.contains(folder)) {
        throw new ImageTreeException(
            dir.resolve(folder)
                + ": not one of the training data's "
                + classNames.size()
                + " classes ("
                + abbreviated(classNames)
                + ")");
      }
    }
    Set<String> present = new HashSet<>(folders);
    for (String name : classNames) {
      if (!present.contains(name)) {
        throw new ImageTreeException(
            dir + ": no class folder '" + name + "' (the training data has one per class)");
      }
    }
    return walk(dir, classNames, 1, skipped);
  }

  private static ImageTree walk(
      Path dir, List<String> classes, int minPerClass, SkippedFiles.Tally skipped)
      throws ImageTreeException {
    List<ClassFolderWalk> walks = new ArrayList<>(classes.size());
    for (String name : classes) {
      ClassFolderWalk walk = ClassFolderWalk.of(dir, name);
      Path folder = dir.resolve(name);
      int n = walk.images.size();
      if (n == 0) {
        SkippedFiles here = walk.skipped.result();
        String why = here.total() == 0 ? "empty folder" : here.summary();
        throw new ImageTreeException(folder + ": no image files (" + why + ")");
      }
      if (n < minPerClass) {
        throw new ImageTreeException(
            String.format(
                "%s: %d image file (%s); training needs at least %d per class",
                folder, n, walk.images.get(0).relative(), minPerClass));
      }
      skipped.addAll(walk.skipped.result());
      walks.add(walk);
    }
    return new ImageTree(dir, classes, minPerClass, walks, skipped.result());
  }

  /** The non-hidden sub-folders of {@code dir}, sorted; everything else is tallied as skipped. */
  private static List<String> classFolders(Path dir, SkippedFiles.Tally skipped)
      throws ImageTreeException {
    if (!Files.exists(dir)) {
      throw new ImageTreeException(dir + ": no such folder");
    }
    if (!Files.isDirectory(dir)) {
      throw new ImageTreeException(
          dir + ": not a folder (a labelled image tree is one sub-folder per class)");
    }
    TreeSet<String> folders = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      List<Path> sorted = new ArrayList<>();
      entries.forEach(sorted::add);
      sorted.sort(null);
      for (Path entry : sorted) {
        String name = entry.getFileName().toString();
        if (ClassFolderWalk.hidden(entry)) {
          skipped.add(name, SkippedFiles.HIDDEN);
        } else if (Files.isDirectory(entry)) {
          folders.add(name);
        } else {
          boolean broken = Files.isSymbolicLink(entry) && !Files.exists(entry);
          skipped.add(name, broken ? "broken symbolic link" : SkippedFiles.OUTSIDE_CLASSES);
        }
      }
    } catch (IOException e) {
      throw new ImageTreeException(dir + ": cannot list folder: " + ImageWalk.reason(e), e);
    }
    return new ArrayList<>(folders);
  }

  private static String abbreviated(List<String> names) {
    if (names.size() <= 10) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, 10)) + ", ...";
  }

  /** The folder scanned. */
  public Path root() {
    return root;
  }

  /** The class names; label {@code c} is {@code classNames().get(c)}. */
  public List<String> classNames() {
    return classNames;
  }

  /** Number of image files. */
  public int size() {
    return labels.length;
  }

  /** The class of image {@code i}. */
  public int label(int i) {
    return labels[i];
  }

  /** Image {@code i}'s path relative to {@link #root()}, '/'-separated, e.g. {@code cats/a.png}. */
  public String relativePath(int i) {
    return relative[i];
  }

  /** Image {@code i}'s file. */
  public Path file(int i) {
    return root.resolve(relative[i]);
  }

  /** Number of images of class {@code c}. */
  public int count(int c) {
    return counts[c];
  }

  /** What the scan skipped, and why. */
  public SkippedFiles skipped() {
    return skipped;
  }

  /** Images each class must keep: 2 for a training tree, 1 for a test tree. */
  int minPerClass() {
    return minPerClass;
  }

  long fileSize(int i) {
    return sizes[i];
  }

  long modifiedNanos(int i) {
    return modified[i];
  }

  @Override
  public String toString() {
    return root + " (" + size() + " images, " + classNames.size() + " classes)";
  }
}
