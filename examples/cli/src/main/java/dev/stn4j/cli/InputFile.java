package dev.stn4j.cli;

import java.nio.file.Path;

/**
 * One input of {@code stn classify}: a file to classify, or a path that already failed while the
 * inputs were gathered ({@code problem} set: missing, broken link, unreadable folder...).
 *
 * @param path the path as reached from the command-line argument, printed in every record
 * @param trueClass index of the class named by the parent folder in a labelled tree, or -1
 * @param problem why this path cannot be classified, or null when it is to be decoded
 */
record InputFile(Path path, int trueClass, String problem) {
  static InputFile of(Path path, int trueClass) {
    return new InputFile(path, trueClass, null);
  }

  static InputFile failed(Path path, int trueClass, String problem) {
    return new InputFile(path, trueClass, problem);
  }

  boolean labelled() {
    return trueClass >= 0;
  }
}
