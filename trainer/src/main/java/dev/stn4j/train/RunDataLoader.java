package dev.stn4j.train;

import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.train.data.ChannelStats;
import dev.stn4j.train.data.CifarFiles;
import dev.stn4j.train.data.DecodeCache;
import dev.stn4j.train.data.ImageTree;
import dev.stn4j.train.data.StratifiedSplit;
import dev.stn4j.train.data.TrainingImages;
import dev.stn4j.train.model.Normalization;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a run's data from {@code --data-dir}: CIFAR-10's binary batches (recognised by their files)
 * or a labelled image folder, decoded once into a {@link DecodeCache}, split, and measured for the
 * model's normalisation.
 *
 * <pre>{@code
 * RunData data = new RunDataLoader(request, console, out).load();
 * }</pre>
 */
final class RunDataLoader {
  /**
   * What to read.
   *
   * @param dataDir the CIFAR-10 folder or the training tree
   * @param testDir a test tree (image folders only), or null
   * @param validation the held-out images: a count, or a fraction of the training images; null when
   *     not given (none, or {@link Validation#FOLDER_DEFAULT} for a folder without a test folder)
   * @param imageSize the side S the images are made
   * @param seed the run's seed, which also draws the validation split of a tree
   * @param recordsPerFile records per CIFAR-10 batch file (smaller in tests)
   * @param cacheRoot where decoded image folders are kept
   */
  record Request(
      Path dataDir,
      Path testDir,
      Validation validation,
      int imageSize,
      long seed,
      int recordsPerFile,
      Path cacheRoot) {}

  /** {@code --validation}: a number of images, or a share of them when it has a decimal point. */
  record Validation(int count, double fraction) {
    static final Validation NONE = new Validation(0, 0);

    /** An image folder without a test folder still needs a split to measure the model on. */
    static final Validation FOLDER_DEFAULT = new Validation(0, 0.1);

    static Validation parse(String text) {
      String t = text.trim();
      try {
        if (t.contains(".")) {
          double f = Double.parseDouble(t);
          if (!(f > 0 && f < 1)) {
            throw new IllegalArgumentException(
                "--validation " + text + ": a fraction must be strictly between 0 and 1");
          }
          return new Validation(0, f);
        }
        int n = Integer.parseInt(t);
        if (n < 0) {
          throw new IllegalArgumentException("--validation must be >= 0 images, got " + text);
        }
        return new Validation(n, 0);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--validation " + text + ": expected a number of images (5000) or a fraction (0.1)");
      }
    }

    /** The number of images held out of {@code total}. */
    int countOf(int total) {
      return fraction > 0 ? StratifiedSplit.countFor(fraction, total) : count;
    }

    boolean none() {
      return count == 0 && fraction == 0;
    }
  }

  private final Request request;
  private final PrintStream console;
  private final PrintWriter out;

  /**
   * @param console where progress bars go; null for none
   * @param out where the run reports what it read
   */
  RunDataLoader(Request request, PrintStream console, PrintWriter out) {
    this.request = request;
    this.console = console;
    this.out = out;
  }

  /** Whether {@code dir} holds CIFAR-10's binary version rather than a labelled image folder. */
  static boolean isCifarBinary(Path dir) {
    return Files.isRegularFile(dir.resolve(Cifar10.TRAIN_FILES.get(0)))
        || Files.isRegularFile(dir.resolve(Cifar10.TEST_FILE));
  }

  RunData load() throws IOException {
    return isCifarBinary(request.dataDir()) ? cifar() : tree();
  }

  private RunData cifar() throws IOException {
    if (request.testDir() != null) {
      throw new IllegalArgumentException(
          "--test-dir is for image folders: CIFAR-10's binary folder has its own test batch");
    }
    if (request.imageSize() != Cifar10.WIDTH) {
      throw new IllegalArgumentException(
          "--image-size "
              + request.imageSize()
              + ": CIFAR-10's binary batches are 32x32 (write them as an image folder to train"
              + " at another size)");
    }
    CifarFiles files = CifarFiles.withRecordsPerFile(request.dataDir(), request.recordsPerFile());
    files.verify();
    out.printf(Locale.ROOT, "data: %s (%s)%n", files.dir(), files.description());
    CifarBatch train = files.readTrain();
    CifarBatch held = null;
    Validation spec = request.validation() == null ? Validation.NONE : request.validation();
    int validation = spec.countOf(train.size());
    if (validation > 0) {
      if (validation >= train.size()) {
        throw new IllegalArgumentException(
            "--validation " + validation + " leaves no training images of " + train.size());
      }
      held = train.tail(validation);
      train = train.head(train.size() - validation);
      out.printf(
          Locale.ROOT,
          "validation: the last %,d training images, %,d left to train on%n",
          held.size(),
          train.size());
    }
    return RunData.cifar(files.description(), train, held, files.readTest());
  }

