package dev.stn4j.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.stn4j.commandline.StnCommandLine;
import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarDataException;
import dev.stn4j.train.data.CifarDownloader;
import dev.stn4j.train.data.CifarFiles;
import dev.stn4j.train.data.DecodeCache;
import dev.stn4j.train.model.StnShape;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stn train}: trains the STN with DJL's PyTorch engine, offline, on CIFAR-10's binary
 * batches or on a labelled image folder (one sub-folder per class), writing a checkpoint, a
 * JSON-lines log and a PNG of the curves after every epoch.
 *
 * <pre>{@code
 * ./stn train --data-dir ../shared/data/cifar-10-batches-bin --output runs/full
 * ./stn train --data-dir photos/train --test-dir photos/test --image-size 64 --output runs/photos
 * ./stn train --output runs/full --resume      # continue after an interruption
 * ./stn train --summary --image-size 64 --classes 3   # the layer table, no training
 * }</pre>
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train the STN on CIFAR-10 or on a labelled image folder (DJL, PyTorch engine, offline).")
public final class TrainCommand implements Callable<Integer> {
  /** The recipe lives once, in {@link TrainSettings.Builder}; the options start from it. */
  private static final TrainSettings RECIPE = TrainSettings.builder().build();

  @Spec CommandSpec spec;

  @Option(
      names = "--summary",
      description =
          "Print the layer table for --image-size and --classes and exit, without training.")
  boolean summary;

  @Option(
      names = "--classes",
      description = "Number of classes of the --summary table (default: ${DEFAULT-VALUE}).")
  int classes = Cifar10.NUM_CLASSES;

  @Option(
      names = "--data-dir",
      description =
          "CIFAR-10's binary folder, or a labelled image folder: one sub-folder per class, named"
              + " after it; PNG, JPEG, BMP, GIF or TIFF files, nested folders count for their"
              + " class (default: CIFAR-10 in the per-user cache, downloaded when missing).")
  Path dataDir;

  @Option(
      names = "--test-dir",
      description =
          "Image folders only: a folder with the same class sub-folders, evaluated after every"
              + " epoch when there is no validation split, for the final test figure.")
  Path testDir;

  @Option(
      names = "--image-size",
      description =
          "Side S of the square images the model takes; every image goes through the SDK's"
              + " pre-processing to SxS (default: ${DEFAULT-VALUE}; at least "
              + StnShape.SMALLEST_IMAGE_SIZE
              + ").")
  int imageSize = TrainSettings.RECIPE_IMAGE_SIZE;

  @Option(
      names = "--cache-dir",
      description =
          "Where image folders are kept decoded, one cache per folder and size (default: the"
              + " per-user cache's image-cache folder).")
  Path cacheDir;

  @Option(
      names = "--clear-cache",
      description =
          "Delete the decoded image-folder caches (in --cache-dir) and exit, saying how much was"
              + " freed.")
  boolean clearCache;

  @Option(
      names = "--output",
      description = "Run folder: checkpoint, log, curves (default: ${DEFAULT-VALUE}).")
  Path output = Path.of("runs", "latest");

  @Option(names = "--resume", description = "Continue the run in --output from its checkpoint.")
  boolean resume;

  @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs = RECIPE.epochs();

