package dev.stn4j.serve;

import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.Theta;
import dev.stn4j.sdk.internal.ModelFormat;
import java.util.Arrays;
import java.util.List;

/**
 * The served model's tensors as the Open Inference Protocol describes them, at its class count K
 * and image size S: the one source of the metadata's shapes ({@code [-1,3,S,S]}, {@code [-1,K]},
 * ...) and of the output tensors' shapes and values, for REST and gRPC alike.
 */
final class ModelTensors {
  static final String FP32 = "FP32";

  /** One tensor of the metadata; -1 in a shape means any size. */
  record Tensor(String name, String datatype, List<Long> shape) {}

  private final int classes;
  private final int size;

  /** The tensors of a model of {@code classes} classes taking 3×{@code size}×{@code size}. */
  ModelTensors(int classes, int size) {
    this.classes = classes;
    this.size = size;
  }

  /** The model's one input, {@code image}, {@code [-1,3,S,S]}. */
  Tensor input() {
    return new Tensor(ModelFormat.INPUT_IMAGE, FP32, List.of(-1L, 3L, (long) size, (long) size));
  }

  /** The model's outputs, in the contract's order, the batch dimension -1. */
  List<Tensor> outputs() {
    return OpenInference.OUTPUT_NAMES.stream()
        .map(
            name -> {
              long[] s = outputShape(name, 1);
              s[0] = -1;
              return new Tensor(name, FP32, Arrays.stream(s).boxed().toList());
            })
        .toList();
  }

  /** The shape of output {@code name} for {@code n} images. */
  long[] outputShape(String name, int n) {
    return switch (name) {
      case ModelFormat.OUTPUT_PROBABILITIES -> new long[] {n, classes};
      case ModelFormat.OUTPUT_THETA -> new long[] {n, 2, 3};
      default -> new long[] {n, 3, size, size};
    };
  }

  /** Output {@code name} of these predictions, flattened row-major. */
  float[] outputValues(String name, List<Prediction> predictions) {
    int n = predictions.size();
    switch (name) {
      case ModelFormat.OUTPUT_PROBABILITIES -> {
        int c = predictions.isEmpty() ? 0 : predictions.get(0).probabilities().length;
        float[] v = new float[n * c];
        for (int i = 0; i < n; i++) {
          System.arraycopy(predictions.get(i).probabilities(), 0, v, i * c, c);
        }
        return v;
      }
      case ModelFormat.OUTPUT_THETA -> {
        float[] v = new float[n * 6];
        for (int i = 0; i < n; i++) {
          Theta t = predictions.get(i).theta();
          float[] row = {t.a(), t.b(), t.tx(), t.c(), t.d(), t.ty()};
          System.arraycopy(row, 0, v, i * 6, 6);
        }
        return v;
      }
      default -> {
        int values = 3 * size * size;
        float[] v = new float[n * values];
        for (int i = 0; i < n; i++) {
          System.arraycopy(predictions.get(i).warped().chw(), 0, v, i * values, values);
        }
        return v;
      }
    }
  }
}