  private RunData tree() throws IOException {
    ImageTree tree = ImageTree.scan(request.dataDir());
    out.printf(Locale.ROOT, "data: %s (image folder: %s)%n", tree.root(), contents(tree));
    DecodeCache images = cache(tree);
    Validation spec = request.validation();
    if (spec == null) {
      spec = request.testDir() == null ? Validation.FOLDER_DEFAULT : Validation.NONE;
    }
    if (spec.none() && request.testDir() == null) {
      throw new IllegalArgumentException(
          request.dataDir()
              + ": an image folder needs a test folder (--test-dir) or a validation split"
              + " (--validation, e.g. 0.1) to measure the model on");
    }
    StratifiedSplit split =
        StratifiedSplit.holdOut(images, spec.countOf(images.size()), request.seed());
    TrainingImages train = images.subset(split.train());
    TrainingImages validation =
        split.validation().length == 0 ? null : images.subset(split.validation());
    if (validation != null) {
      out.printf(
          Locale.ROOT,
          "validation: %,d images held out (stratified per class, seed %d), %,d left to train on%n",
          validation.size(),
          request.seed(),
          train.size());
    }
    TrainingImages test = null;
    if (request.testDir() != null) {
      ImageTree testTree = tree.scanTest(request.testDir());
      out.printf(Locale.ROOT, "test: %s (image folder: %s)%n", testTree.root(), contents(testTree));
      test = cache(testTree);
    }
    ChannelStats stats = ChannelStats.of(train);
    Normalization normalization = new Normalization(stats.mean(), stats.std());
    out.printf(Locale.ROOT, "normalization (training split): %s%n", normalization.toJson());
    String description =
        String.format(
            Locale.ROOT,
            "image folder %s (%d classes, %d images)",
            tree.root().getFileName(),
            tree.classNames().size(),
            images.size());
    return new RunData(
        description,
        tree.classNames(),
        normalization,
        train,
        validation,
        test,
        samples(validation != null ? validation : test, tree.classNames().size()));
  }

  private static String contents(ImageTree tree) {
    return String.format(
        Locale.ROOT,
        "%,d images in %d classes; skipped: %s",
        tree.size(),
        tree.classNames().size(),
        tree.skipped().summary());
  }

  private DecodeCache cache(ImageTree tree) throws IOException {
    long started = System.nanoTime();
    DecodeCache cache = DecodeCache.open(tree, request.imageSize(), request.cacheRoot(), console);
    out.printf(
        Locale.ROOT,
        "cache: %s (%s, %,d bytes, %.1f s)%n",
        cache.directory(),
        cache.built() ? "built" : "reused",
        cache.bytes(),
        (System.nanoTime() - started) / 1e9);
    if (!cache.unreadable().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "unreadable: %,d files skipped (listed in %s)%n",
          cache.unreadable().size(),
          cache.directory().resolve("manifest.json"));
      for (DecodeCache.Unreadable u : cache.unreadable()) {
        out.printf(Locale.ROOT, "  %s: %s%n", u.path(), u.message());
      }
    }
    return cache;
  }

  /**
   * Images of {@code split} for the exported model to check itself on, as bytes: taken one class
   * after another (the first image of each class, then the second...), so that the set, and the
   * sample row of the service's page, shows every class it can even when the split is in class
   * order (a test folder).
   */
  static SampleImages samples(TrainingImages split, int classes) {
    int s = split.imageSize();
    int n = Math.min(split.size(), SampleImages.limit(s));
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < split.size(); i++) {
      byClass.get(split.label(i)).add(i);
    }
    int[] chosen = new int[n];
    for (int taken = 0, round = 0; taken < n; round++) {
      for (int c = 0; c < classes && taken < n; c++) {
        if (round < byClass.get(c).size()) {
          chosen[taken++] = byClass.get(c).get(round);
        }
      }
    }
    int values = split.imageValues();
    int[] labels = new int[n];
    byte[] pixels = new byte[n * values];
    float[] image = new float[values];
    for (int i = 0; i < n; i++) {
      labels[i] = split.label(chosen[i]);
      split.copyImage(chosen[i], image, 0);
      for (int k = 0; k < values; k++) {
        pixels[i * values + k] = (byte) Math.round(image[k] * 255f);
      }
    }
    return new SampleImages(s, labels, pixels);
  }
}
