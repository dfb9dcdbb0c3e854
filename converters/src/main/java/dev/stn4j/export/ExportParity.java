package dev.stn4j.export;

import ai.onnxruntime.OrtException;
import dev.stn4j.sdk.internal.ArgMax;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.data.TrainingImages;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * How closely an exported model, run by ONNX Runtime, reproduces the trainer (DJL) on a set of
 * images: {@code stn export} measures it on the model's own sample images and says so, so a user
 * model's parity is a figure of every export, not only of the tests.
 *
 * @param images how many images were compared
 * @param maxProbabilityDifference max |Δ| over every probability of every image
 * @param classesDiffering images whose arg-max class differs
 */
record ExportParity(int images, double maxProbabilityDifference, int classesDiffering) {

  /** Runs {@code images} through the trainer's network and through {@code model}. */
  static ExportParity measure(
      byte[] model, StnWeights weights, Normalization normalization, TrainingImages images)
      throws IOException {
    int k = weights.shape().classes();
    float[] djl = SamplePredictor.probabilities(weights, normalization, images);
    float[] ort = new float[djl.length];
    try (OrtModel session = new OrtModel(model, "the exported model")) {
      for (int from = 0; from < images.size(); from += OrtModel.CHUNK) {
        int n = Math.min(OrtModel.CHUNK, images.size() - from);
        float[] p =
            session
                .run(images, from, n, Set.of(ModelFormat.OUTPUT_PROBABILITIES))
                .get(ModelFormat.OUTPUT_PROBABILITIES);
        System.arraycopy(p, 0, ort, from * k, n * k);
      }
    } catch (OrtException e) {
      throw new IOException("ONNX Runtime cannot run the exported model: " + e.getMessage(), e);
    }
    double max = 0;
    int differing = 0;
    for (int i = 0; i < images.size(); i++) {
      for (int c = 0; c < k; c++) {
        max = Math.max(max, Math.abs(djl[i * k + c] - ort[i * k + c]));
      }
      differing += ArgMax.of(djl, i * k, k) != ArgMax.of(ort, i * k, k) ? 1 : 0;
    }
    return new ExportParity(images.size(), max, differing);
  }

  /** One line for the command's output. */
  String summary() {
    return String.format(
        Locale.ROOT,
        "ONNX Runtime vs the trainer on the %d sample images: max |dP| %.2e, %d classes differ",
        images,
        maxProbabilityDifference,
        classesDiffering);
  }
}
