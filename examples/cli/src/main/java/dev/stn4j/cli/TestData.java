package dev.stn4j.cli;

import dev.stn4j.data.Cifar10;
import dev.stn4j.sdk.ModelInfo;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code stn evaluate} and {@code stn robustness} find labelled test images: CIFAR-10's
 * {@code test_batch.bin} in {@code --data-dir} (by default the cache {@code stn train} downloads
 * into), or a labelled image tree ({@code <class name>/<images>}). Neither command downloads.
 *
 * @param path the test batch file, or the tree's root folder
 * @param tree whether {@code path} is a labelled tree
 */
record TestData(Path path, boolean tree) {
  /**
   * Finds the test images in {@code dataDir} (null: the default cache) for {@code command} (its
   * name in messages).
   *
   * @throws FileNotFoundException naming the folder or file and what to do, when there are none
   */
  static TestData locate(Path dataDir, String command) throws IOException {
    Path dir = dataDir;
    if (dir == null) {
      dir =
          Cifar10.defaultDataDir()
              .orElseThrow(
                  () ->
                      new FileNotFoundException(
                          "no per-user cache directory to find CIFAR-10 in; pass --data-dir"));
    }
    if (dataDir != null && !Files.isDirectory(dir)) {
      throw new FileNotFoundException(
          dir
              + (Files.exists(dir) ? ": not a directory" : ": no such directory")
              + " (--data-dir takes the folder of test_batch.bin or a labelled image tree)");
    }
    Path file = dir.resolve(Cifar10.TEST_FILE);
    if (!Files.isRegularFile(file) && TreeEvaluation.looksLikeTree(dir)) {
      return new TestData(dir, true);
    }
    if (!Files.isRegularFile(file)) {
      throw new FileNotFoundException(
          file
              + ": not found ("
              + command
              + " does not download; run 'stn train' once, or pass --data-dir with the folder of"
              + " the CIFAR-10 binary version or a labelled image tree)");
    }
    return new TestData(file, false);
  }

  /**
   * Refuses CIFAR-10's test batch for a model that does not take 32×32 images of 10 classes.
   *
   * @throws IllegalArgumentException naming the file and the model's shape
   */
  void checkFits(ModelInfo info) {
    if (tree) {
      return;
    }
    if (info.imageSize() != Cifar10.HEIGHT || info.classNames().size() != Cifar10.NUM_CLASSES) {
      throw new IllegalArgumentException(
          String.format(
              "%s: CIFAR-10's test batch (32x32, 10 classes) does not fit this model (%dx%d, %d"
                  + " classes); pass --data-dir with a labelled image tree of its classes",
              path, info.imageSize(), info.imageSize(), info.classNames().size()));
    }
  }
}
