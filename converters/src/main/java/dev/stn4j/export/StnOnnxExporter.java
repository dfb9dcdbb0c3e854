package dev.stn4j.export;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.data.Cifar10;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.sdk.internal.Stn4jVersion;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes STN weights as an ONNX model that follows the stn4j model contract, version 2 ({@code
 * docs/model-format.md}): input {@code image} {@code [N,3,S,S]} RGB in [0,1]; outputs {@code
 * probabilities} {@code [N,K]}, {@code theta} and {@code warped}; the class names, statistics and
 * provenance in {@code metadata_props}. S and K are the weights' ({@link StnWeights#shape()}).
 *
 * <pre>{@code
 * Checkpoint checkpoint = Checkpoint.read(Path.of("runs/full/checkpoint.bin"));
 * ExportMetadata meta = ExportMetadata.builder()
 *     .classNames(checkpoint.classNames())
 *     .normalization(checkpoint.normalization())
 *     .trainingData(checkpoint.trainingData())
 *     .build();
 * StnOnnxExporter.write(checkpoint.weights(), meta, Path.of("model.onnx"));   // atomic
 * }</pre>
 */
public final class StnOnnxExporter {
  /**
   * The opset written: the lowest with {@code GridSample} (16). {@code AffineGrid} would need 20,
   * but the affine grid is a single {@code MatMul} of a constant base grid with θᵀ, so 16 expresses
   * the whole graph and runs on older runtimes too.
   */
  public static final long OPSET = 16;

  /** IR version 8 is the one that goes with opset 16 (ONNX 1.11). */
  public static final long IR_VERSION = 8;

  /**
   * Output channels of every convolution are padded to a multiple of this by default: ONNX
   * Runtime's NCHWc block on AVX-512 CPUs (a multiple of AVX2's 8). See {@code ConvLayers}.
   */
  public static final int DEFAULT_CHANNEL_BLOCK = 16;

  private static final ObjectMapper JSON = new ObjectMapper();

  private StnOnnxExporter() {}

  /**
   * The serialized model, channels padded to {@link #DEFAULT_CHANNEL_BLOCK}.
   *
   * @throws IllegalArgumentException if the metadata does not fit the weights (see {@link
   *     #metadataProps})
   */
  public static byte[] toBytes(StnWeights weights, ExportMetadata metadata) {
    return toBytes(weights, metadata, DEFAULT_CHANNEL_BLOCK);
  }

  /**
   * The serialized model with convolution outputs padded to a multiple of {@code channelBlock} (1:
   * the trained channel counts); the outputs are the same for every block.
   */
  public static byte[] toBytes(StnWeights weights, ExportMetadata metadata, int channelBlock) {
    return toModel(weights, metadata, channelBlock).toByteArray();
  }

  /**
   * Writes the model to {@code output} atomically: into a temporary file in the same directory,
   * then renamed over {@code output}, so a reader never sees a half-written model.
   */
  public static void write(StnWeights weights, ExportMetadata metadata, Path output)
      throws IOException {
    AtomicFiles.write(output, toBytes(weights, metadata));
  }

  /** {@code stn4j-converters <version>}, the producer recorded in every model. */
  public static String producer() {
    return "stn4j-converters " + Stn4jVersion.get();
  }

  static ModelProto toModel(StnWeights weights, ExportMetadata metadata) {
    return toModel(weights, metadata, DEFAULT_CHANNEL_BLOCK);
  }

  static ModelProto toModel(StnWeights weights, ExportMetadata metadata, int channelBlock) {
    Map<String, String> props = metadataProps(weights, metadata);
    return toModel(StnGraph.build(weights, metadata.normalization(), channelBlock), props);
  }

