package dev.stn4j.export;

import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.train.data.TrainingImages;
import dev.stn4j.train.model.StnShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The images {@code stn quantize} reads (a picocli mixin): the training images it calibrates on and
 * the labelled test images it measures the int8 model's accuracy on, either labelled trees of the
 * model's classes (any model; decoded as the SDK decodes files, {@link TreeImages}) or CIFAR-10
 * binary records (CIFAR-10 models).
 *
 * <pre>{@code
 * @Mixin QuantizeImages images = new QuantizeImages();
 * Int8Quantizer.CalibrationImages c = images.calibration(classNames, shape);
 * }</pre>
 */
final class QuantizeImages {
  /** The training file calibration reads in {@code --data-dir}. */
  static final String TRAINING_FILE = Cifar10.TRAIN_FILES.get(0);

  /** Calibration images without {@code --calibration-images}. */
  static final int DEFAULT_CALIBRATION_IMAGES = 1000;

  @Option(
      names = "--calibration-dir",
      paramLabel = "DIR",
      description =
          "labelled tree of the model's TRAINING images (one sub-folder per class): calibration"
              + " takes --calibration-images of them class by class in turn (the first file of"
              + " each class folder, then the second...), files sorted by path")
  private Path calibrationDir;

  @Option(
      names = "--test-dir",
      paramLabel = "DIR",
      description =
          "labelled tree of test images of the model's classes: the int8 model's accuracy on"
              + " them is measured and recorded (the float32 source's is printed beside it)")
  private Path testDir;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "CIFAR-10 binary folder (CIFAR-10 models): calibration reads its first training batch"
              + " (unless --calibration-dir or --calibration-set), and the int8 model's accuracy"
              + " on "
              + Cifar10.TEST_FILE
              + " is measured and recorded")
  private Path dataDir;

  @Option(
      names = "--calibration-set",
      paramLabel = "FILE",
      description = "CIFAR-10 binary records of TRAINING images to calibrate on")
  private Path calibrationSet;

  @Option(
      names = "--calibration-images",
      paramLabel = "N",
      description =
          "calibrate on N images (default: "
              + DEFAULT_CALIBRATION_IMAGES
              + ", or all of a --calibration-dir tree that holds fewer)")
  private Integer calibrationImages;

  /** Why the options cannot work together, or null. */
  String usageProblem() {
    if (calibrationImages != null && calibrationImages < 1) {
      return "--calibration-images must be at least 1, got " + calibrationImages;
    }
    if (calibrationDir == null && calibrationSet == null && dataDir == null) {
      return "give --calibration-dir DIR (a labelled tree of the model's training images),"
          + " --data-dir DIR (CIFAR-10 binary: calibrates on DIR/"
          + TRAINING_FILE
          + ") or --calibration-set FILE (CIFAR-10 training records)";
    }
    if (calibrationDir != null && calibrationSet != null) {
      return "give one of --calibration-dir and --calibration-set";
    }
    if (testDir != null && dataDir != null) {
      return "give one of --test-dir (a labelled tree) and --data-dir (CIFAR-10 binary)";
    }
    return null;
  }

  /** Where the calibration images come from, for the command's report. */
  String describe(Int8Quantizer.CalibrationImages calibration) {
    return calibrationDir != null
        ? calibrationDir + " (" + calibration.selection() + ")"
        : calibration.source();
  }

  /**
   * The training images to calibrate on: {@code --calibration-dir}'s (class by class in turn, see
   * {@link TreeImages#interleaved}), else the first records of {@code --calibration-set} or of
   * {@code --data-dir}'s first training batch.
   *
   * @throws IOException naming the folder or file when it is missing, is a test split, holds fewer
   *     images than {@code --calibration-images} asks for, or is not a labelled tree of the model's
   *     classes
   */
  Int8Quantizer.CalibrationImages calibration(
      List<String> classNames, StnShape shape, String modelName) throws IOException {
    if (calibrationDir != null) {
      if (testDir != null
          && Files.isDirectory(testDir)
          && Files.isDirectory(calibrationDir)
          && Files.isSameFile(testDir, calibrationDir)) {
        throw new IOException(
            calibrationDir + ": is also --test-dir; calibration uses training images only");
      }
      TreeImages all = TreeImages.of(calibrationDir, classNames, shape.imageSize());
      int wanted = calibrationImages == null ? DEFAULT_CALIBRATION_IMAGES : calibrationImages;
      if (calibrationImages != null && all.size() < wanted) {
        throw new IOException(
            calibrationDir
                + ": has "
                + all.size()
                + " images, fewer than --calibration-images "
                + wanted);
      }
      Path name = calibrationDir.toAbsolutePath().normalize().getFileName();
      return new Int8Quantizer.CalibrationImages(
          all.interleaved(wanted),
          (name == null ? "" : name.toString()) + "/",
          Int8Quantizer.CalibrationImages.CLASS_BY_CLASS);
    }
    int wanted = calibrationImages == null ? DEFAULT_CALIBRATION_IMAGES : calibrationImages;
    if (shape.imageSize() != Cifar10.HEIGHT) {
      // Said before the records are counted or read: no CIFAR-10 file can calibrate this model.
      throw cifarOfAnotherSize(calibrationSet != null ? calibrationSet : dataDir, shape, modelName);
    }
    Path file =
        calibrationSet != null ? calibrationSet : cifarFile(TRAINING_FILE, "--calibration-dir");
    QuantizeCommand.existing(file, "calibration set");
    if (file.getFileName().toString().startsWith("test_batch")) {
      throw new IOException(
          file + ": is a test batch; calibration uses training images only (data_batch_*.bin)");
    }
    CifarBatch all = CifarBatch.read(file);
    if (all.size() < wanted) {
      throw new IOException(
          file + ": has " + all.size() + " records, fewer than --calibration-images " + wanted);
    }
    return new Int8Quantizer.CalibrationImages(all.head(wanted), file.getFileName().toString());
  }

  /** The labelled test images: the --test-dir tree, or --data-dir's test batch; null if neither. */
  TrainingImages test(List<String> classNames, StnShape shape) throws IOException {
    if (testDir != null) {
      return TreeImages.of(testDir, classNames, shape.imageSize());
    }
    if (dataDir != null) {
      return TrainingImages.of(
          CifarBatch.read(
              QuantizeCommand.existing(cifarFile(Cifar10.TEST_FILE, "--test-dir"), "test batch")));
    }
    return null;
  }

  private static IOException cifarOfAnotherSize(Path given, StnShape shape, String modelName) {
    return new IOException(
        String.format(
            "%s: CIFAR-10 records are 32x32 images, but %s takes %dx%d images (give"
                + " --calibration-dir, a labelled tree of its own training images)",
            given, modelName, shape.imageSize(), shape.imageSize()));
  }

  /**
   * {@code --data-dir}'s CIFAR-10 file {@code name}.
   *
   * @throws IOException when it is missing, pointing a user who gave a tree to {@code treeOption}
   */
  private Path cifarFile(String name, String treeOption) throws IOException {
    Path file = dataDir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          file
              + ": not found (--data-dir takes CIFAR-10's binary batches; for a labelled tree of"
              + " images give "
              + treeOption
              + ")");
    }
    return file;
  }
}
