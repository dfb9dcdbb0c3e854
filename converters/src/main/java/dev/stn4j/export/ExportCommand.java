package dev.stn4j.export;

import dev.stn4j.commandline.StnCommandLine;
import dev.stn4j.sdk.internal.Checkout;
import dev.stn4j.train.Checkpoint;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stn export}: writes a training checkpoint as an ONNX model of the stn4j contract (version
 * 2: the checkpoint's image size, classes and statistics), with the DJL model's answers on a sample
 * set in its metadata: the checkpoint's own sample images, embedded in the model, or for a CIFAR-10
 * model without them the repository's CIFAR-10 sample-set file. The converters jar's main class,
 * which also runs {@code stn quantize} ({@link QuantizeCommand}); the launcher passes the whole
 * command line, including the command's word.
 *
 * <pre>{@code
 * ./stn export --checkpoint runs/full/checkpoint.bin --output model.onnx
 * }</pre>
 *
 * <p>Exit codes: 0 written; 1 bad input (missing, corrupt or foreign checkpoint, missing sample set
 * or output directory), with one line on stderr naming the file and the problem; 2 usage. The
 * output is replaced atomically and never left half-written.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Write a trained checkpoint as an ONNX model (contract: docs/model-format.md).")
public final class ExportCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "FILE",
      description = "checkpoint written by 'stn train'")
  private Path checkpoint;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE",
      description = "ONNX file to write; replaced atomically")
  private Path output;

  @Option(
      names = "--sample-set",
      paramLabel = "FILE",
      description =
          "CIFAR-10 records whose DJL predictions are stored in the model, for CIFAR-10-shaped"
              + " models (default: the checkpoint's own sample images, embedded in the model;"
              + " without them the repository's "
              + SampleAnswers.DEFAULT_PATH
              + ")")
  private Path sampleSet;

  @Option(
      names = "--no-sample-answers",
      description =
          "do not run the DJL model on a sample set (no sample set or answers in the metadata)")
  private boolean noSampleAnswers;

  @Option(
      names = "--channel-block",
      paramLabel = "N",
      description =
          "pad every convolution's output channels with zero filters to a multiple of N, the"
              + " CPU's NCHWc block for ONNX Runtime (16 for AVX-512, a multiple of AVX2's 8);"
              + " 1 keeps the trained counts, for GPUs and ARM CPUs. The outputs are the same"
              + " (default: ${DEFAULT-VALUE})")
  private int channelBlock = StnOnnxExporter.DEFAULT_CHANNEL_BLOCK;

  /** Runs {@code stn export ...} and exits with its code. */
  public static void main(String... args) {
    System.exit(
        execute(
            new PrintWriter(System.out, true, StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, StandardCharsets.UTF_8),
            args));
  }

  /**
   * Runs the command line {@code args} (starting with {@code export} or {@code quantize}) and
   * returns the exit code, writing to {@code out} and {@code err}.
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine stn = StnCommandLine.root(new ExportCommand(), new QuantizeCommand());
    stn.setOut(out);
    stn.setErr(err);
    return stn.execute(args);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      if (channelBlock < 1) {
        err.println("stn export: --channel-block must be at least 1, got " + channelBlock);
        return 2;
      }
      Checkpoint source = Checkpoint.read(checkpoint);
      checkOutput();
      StnWeights weights = source.weights();
      StnShape shape = weights.shape();
      ExportMetadata.Builder metadata =
          ExportMetadata.builder()
              .classNames(source.classNames())
              .normalization(source.normalization())
              .trainingData(source.trainingData())
              .testAccuracy(source.finalTestAccuracy());
      byte[] model;
      SampleAnswers answers;
      try {
        metadata.trainingSettingsJson(source.settingsJson());
        answers = sampleAnswers(source);
        metadata.sampleAnswers(answers);
        model = StnOnnxExporter.toBytes(weights, metadata.build(), channelBlock);
      } catch (IllegalArgumentException e) {
        throw new IOException(checkpoint + ": " + e.getMessage(), e);
      }
      AtomicFiles.write(output, model);
      out.printf(
          Locale.ROOT,
          "wrote %s: %,d bytes, opset %d, sha256 %s%n  %dx%d images, %d classes, %s%n"
              + "  from %s (%d epochs, test accuracy %s), parameters sha256 %s%n"
              + "  sample answers: %s%n",
          output,
          model.length,
          StnOnnxExporter.OPSET,
          SampleAnswers.sha256(model),
          shape.imageSize(),
          shape.imageSize(),
          shape.classes(),
          weights.architecture().description(),
          checkpoint,
          source.epochsCompleted(),
          source.finalTestAccuracy().isPresent()
              ? String.format(
                  Locale.ROOT, "%.2f %%", 100 * source.finalTestAccuracy().getAsDouble())
              : "none",
          weights.sha256(),
          answers != null
              ? answers.summary()
              : noSampleAnswers
                  ? "not computed (--no-sample-answers)"
                  : "none (the checkpoint holds no sample images)");
      if (source.samples().isPresent()) {
        out.println(
            "  parity: "
                + ExportParity.measure(
                        model, weights, source.normalization(), source.samples().get())
                    .summary());
      }
      return 0;
    } catch (IOException e) {
      err.println("stn export: " + e.getMessage());
      return 1;
    }
  }

  /**
   * The DJL model's answers to record: on the checkpoint's own sample images (embedded in the
   * model) if it has them and no {@code --sample-set} was given, else, for a CIFAR-10-shaped model,
   * on the sample-set file; {@code null} with {@code --no-sample-answers}, or for another model
   * whose checkpoint holds no sample images.
   */
  private SampleAnswers sampleAnswers(Checkpoint source) throws IOException {
    if (noSampleAnswers) {
      return null;
    }
    StnWeights weights = source.weights();
    if (sampleSet == null && source.samples().isPresent()) {
      return SampleAnswers.computeEmbedded(weights, source.normalization(), source.samples().get());
    }
    StnShape shape = weights.shape();
    if (!shape.equals(StnShape.CIFAR10)) {
      if (sampleSet != null) {
        throw new IOException(
            String.format(
                "%s: --sample-set takes CIFAR-10 records, for CIFAR-10-shaped models (32x32, 10"
                    + " classes); %s takes %dx%d images with %d classes",
                sampleSet, checkpoint, shape.imageSize(), shape.imageSize(), shape.classes()));
      }
      return null;
    }
    Path root = Checkout.root(ExportCommand.class);
    Path samples = sampleSet != null ? sampleSet : root.resolve(SampleAnswers.DEFAULT_PATH);
    if (!Files.isRegularFile(samples)) {
      throw new IOException(
          samples + ": sample set not found (give --sample-set FILE or --no-sample-answers)");
    }
    return SampleAnswers.compute(
        weights, source.normalization(), samples, sourceName(samples, root));
  }

  private void checkOutput() throws IOException {
    Path dir = output.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      throw new IOException(output + ": output directory " + dir + " does not exist");
    }
    if (Files.isDirectory(output)) {
      throw new IOException(output + ": is a directory, expected an .onnx file name");
    }
    if (Files.exists(output) && Files.isSameFile(output, checkpoint)) {
      throw new IOException(output + ": is the checkpoint itself; choose another output");
    }
  }

  /** The name recorded for the sample set: its path relative to the repository root if inside. */
  static String sourceName(Path file, Path root) {
    Path absolute = file.toAbsolutePath().normalize();
    Path base = root.toAbsolutePath().normalize();
    return absolute.startsWith(base) ? base.relativize(absolute).toString() : absolute.toString();
  }
}