  /** A model of the contract's header (opset, IR, producer...) around a graph and metadata. */
  static ModelProto toModel(GraphProto graph, Map<String, String> metadataProps) {
    ModelProto.Builder model =
        ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setProducerName("stn4j-converters")
            .setProducerVersion(Stn4jVersion.get())
            .setDomain("dev.stn4j")
            .setModelVersion(Long.parseLong(ModelFormat.FORMAT_VERSION))
            .setDocString("stn4j Spatial Transformer Network; contract: docs/model-format.md")
            .setGraph(graph);
    metadataProps.forEach(
        (k, v) ->
            model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return model.build();
  }

  /**
   * The {@code metadata_props}, in the order of the contract.
   *
   * @throws IllegalArgumentException if the class names are not one per class of the weights, or
   *     the sample answers do not fit the model (a predicted class or label out of range, embedded
   *     images of another size, the CIFAR-10 sample-set file for a model that is not 32×32)
   */
  static Map<String, String> metadataProps(StnWeights weights, ExportMetadata metadata) {
    StnShape shape = weights.shape();
    if (metadata.classNames().size() != shape.classes()) {
      throw new IllegalArgumentException(
          metadata.classNames().size()
              + " class names for a model of "
              + shape.classes()
              + " classes");
    }
    metadata.sampleAnswers().ifPresent(s -> checkSamples(s, shape));
    Map<String, String> props = new LinkedHashMap<>();
    props.put(ModelFormat.KEY_FORMAT_VERSION, ModelFormat.FORMAT_VERSION);
    props.put(ModelFormat.KEY_ARCHITECTURE, ArchitectureKeys.of(weights.architecture()));
    props.put(ModelFormat.KEY_CLASS_NAMES, json(metadata.classNames()));
    props.put(ModelFormat.KEY_NORMALIZATION, metadata.normalization().toJson());
    props.put(ModelFormat.KEY_INPUT_SIZE, json(List.of(3, shape.imageSize(), shape.imageSize())));
    props.put(ModelFormat.KEY_TRAINING_DATA, metadata.trainingData());
    metadata
        .testAccuracy()
        .ifPresent(a -> props.put(ModelFormat.KEY_TEST_ACCURACY, Double.toString(a)));
    props.put(ModelFormat.KEY_TRAINING, metadata.trainingSettingsJson());
    props.put(ModelFormat.KEY_PRODUCER, producer());
    props.put(ModelFormat.KEY_CREATED, metadata.created().toString());
    props.put(ModelFormat.KEY_PARAMETERS_SHA256, weights.sha256());
    metadata.sampleAnswers().ifPresent(s -> putSampleSet(props, s));
    return props;
  }

  /** {@code stn4j.sample_set}, and for the embedded form {@code stn4j.sample_pixels} after it. */
  static void putSampleSet(Map<String, String> props, SampleAnswers answers) {
    props.put(ModelFormat.KEY_SAMPLE_SET, answers.toJson());
    answers.pixelsBase64().ifPresent(p -> props.put(ModelFormat.KEY_SAMPLE_PIXELS, p));
  }

  private static void checkSamples(SampleAnswers answers, StnShape shape) {
    int imageSize = answers.embedded().map(e -> e.imageSize()).orElse(Cifar10.HEIGHT);
    if (imageSize != shape.imageSize()) {
      throw new IllegalArgumentException(
          String.format(
              "the sample set (%s) holds %dx%d images, the model takes %dx%d",
              answers.source(), imageSize, imageSize, shape.imageSize(), shape.imageSize()));
    }
    int[] predicted = answers.predicted();
    checkClasses("predicted", predicted == null ? new int[0] : predicted, shape);
    answers.embedded().ifPresent(e -> checkClasses("labels", e.labels(), shape));
  }

  private static void checkClasses(String what, int[] classes, StnShape shape) {
    for (int i = 0; i < classes.length; i++) {
      if (classes[i] < 0 || classes[i] >= shape.classes()) {
        throw new IllegalArgumentException(
            String.format(
                "sample set %s[%d] is %d, the model has classes 0 to %d",
                what, i, classes[i], shape.classes() - 1));
      }
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("lists and maps of numbers and strings always serialize", e);
    }
  }
}
