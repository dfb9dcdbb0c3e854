package dev.stn4j.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.internal.Checkout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stn quantize}: writes an int8 (QDQ) copy of an stn4j float32 model, calibrated on training
 * images (docs/model-format.md, "Int8 models"). Calibration reads CIFAR-10 records, so it takes
 * CIFAR-10-shaped models (32×32, 10 classes) only; others are refused with a message saying so.
 *
 * <pre>{@code
 * ./stn quantize --model model.onnx --output model-int8.onnx --data-dir ~/cifar-10-batches-bin
 * }</pre>
 *
 * <p>Exit codes as {@code stn export}: 0 written; 1 bad input (one line naming the file and the
 * problem); 2 usage.
 */
@Command(
    name = "quantize",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Write an int8 (QDQ) copy of an stn4j model: the classifier's convolutions and fully"
          + " connected layers in int8, the localization network, affine grid and sampler in"
          + " float. Activations are calibrated (min-max) on training images only.",
    })
public final class QuantizeCommand implements Callable<Integer> {
  /** The training file calibration reads in {@code --data-dir}. */
  static final String TRAINING_FILE = Cifar10.TRAIN_FILES.get(0);

  @Spec private CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "the float32 stn4j model to quantize")
  private Path model;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE",
      description = "int8 ONNX file to write; replaced atomically")
  private Path output;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "CIFAR-10 binary folder: calibration reads its first training batch (unless"
              + " --calibration-set), and the int8 model's accuracy on "
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
      description = "calibrate on the first N records (default: ${DEFAULT-VALUE})")
  private int calibrationImages = 1000;

  @Option(
      names = "--sample-set",
      paramLabel = "FILE",
      description =
          "CIFAR-10 records whose int8 predictions are stored in the model (default: the"
              + " images embedded in the source model, else the repository's "
              + SampleAnswers.DEFAULT_PATH
              + ")")
  private Path sampleSet;

  @Option(names = "--no-sample-answers", description = "do not record answers on the sample set")
  private boolean noSampleAnswers;

  @Option(
      names = "--float-first-conv",
      description =
          "keep the classifier's first convolution (3 input channels) and its pooling float,"
              + " where ONNX Runtime's int8 kernels were slower than its float ones")
  private boolean floatFirstConv;

  @Option(
      names = "--full-range-weights",
      description =
          "int8 weights in [-127, 127] instead of the default [-63, 63]: only for CPUs whose"
              + " integer kernels accumulate in 32 bits (x86 with AVX-512 VNNI or AVX-VNNI,"
              + " ARM64); on other x86 CPUs ONNX Runtime's AVX2/AVX-512BW kernels saturate"
              + " int16 sums of such products and the model loses accuracy")
  private boolean fullRangeWeights;

  /**
   * Runs {@code args} (starting with {@code quantize}) and returns the exit code, writing to {@code
   * out} and {@code err}.
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    return ExportCommand.execute(out, err, args);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (calibrationImages < 1) {
      err.println(
          "stn quantize: --calibration-images must be at least 1, got " + calibrationImages);
      return 2;
    }
    if (calibrationSet == null && dataDir == null) {
      err.println(
          "stn quantize: give --data-dir DIR (calibrates on DIR/"
              + TRAINING_FILE
              + ") or --calibration-set FILE (training records)");
      return 2;
    }
    try {
      ModelProto source = readModel();
      // Before reading any data: a model that cannot be quantized is refused at once.
      Int8Quantizer.quantizableWeights(source, model.toString());
      checkOutput();
      Int8Quantizer.CalibrationImages calibration = calibrationImages();
      Int8Quantizer.SampleSet samples = noSampleAnswers ? null : sampleSet(source);
      CifarBatch test = null;
      if (dataDir != null) {
        test = CifarBatch.read(existing(dataDir.resolve(Cifar10.TEST_FILE), "test batch"));
      }
      Int8Quantizer.Result r =
          Int8Quantizer.quantize(source, model.toString(), calibration, samples, test, options());
      AtomicFiles.write(output, r.model());
      out.printf(
          Locale.ROOT,
          "wrote %s: %,d bytes, sha256 %s%n  from %s (parameters sha256 %s)%n"
              + "  weights: int8 in [-%d, %d]%n"
              + "  calibration: %s, %d training images of %s%n  test accuracy: %s%n"
              + "  sample answers: %s%n",
          output,
          r.model().length,
          SampleAnswers.sha256(r.model()),
          model,
          r.sourceParametersSha256(),
          options().weightRange().max(),
          options().weightRange().max(),
          Int8Quantizer.METHOD,
          calibration.images().size(),
          calibration.source(),
          r.testAccuracy().isPresent()
              ? String.format(Locale.ROOT, "%.2f %%", 100 * r.testAccuracy().getAsDouble())
              : "not measured (no --data-dir)",
          r.sampleAnswers() == null ? "not computed" : r.sampleAnswers().summary());
      return 0;
    } catch (IOException e) {
      err.println("stn quantize: " + e.getMessage());
      return 1;
    }
  }

  private Int8Quantizer.Options options() {
    return Int8Quantizer.Options.DEFAULT
        .withFloatFirstConv(floatFirstConv)
        .withWeightRange(fullRangeWeights ? Int8.WeightRange.FULL : Int8.WeightRange.REDUCED);
  }

  private ModelProto readModel() throws IOException {
    existing(model, "model");
    try {
      return ModelProto.parseFrom(Files.readAllBytes(model));
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(model + ": not an ONNX model (" + e.getMessage() + ")", e);
    }
  }

  private Int8Quantizer.CalibrationImages calibrationImages() throws IOException {
    Path file = calibrationSet != null ? calibrationSet : dataDir.resolve(TRAINING_FILE);
    existing(file, "calibration set");
    if (file.getFileName().toString().startsWith("test_batch")) {
      throw new IOException(
          file + ": is a test batch; calibration uses training images only (data_batch_*.bin)");
    }
    CifarBatch all = CifarBatch.read(file);
    if (all.size() < calibrationImages) {
      throw new IOException(
          file
              + ": has "
              + all.size()
              + " records, fewer than --calibration-images "
              + calibrationImages);
    }
    return new Int8Quantizer.CalibrationImages(
        all.head(calibrationImages), file.getFileName().toString());
  }

  /**
   * The set the int8 model's answers are recorded on: the source's embedded images if it has them
   * (and no --sample-set was given), else the sample-set file.
   */
  private Int8Quantizer.SampleSet sampleSet(ModelProto source) throws IOException {
    if (sampleSet == null) {
      Optional<Int8Quantizer.SampleSet> embedded =
          Int8Quantizer.SampleSet.embeddedIn(source, model.toString());
      if (embedded.isPresent()) {
        return embedded.get();
      }
    }
    Path root = Checkout.root(QuantizeCommand.class);
    Path file = sampleSet != null ? sampleSet : root.resolve(SampleAnswers.DEFAULT_PATH);
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          file + ": sample set not found (give --sample-set FILE or --no-sample-answers)");
    }
    return new Int8Quantizer.SampleSet(
        SampleAnswers.describe(file, ExportCommand.sourceName(file, root)), CifarBatch.read(file));
  }

  private void checkOutput() throws IOException {
    Path dir = output.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      throw new IOException(output + ": output directory " + dir + " does not exist");
    }
    if (Files.isDirectory(output)) {
      throw new IOException(output + ": is a directory, expected an .onnx file name");
    }
    if (Files.exists(output) && Files.isSameFile(output, model)) {
      throw new IOException(output + ": is the input model itself; choose another output");
    }
  }

  private static Path existing(Path file, String what) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": " + what + " not found");
    }
    return file;
  }
}
