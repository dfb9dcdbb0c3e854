package dev.stn4j.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.internal.Checkout;
import dev.stn4j.train.data.TrainingImages;
import dev.stn4j.train.model.StnShape;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stn quantize}: writes an int8 (QDQ) copy of an stn4j float32 model of any image size and
 * classes, calibrated on training images (docs/model-format.md, "Int8 models"): a labelled tree of
 * the model's training images ({@code --calibration-dir}, read as the SDK reads files), or CIFAR-10
 * binary records for CIFAR-10 models. With test images ({@code --test-dir} tree, or {@code
 * --data-dir}'s CIFAR-10 test batch) the int8 model's accuracy is measured and recorded, and the
 * float32 source's on the same images printed beside it.
 *
 * <pre>{@code
 * ./stn quantize --model model.onnx --output model-int8.onnx --data-dir ~/cifar-10-batches-bin
 * ./stn quantize --model digits.onnx --output digits-int8.onnx \
 *     --calibration-dir trees/digits/train --test-dir trees/digits/test
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
  static final String TRAINING_FILE = QuantizeImages.TRAINING_FILE;

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

  @Mixin private QuantizeImages images = new QuantizeImages();

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
    String usage = images.usageProblem();
    if (usage != null) {
      err.println("stn quantize: " + usage);
      return 2;
    }
    try {
      ModelProto source = readModel();
      // Before reading any data: a model that cannot be quantized is refused at once.
      StnShape shape = Int8Quantizer.quantizableWeights(source, model.toString()).shape();
      List<String> classNames = Int8Metadata.classNames(Int8Metadata.of(source), model.toString());
      checkOutput();
      Int8Quantizer.CalibrationImages calibration =
          images.calibration(classNames, shape, model.toString());
      Int8Quantizer.SampleSet samples = noSampleAnswers ? null : sampleSet(source, shape);
      TrainingImages test = images.test(classNames, shape);
      Int8Quantizer.Result r =
          Int8Quantizer.quantize(source, model.toString(), calibration, samples, test, options());
      AtomicFiles.write(output, r.model());
      out.printf(
          Locale.ROOT,
          "wrote %s: %,d bytes, sha256 %s%n  from %s (parameters sha256 %s), %dx%d, %d classes%n"
              + "  weights: int8 in [-%d, %d]%n"
              + "  calibration: %s, %d training images of %s%n  test accuracy: %s%n"
              + "  sample answers: %s%n",
          output,
          r.model().length,
          SampleAnswers.sha256(r.model()),
          model,
          r.sourceParametersSha256(),
          shape.imageSize(),
          shape.imageSize(),
          shape.classes(),
          options().weightRange().max(),
          options().weightRange().max(),
          Int8Quantizer.METHOD,
          calibration.images().size(),
          images.describe(calibration),
          accuracy(r, test),
          r.sampleAnswers() == null ? notComputed() : r.sampleAnswers().summary());
      return 0;
    } catch (IOException e) {
      err.println("stn quantize: " + e.getMessage());
      return 1;
    } catch (UncheckedIOException e) {
      // A file of a tree that does not decode, found while the images run.
      err.println("stn quantize: " + e.getCause().getMessage());
      return 1;
    }
  }

  private static String accuracy(Int8Quantizer.Result r, TrainingImages test) {
    if (r.testAccuracy().isEmpty()) {
      return "not measured (no --test-dir or --data-dir)";
    }
    double int8 = 100 * r.testAccuracy().getAsDouble();
    double fp32 = 100 * r.sourceTestAccuracy().orElseThrow();
    return String.format(
        Locale.ROOT,
        "%.2f %% on %d images (float32 source %.2f %%: %+.2f points)",
        int8,
        test.size(),
        fp32,
        int8 - fp32);
  }

  private String notComputed() {
    return noSampleAnswers ? "not computed" : "none (the model has no embedded sample images)";
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

  /**
   * The set the int8 model's answers are recorded on: the source's embedded images if it has them
   * (and no --sample-set was given), else for a 32×32 model the sample-set file; null for a model
   * of another size without embedded images.
   */
  private Int8Quantizer.SampleSet sampleSet(ModelProto source, StnShape shape) throws IOException {
    if (sampleSet == null) {
      Optional<Int8Quantizer.SampleSet> embedded =
          Int8Quantizer.SampleSet.embeddedIn(source, model.toString());
      if (embedded.isPresent()) {
        return embedded.get();
      }
    }
    if (shape.imageSize() != Cifar10.HEIGHT) {
      if (sampleSet != null) {
        throw new IOException(
            String.format(
                "%s: --sample-set takes CIFAR-10 records (32x32); %s takes %dx%d images",
                sampleSet, model, shape.imageSize(), shape.imageSize()));
      }
      // As stn export: a model of another size without its own sample images records none.
      return null;
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

  static Path existing(Path file, String what) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": " + what + " not found");
    }
    return file;
  }
}
