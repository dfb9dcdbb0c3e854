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
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes STN weights as an ONNX model that follows the stn4j model contract ({@code
 * docs/model-format.md}): input {@code image} {@code [N,3,32,32]} RGB in [0,1]; outputs {@code
 * probabilities}, {@code theta} and {@code warped}; provenance in {@code metadata_props}.
 *
 * <pre>{@code
 * StnWeights weights = Checkpoint.read(Path.of("runs/full/checkpoint.bin")).weights();
 * ExportMetadata meta = ExportMetadata.builder().trainingData("CIFAR-10 (JPEG-q75 copy)").build();
 * StnOnnxExporter.write(weights, meta, Path.of("model.onnx"));   // atomic
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

  /** The serialized model, channels padded to {@link #DEFAULT_CHANNEL_BLOCK}. */
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
    return toModel(StnGraph.build(weights, channelBlock), metadataProps(weights, metadata));
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
            .setDocString(
                "stn4j Spatial Transformer Network for CIFAR-10; contract: docs/model-format.md")
            .setGraph(graph);
    metadataProps.forEach(
        (k, v) ->
            model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return model.build();
  }

  /** The {@code metadata_props}, in the order of the contract. */
  static Map<String, String> metadataProps(StnWeights weights, ExportMetadata metadata) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put(ModelFormat.KEY_FORMAT_VERSION, ModelFormat.FORMAT_VERSION);
    props.put(ModelFormat.KEY_CLASS_NAMES, json(Cifar10.CLASS_NAMES));
    props.put(ModelFormat.KEY_NORMALIZATION, normalizationJson());
    props.put(
        ModelFormat.KEY_INPUT_SIZE, json(List.of(Cifar10.CHANNELS, Cifar10.HEIGHT, Cifar10.WIDTH)));
    props.put(ModelFormat.KEY_TRAINING_DATA, metadata.trainingData());
    metadata
        .testAccuracy()
        .ifPresent(a -> props.put(ModelFormat.KEY_TEST_ACCURACY, Double.toString(a)));
    props.put(ModelFormat.KEY_TRAINING, metadata.trainingSettingsJson());
    props.put(ModelFormat.KEY_PRODUCER, producer());
    props.put(ModelFormat.KEY_CREATED, metadata.created().toString());
    props.put(ModelFormat.KEY_PARAMETERS_SHA256, weights.sha256());
    metadata.sampleAnswers().ifPresent(s -> props.put(ModelFormat.KEY_SAMPLE_SET, s.toJson()));
    return props;
  }

  private static String normalizationJson() {
    Map<String, float[]> normalization = new LinkedHashMap<>();
    normalization.put("mean", Cifar10.means());
    normalization.put("std", Cifar10.stds());
    return json(normalization);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("lists and maps of numbers and strings always serialize", e);
    }
  }
}
