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
import picocli.CommandLine.Mixin;
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
      names = "--threads",
      description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}).")
  int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

  @Mixin RecipeOptions recipe;

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
      out.print(ModelSummary.table(recipe.architecture(), new StnShape(imageSize, classes)));
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
                    recipe.seed,
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
    return recipe.settings(validationImages, imageSize);
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