  @Option(names = "--batch-size", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batchSize = RECIPE.batchSize();

  @Option(
      names = "--lr",
      description = "Peak (one-cycle) or constant learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate = RECIPE.learningRate();

  @Option(names = "--schedule", description = "one-cycle | constant (default: ${DEFAULT-VALUE}).")
  String schedule = "one-cycle";

  @Option(
      names = "--warmup",
      description = "One-cycle warm-up share of the steps (default: ${DEFAULT-VALUE}).")
  double warmup = RECIPE.warmupFraction();

  @Option(
      names = "--loc-lr-factor",
      description =
          "Localization net's rate relative to the classifier's (default: ${DEFAULT-VALUE}).")
  double locLrFactor = RECIPE.locLrFactor();

  @Option(
      names = "--momentum",
      description = "SGD momentum, 0 for plain SGD (default: ${DEFAULT-VALUE}).")
  double momentum = RECIPE.momentum();

  @Option(names = "--weight-decay", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay = RECIPE.weightDecay();

  @Option(
      names = "--flip",
      negatable = true,
      description =
          "Random horizontal flips (default: on, also for image folders: turn them off with"
              + " --no-flip where mirrored images mean something else, e.g. text or signs).")
  boolean flip = RECIPE.flip();

  @Option(
      names = "--conv-dropout",
      description = "Dropout2d rate after the classifier's 2nd conv (default: ${DEFAULT-VALUE}).")
  float convDropout = RECIPE.convDropout();

  @Option(
      names = "--fc-dropout",
      description =
          "Dropout rate after the classifier's 1st linear layer (default: ${DEFAULT-VALUE}).")
  float fcDropout = RECIPE.fcDropout();

  @Option(
      names = "--validation",
      paramLabel = "N|FRACTION",
      description =
          "Hold out N training images, or a fraction such as 0.1, as a validation split, reported"
              + " per epoch; the test split is then not evaluated. CIFAR-10: the last N training"
              + " images; image folders: drawn per class (stratified) with the seed (default: 0;"
              + " 0.1 for an image folder without --test-dir).")
  String validation;

  @Option(
      names = "--label-smoothing",
      description = "Label smoothing ε of the cross-entropy (default: ${DEFAULT-VALUE}).")
  double labelSmoothing = RECIPE.labelSmoothing();

  @Option(
      names = "--translate",
      description =
          "Random shifts of up to this many pixels (zero-pad and crop) (default: 2 at 32x32,"
              + " scaled with --image-size: round(S/16)).")
  Integer translate;

  @Option(
      names = "--ema",
      description =
          "Decay of an exponential moving average of the weights, evaluated and exported; 0 for"
              + " none, e.g. 0.999 (default: ${DEFAULT-VALUE}).")
  double emaDecay = RECIPE.emaDecay();

  @Option(
      names = "--threads",
      description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}).")
  int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = RECIPE.seed();

  // Tests train on small synthetic batch files; the real data set always has 10,000 per file.
  @Option(names = "--records-per-file", hidden = true)
  int recordsPerFile = CifarFiles.RECORDS_PER_FILE;

  @Option(
      names = "--stop-after-epoch",
      description = "Stop after this epoch, as if interrupted; --resume continues the run.")
  Integer stopAfterEpoch;

  @Option(
      names = "--no-progress",
      description = "No progress bars (they are also off when stderr is not a terminal).")
  boolean noProgress;

  @Option(
      names = "--onednn-isa",
      paramLabel = "ISA",
      defaultValue = "auto",
      converter = IsaConverter.class,
      description =
          "How far PyTorch's oneDNN kernels may go in the instruction set: auto (a short probe"
              + " checks that convolution gradients repeat exactly uncapped; its verdict is cached"
              + " per machine), none (uncapped), cap (the safe cap, "
              + OneDnnIsa.SAFE_CAP
              + "), or a oneDNN ISA name such as"
              + " AVX2 (default: ${DEFAULT-VALUE}). Without the safe cap, a non-finite loss or"
              + " gradient resumes the run from its last checkpoint with the safe cap.")
  OneDnnIsa onednnIsa;

  @Option(names = TrainingRelaunch.RELAUNCHED, hidden = true)
  boolean relaunched;

  /** Child JVMs write to the terminal; tests set this false to read them through the writers. */
  boolean childInheritsIo = true;

  /** A test's hook into the training loop (to make a gradient NaN); null in real runs. */
  Trainer.AfterBackward afterBackward;

  static final class IsaConverter implements CommandLine.ITypeConverter<OneDnnIsa> {
    @Override
    public OneDnnIsa convert(String value) {
      try {
        return OneDnnIsa.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    StnCommandLine.exit(commandLine(), args);
  }

  /** The {@code stn} command line with {@code train} as its sub-command (for tests). */
  static CommandLine commandLine() {
    return StnCommandLine.root(new TrainCommand());
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (summary) {
      out.print(ModelSummary.table(new StnShape(imageSize, classes)));
      out.flush();
      return 0;
    }
    if (clearCache) {
      Path root = imageCacheRoot();
      out.printf(
          Locale.ROOT,
          "removed %,d bytes of decoded image folders from %s%n",
          DecodeCache.remove(root),
          root);
      out.flush();
      return 0;
    }
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }
    // Every option is checked before any data is read (the split's size is known only after).
    new StnShape(imageSize, 2);
    settings(0);
    RunOutput run = new RunOutput(output);
    Checkpoint resumed = null;
    if (resume) {
      resumed = Checkpoint.read(run.checkpoint());
      if (resumed.momentum() == null) {
        throw new CheckpointException(
            run.checkpoint() + ": holds no optimizer state; cannot resume");
      }
    } else if (Files.exists(run.checkpoint())) {
      throw new IllegalArgumentException(
          run.checkpoint() + " exists: use --resume to continue it, or another --output");
    }

    OneDnnPlacement placement = placement();
    Integer childExit = placement.trainWhereTheCapIsRight();
    if (childExit != null) {
      return childExit;
    }
    try {
      train(run, resumed, out);
      return 0;
    } catch (NonFiniteTrainingException e) {
      return placement.resumeWithTheSafeCap(e, run);
    }
  }

  private OneDnnPlacement placement() {
    List<String> original = spec.commandLine().getParseResult().originalArgs();
    int train = original.indexOf("train");
    return new OneDnnPlacement(
        onednnIsa,
        relaunched,
        childInheritsIo,
        original.subList(train + 1, original.size()),
        spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }

  private void train(RunOutput run, Checkpoint resumed, PrintWriter out) throws IOException {
    PrintStream console = progressConsole();
    RunData data =
        new RunDataLoader(
                new RunDataLoader.Request(
                    resolveDataDir(),
                    testDir,
                    validation == null ? null : RunDataLoader.Validation.parse(validation),
                    imageSize,
                    seed,
                    recordsPerFile,
                    imageCacheRoot()),
                console,
                out)
            .load();
    TrainSettings settings = settings(data.validation() == null ? 0 : data.validation().size());
    TrainingState start = null;
    String description = data.description();
    if (resumed != null) {
      checkSameRun(resumed, settings, data);
      start = TrainingState.of(resumed);
      description = resumed.trainingData();
    }
    out.printf(Locale.ROOT, "settings: %s%n", settings.toJson());
    out.flush();

    startEngine(threads);
    Trainer trainer = new Trainer(settings, data, console, afterBackward);
    if (start == null) {
      start = trainer.initialState();
    }
    String trainingData = description;
    String settingsJson = settings.toJson();
    TrainingReport report = new TrainingReport(out);
    TrainingState end =
        trainer.run(
            start,
            stopAfterEpoch == null
                ? settings.epochs()
                : Math.min(stopAfterEpoch, settings.epochs()),
            state -> {
              run.write(
                  state.toCheckpoint(
                      trainingData,
                      settingsJson,
                      data.classNames(),
                      data.normalization(),
                      data.samples()));
              report.epoch(state.history().get(state.history().size() - 1));
            });
    report.finish(end, trainingData, run.checkpoint());
  }

  /** {@code --resume} continues only the run it was: same settings, same data's classes. */
  private static void checkSameRun(Checkpoint checkpoint, TrainSettings settings, RunData data) {
    if (!checkpoint.settingsJson().equals(settings.toJson())) {
      throw new IllegalArgumentException(
          "--resume with other settings than the checkpoint's:\n  checkpoint "
              + checkpoint.settingsJson()
              + "\n  now        "
              + settings.toJson());
    }
    if (!checkpoint.classNames().equals(data.classNames())
        || !checkpoint.shape().equals(data.shape())) {
      throw new IllegalArgumentException(
          "--resume on other data than the checkpoint's: it has "
              + checkpoint.shape()
              + " with classes "
              + checkpoint.classNames()
              + ", the data now "
              + data.shape()
              + " with "
              + data.classNames());
    }
  }

  /** The settings with the validation split's size as read from the data. */
  TrainSettings settings(int validationImages) {
    return TrainSettings.builder()
        .epochs(epochs)
        .batchSize(batchSize)
        .learningRate(learningRate)
        .schedule(parseSchedule(schedule))
        .warmupFraction(warmup)
        .locLrFactor(locLrFactor)
        .momentum(momentum)
        .weightDecay(weightDecay)
        .flip(flip)
        .convDropout(convDropout)
        .fcDropout(fcDropout)
        .seed(seed)
        .validation(validationImages)
        .labelSmoothing(labelSmoothing)
        .translate(translate != null ? translate : TrainSettings.recipeTranslate(imageSize))
        .emaDecay(emaDecay)
        .imageSize(imageSize)
        .build();
  }

  private Path imageCacheRoot() {
    if (cacheDir != null) {
      return cacheDir;
    }
    return DecodeCache.defaultRoot()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no per-user cache directory (no home directory) for decoded image folders;"
                        + " set -Dstn4j.cache.dir"));
  }

  private static TrainSettings.Schedule parseSchedule(String s) {
    try {
      return TrainSettings.Schedule.parse(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--schedule must be one-cycle or constant, got " + s, e);
    }
  }

  private Path resolveDataDir() throws IOException {
    if (dataDir != null) {
      if (!Files.isDirectory(dataDir)) {
        throw new CifarDataException(dataDir + ": --data-dir is not a folder");
      }
      return dataDir;
    }
    Path cache =
        Cifar10.defaultDataDir()
            .orElseThrow(
                () ->
                    new CifarDataException(
                        "no per-user cache directory (no home directory); pass --data-dir"));
    return CifarDownloader.builder()
        .recordsPerFile(recordsPerFile)
        .console(progressConsole())
        .build()
        .ensure(cache);
  }

  /**
   * Where progress bars go: stderr on a terminal; none when piped or logged to a file, where a bar
   * redrawn with carriage returns would become thousands of lines.
   */
  private PrintStream progressConsole() {
    return noProgress || System.console() == null ? null : System.err;
  }

  /** Starts PyTorch with {@code threads} intra-op threads (read by DJL at engine start). */
  static void startEngine(int threads) {
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    Engine.getEngine("PyTorch");
    // Also when the engine had already been started (tests), where the property came too late.
    JniUtils.setNumThreads(threads);
  }
}
