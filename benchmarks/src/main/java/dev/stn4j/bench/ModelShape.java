package dev.stn4j.bench;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.model.Normalization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the benchmarks need to know of a model file before running it, read from the file alone (no
 * ONNX Runtime, which DJL's engine must start first): its input size S, class count K, the
 * normalisation it was trained with, and the sample images embedded in it (contract version 2,
 * models trained from an image folder).
 *
 * <pre>{@code
 * ModelShape shape = ModelShape.read(Path.of("model.onnx"));
 * SampleImages inputs = SampleImages.forModel(shape, root);
 * }</pre>
 *
 * @param imageSize S: the model takes {@code [N,3,S,S]}
 * @param classes K: its {@code probabilities} are {@code [N,K]}
 * @param normalization the statistics its graph normalises with (CIFAR-10's when not recorded)
 * @param embeddedImages its embedded sample images as CHW floats {@code byte / 255}, in record
 *     order; empty when it has none
 */
record ModelShape(
    int imageSize, int classes, Normalization normalization, List<float[]> embeddedImages) {
  /** CIFAR-10's side, version 1's only one. */
  static final int CIFAR_SIZE = 32;

  ModelShape {
    embeddedImages = List.copyOf(embeddedImages);
  }

  /**
   * Reads {@code model}'s input and output shapes and metadata.
   *
   * @throws IOException naming the file when it cannot be read, is not ONNX, or records a malformed
   *     normalisation or sample set
   */
  static ModelShape read(Path model) throws IOException {
    ModelProto proto;
    try {
      proto = ModelProto.parseFrom(Files.readAllBytes(model));
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(model + ": not an ONNX model (" + e.getMessage() + ")", e);
    }
    GraphProto graph = proto.getGraph();
    Map<String, String> meta = new HashMap<>();
    for (StringStringEntryProto e : proto.getMetadataPropsList()) {
      meta.put(e.getKey(), e.getValue());
    }
    int size = dim(graph.getInputList(), ModelFormat.INPUT_IMAGE, 2, CIFAR_SIZE);
    int classes = dim(graph.getOutputList(), ModelFormat.OUTPUT_PROBABILITIES, 1, 10);
    Normalization normalization = Normalization.CIFAR10;
    String json = meta.get(ModelFormat.KEY_NORMALIZATION);
    if (json != null) {
      try {
        normalization = Normalization.fromJson(json);
      } catch (IllegalArgumentException e) {
        throw new IOException(
            model + ": " + ModelFormat.KEY_NORMALIZATION + ": " + e.getMessage(), e);
      }
    }
    return new ModelShape(
        size,
        classes,
        normalization,
        embedded(model, meta.get(ModelFormat.KEY_SAMPLE_PIXELS), size));
  }

  /** Values per image, {@code 3·S·S}. */
  int imageValues() {
    return 3 * imageSize * imageSize;
  }

  /** A static dimension of the named graph input or output, or {@code fallback}. */
  private static int dim(List<ValueInfoProto> values, String name, int index, int fallback) {
    for (ValueInfoProto v : values) {
      if (v.getName().equals(name)) {
        TensorShapeProto shape = v.getType().getTensorType().getShape();
        if (shape.getDimCount() > index && shape.getDim(index).hasDimValue()) {
          return (int) shape.getDim(index).getDimValue();
        }
      }
    }
    return fallback;
  }

  /** The images of {@code stn4j.sample_pixels}: base64 of N records of 3·S·S bytes. */
  private static List<float[]> embedded(Path model, String base64, int size) throws IOException {
    List<float[]> images = new ArrayList<>();
    if (base64 == null) {
      return images;
    }
    byte[] pixels;
    try {
      pixels = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IOException(model + ": " + ModelFormat.KEY_SAMPLE_PIXELS + ": not base64", e);
    }
    int per = 3 * size * size;
    if (pixels.length == 0 || pixels.length % per != 0) {
      throw new IOException(
          String.format(
              "%s: %s: %d bytes are not whole %dx%d images",
              model, ModelFormat.KEY_SAMPLE_PIXELS, pixels.length, size, size));
    }
    for (int from = 0; from < pixels.length; from += per) {
      float[] chw = new float[per];
      for (int i = 0; i < per; i++) {
        chw[i] = (pixels[from + i] & 0xff) / 255f;
      }
      images.add(chw);
    }
    return images;
  }
}
