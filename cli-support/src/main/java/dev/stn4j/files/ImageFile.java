package dev.stn4j.files;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One input found by {@link ImageWalk}: a file to classify, or a path that already failed while the
 * inputs were gathered ({@code problem} set: missing, broken link, unreadable folder...).
 *
 * <pre>{@code
 * for (ImageFile f : ImageWalk.of(classNames).find(List.of(Path.of("photos")))) {
 *   if (f.problem() != null) System.err.println(f.path() + ": " + f.problem());
 * }
 * }</pre>
 *
 * @param path the path as reached from the argument it was found under
 * @param trueClass index of the class named by the parent folder in a labelled tree, or -1
 * @param problem why this path cannot be classified, or null when it is to be decoded
 */
public record ImageFile(Path path, int trueClass, String problem) {
  public ImageFile {
    Objects.requireNonNull(path, "path");
    if (trueClass < -1) {
      throw new IllegalArgumentException("trueClass must be >= -1, got " + trueClass);
    }
  }

  /** A file to decode. */
  public static ImageFile of(Path path, int trueClass) {
    return new ImageFile(path, trueClass, null);
  }

  /** A path that cannot be classified, and why. */
  public static ImageFile failed(Path path, int trueClass, String problem) {
    return new ImageFile(path, trueClass, Objects.requireNonNull(problem, "problem"));
  }

  /** True when the parent folder names a class. */
  public boolean labelled() {
    return trueClass >= 0;
  }
}
