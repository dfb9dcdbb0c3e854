package dev.stn4j.cli;

import dev.stn4j.files.ImageFile;
import dev.stn4j.sdk.Prediction;

/**
 * What became of one input: a prediction, or the reason it has none.
 *
 * @param input the input, as found
 * @param image the pre-processed S×S CHW image the model saw (S: the model's size), or null on
 *     failure
 * @param prediction the model's answer, or null on failure
 * @param error why there is no prediction (without the path, which the record carries), or null
 */
record Outcome(ImageFile input, float[] image, Prediction prediction, String error) {
  static Outcome success(ImageFile input, float[] image, Prediction prediction) {
    return new Outcome(input, image, prediction, null);
  }

  static Outcome failure(ImageFile input, String error) {
    return new Outcome(input, null, null, error);
  }

  boolean ok() {
    return prediction != null;
  }
}
