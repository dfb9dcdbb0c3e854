package dev.stn4j.export;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.export.QuantizedClassifier.Tap;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.data.TrainingImages;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Static int8 quantization of an stn4j float32 model into ONNX's QDQ form (docs/model-format.md,
 * "Int8 models"): the classifier's two convolutions and two fully connected layers run on int8, the
 * localization network, affine grid and sampler stay float.
 *
 * <p>Calibration: the float network, rebuilt from the source's weights with the quantized
 * activations as extra outputs, runs with ONNX Runtime on training images; each activation's
 * minimum and maximum over them gives its scale and zero point. Any image size S and class count K:
 * the calibration and test images must be S×S (CIFAR-10 records for CIFAR-10 models, a labelled
 * tree of the model's classes, {@link TreeImages}, for others).
 *
 * <pre>{@code
 * Int8Quantizer.Result r = Int8Quantizer.quantize(
 *     ModelProto.parseFrom(fp32Bytes), "model.onnx", calibration, sampleSet, test);
 * Files.write(Path.of("model-int8.onnx"), r.model());
 * }</pre>
 */
final class Int8Quantizer {
  /** The calibration method recorded in the model. */
  static final String METHOD = "min-max";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Int8Quantizer() {}

  /**
   * Training images to calibrate on.
   *
   * @param images the images used (all of them)
   * @param source where they come from, as recorded (e.g. {@code data_batch_1.bin}, {@code train/})
   * @param selection how they were picked from the source, as recorded
   */
  record CalibrationImages(TrainingImages images, String source, String selection) {
    /** The first {@code n} records of a CIFAR-10 file were taken: {@code records} holds them. */
    static final String FIRST_RECORDS = "first records";

    /** A labelled tree's images, class by class in turn ({@link TreeImages#interleaved}). */
    static final String CLASS_BY_CLASS = "class by class in turn, files sorted by path";

    /** CIFAR-10 records: the first ones of the file. */
    CalibrationImages(CifarBatch records, String source) {
      this(TrainingImages.of(records), source, FIRST_RECORDS);
    }
  }

  /**
   * The sample set on which the int8 model's own answers are recorded: the sample-set file, or the
   * images embedded in the source model.
   *
   * @param description the set's description, without predictions ({@link SampleAnswers#describe}
   *     or {@link SampleAnswers#embedded})
   * @param images its images
   */
  record SampleSet(SampleAnswers description, TrainingImages images) {
    /** The sample-set file's records. */
    SampleSet(SampleAnswers description, CifarBatch records) {
      this(description, TrainingImages.of(records));
    }

    /**
     * The sample set embedded in {@code source}, if it has one: the int8 model's answers are
     * recorded in the same form as the source's.
     *
     * @throws IOException naming the model when its embedded set is malformed
     */
    static Optional<SampleSet> embeddedIn(ModelProto source, String sourceName) throws IOException {
      Optional<SampleAnswers> embedded =
          SampleAnswers.embeddedIn(Int8Metadata.of(source), sourceName);
      if (embedded.isEmpty()) {
        return Optional.empty();
      }
      SampleAnswers described = embedded.get().withPredictions(null);
      return Optional.of(new SampleSet(described, described.embeddedImages().orElseThrow()));
    }
  }

  /**
   * @param model the serialized int8 model
   * @param ranges the calibrated activation ranges
   * @param sampleAnswers the int8 model's answers on the sample set, if one was given
   * @param testAccuracy the int8 model's accuracy on the test images, if given
   * @param sourceTestAccuracy the float32 source's accuracy on the same test images, if given
   */
  record Result(
      byte[] model,
      ActivationRanges ranges,
      String parametersSha256,
      String sourceParametersSha256,
      SampleAnswers sampleAnswers,
      OptionalDouble testAccuracy,
      OptionalDouble sourceTestAccuracy) {}

  /**
   * How to quantize: which layers stay float and the range of the int8 weights.
   *
   * @param floatFirstConv keep the classifier's first convolution (3 input channels) and its
   *     pooling float
   * @param weightRange the values the int8 weights take ({@link Int8.WeightRange#REDUCED}, the
   *     default, is exact on every x86 CPU)
   */
  record Options(boolean floatFirstConv, Int8.WeightRange weightRange) {
    /** All four classifier layers int8, weights in the reduced range. */
    static final Options DEFAULT = new Options(false, Int8.WeightRange.REDUCED);

    Options {
      Objects.requireNonNull(weightRange, "weightRange");
    }

    Options withFloatFirstConv(boolean floatFirstConv) {
      return new Options(floatFirstConv, weightRange);
    }

    Options withWeightRange(Int8.WeightRange weightRange) {
      return new Options(floatFirstConv, weightRange);
    }
  }

  /**
   * Quantizes {@code source}, an stn4j float32 model, with the {@link Options#DEFAULT} options.
   *
   * @param sourceName the source's file name, for errors
   * @param sampleSet where to record the int8 model's own answers, or {@code null}
   * @param test labelled test images to measure the int8 model's accuracy on, or {@code null}
   * @throws IOException naming the source when it is not an stn4j float32 model, or when ONNX
   *     Runtime cannot run a model
   */
  static Result quantize(
      ModelProto source,
      String sourceName,
      CalibrationImages calibration,
      SampleSet sampleSet,
      TrainingImages test)
      throws IOException {
    return quantize(source, sourceName, calibration, sampleSet, test, Options.DEFAULT);
  }

  /**
   * As {@link #quantize(ModelProto, String, CalibrationImages, SampleSet, TrainingImages)}, with
   * the given options.
   *
   * @throws java.io.UncheckedIOException naming the file when an image of a {@link TreeImages} set
   *     cannot be decoded
   */
  static Result quantize(
      ModelProto source,
      String sourceName,
      CalibrationImages calibration,
      SampleSet sampleSet,
      TrainingImages test,
      Options options)
      throws IOException {
    Map<String, String> props = Int8Metadata.of(source);
    StnWeights weights = quantizableWeights(source, sourceName);
    Normalization normalization = Int8Metadata.normalization(props, sourceName);
    if (calibration.images().size() == 0) {
      throw new IOException(calibration.source() + ": no calibration images");
    }
    checkSize(calibration.images(), calibration.source(), weights.shape(), sourceName);
    if (test != null) {
      checkSize(test, "the test images", weights.shape(), sourceName);
    }

    ActivationRanges ranges = calibrate(weights, normalization, calibration.images());
    GraphProto graph =
        StnGraph.build(
            weights,
            normalization,
            StnOnnxExporter.DEFAULT_CHANNEL_BLOCK,
            QuantizedClassifier.int8(weights, normalization, ranges, options));
    String parametersSha256 = parametersSha256(graph);

    // The answers and accuracy need the model, the model's metadata holds them: score a model
    // without them first (metadata does not change what it computes).
    byte[] unlabelled = StnOnnxExporter.toModel(graph, Map.of()).toByteArray();
    SampleAnswers answers = null;
    OptionalDouble accuracy = OptionalDouble.empty();
    try (OrtModel int8 = new OrtModel(unlabelled, "the int8 model")) {
      if (sampleSet != null) {
        answers = sampleSet.description().withPredictions(int8.classes(sampleSet.images()));
      }
      if (test != null) {
        accuracy = OptionalDouble.of(int8.accuracy(test));
      }
    } catch (OrtException e) {
      throw new IOException("ONNX Runtime failed running the int8 model: " + e.getMessage(), e);
    }
    // The source on the same images, so the accuracy the quantization costs is stated with it.
    OptionalDouble sourceAccuracy = OptionalDouble.empty();
    if (test != null) {
      try (OrtModel fp32 = new OrtModel(source.toByteArray(), sourceName)) {
        sourceAccuracy = OptionalDouble.of(fp32.accuracy(test));
      } catch (OrtException e) {
        throw new IOException(
            sourceName + ": ONNX Runtime failed running it: " + e.getMessage(), e);
      }
    }

    Map<String, String> meta =
        Int8Metadata.of(props, sourceName, parametersSha256, weights, answers, accuracy, options);
    meta.put(ModelFormat.KEY_CALIBRATION, Int8Metadata.calibrationJson(calibration));
    byte[] model = StnOnnxExporter.toModel(graph, meta).toByteArray();
    return new Result(
        model, ranges, parametersSha256, weights.sha256(), answers, accuracy, sourceAccuracy);
  }

  /** Images of another size than the model's are refused: they cannot be its input. */
  private static void checkSize(
      TrainingImages images, String what, StnShape shape, String sourceName) throws IOException {
    if (images.imageSize() != shape.imageSize()) {
      throw new IOException(
          String.format(
              "%s: %dx%d images, but %s takes %dx%d images (give a labelled tree of its own)",
              what,
              images.imageSize(),
              images.imageSize(),
              sourceName,
              shape.imageSize(),
              shape.imageSize()));
    }
  }

  /**
   * The weights of {@code source} if it can be quantized: an stn4j float32 model as exported (its
   * parameters match its checksum) of the {@code stn} architecture, of any image size and classes.
   *
   * @throws IOException naming the source and why it cannot be quantized
   */
  static StnWeights quantizableWeights(ModelProto source, String sourceName) throws IOException {
    Map<String, String> props = Int8Metadata.of(source);
    if (props.containsKey(ModelFormat.KEY_SOURCE_PARAMETERS_SHA256)) {
      throw new IOException(sourceName + ": is already an int8 model (it records a source model)");
    }
    String architecture =
        props.getOrDefault(ModelFormat.KEY_ARCHITECTURE, ModelFormat.ARCHITECTURE_STN);
    if (!architecture.equals(ModelFormat.ARCHITECTURE_STN)) {
      throw new IOException(
          sourceName + ": architecture '" + architecture + "' cannot be quantized (only 'stn')");
    }
    return exportedWeights(source, sourceName, props);
  }

  /**
   * The source's weights, which must be those its metadata records (an stn4j model as exported).
   */
  private static StnWeights exportedWeights(
      ModelProto source, String sourceName, Map<String, String> props) throws IOException {
    StnWeights weights = OnnxInitializers.stnWeights(source, sourceName);
    String recorded = props.get(ModelFormat.KEY_PARAMETERS_SHA256);
    if (recorded == null || !recorded.equals(weights.sha256())) {
      throw new IOException(
          sourceName
              + ": its parameters do not match its "
              + ModelFormat.KEY_PARAMETERS_SHA256
              + " ("
              + recorded
              + " recorded, "
              + weights.sha256()
              + " computed): not an stn4j model as exported");
    }
    return weights;
  }

  /** Runs the float calibration graph on the images and collects each tap's range. */
  static ActivationRanges calibrate(
      StnWeights weights, Normalization normalization, TrainingImages images) throws IOException {
    byte[] graph =
        StnOnnxExporter.toModel(
                StnGraph.build(
                    weights,
                    normalization,
                    StnOnnxExporter.DEFAULT_CHANNEL_BLOCK,
                    QuantizedClassifier.calibration(weights, normalization)),
                Map.of())
            .toByteArray();
    Map<String, Tap> byOutput = new HashMap<>();
    for (Tap t : Tap.values()) {
      byOutput.put(t.outputName(), t);
    }
    ActivationRanges.Builder ranges = ActivationRanges.builder();
    try (OrtModel model = new OrtModel(graph, "the calibration graph")) {
      int chunk = OrtModel.chunk(images.imageSize());
      for (int from = 0; from < images.size(); from += chunk) {
        int n = Math.min(chunk, images.size() - from);
        Map<String, float[]> out = model.run(images, from, n, Set.copyOf(byOutput.keySet()));
        out.forEach((name, values) -> ranges.observe(byOutput.get(name), values));
      }
    } catch (OrtException e) {
      throw new IOException("ONNX Runtime failed running the calibration: " + e.getMessage(), e);
    }
    return ranges.build();
  }

  /**
   * The int8 model's {@code stn4j.parameters_sha256}: SHA-256 over the 16 parameters in the
   * canonical order, each as stored: a float parameter as its float32 values, a quantized weight as
   * its int8 values then its float32 scales, a quantized bias as its int32 values then its float32
   * scales (little-endian {@code raw_data}).
   */
  static String parametersSha256(GraphProto graph) {
    Map<String, TensorProto> byName = new HashMap<>();
    for (TensorProto t : graph.getInitializerList()) {
      byName.put(t.getName(), t);
    }
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    for (StnParameter p : StnParameter.values()) {
      String[] parts =
          byName.containsKey(p.key())
              ? new String[] {p.key()}
              : byName.containsKey(p.key() + ".int8")
                  ? new String[] {p.key() + ".int8", p.key() + ".scale"}
                  : new String[] {p.key() + ".int32", p.key() + ".scale"};
      for (String part : parts) {
        TensorProto t = byName.get(part);
        if (t == null) {
          throw new IllegalArgumentException("the graph has no initializer " + part);
        }
        digest.update(t.getRawData().asReadOnlyByteBuffer());
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
