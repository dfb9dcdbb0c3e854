package dev.stn4j.sdk;

import java.util.Objects;

/**
 * What {@link StnClassifier#predictEach} gives for one input: its prediction, or the error that
 * input alone got (the other inputs are unaffected).
 *
 * <pre>{@code
 * List<PredictionResult> results = classifier.predictEach(images);
 * for (int i = 0; i < results.size(); i++) {
 *   PredictionResult r = results.get(i);
 *   if (r.succeeded()) {
 *     System.out.println(i + " " + r.prediction().label());
 *   } else {
 *     System.err.println(r.error().getMessage()); // "input 7: value 12 (...) is NaN; ..."
 *   }
 * }
 * }</pre>
 *
 * @param prediction the prediction, or null when the input failed
 * @param error why the input failed, or null when it succeeded
 */
public record PredictionResult(Prediction prediction, StnException error) {
  /** Exactly one of the two is present. */
  public PredictionResult {
    if ((prediction == null) == (error == null)) {
      throw new IllegalArgumentException("exactly one of prediction and error must be given");
    }
  }

  static PredictionResult of(Prediction prediction) {
    return new PredictionResult(Objects.requireNonNull(prediction, "prediction"), null);
  }

  static PredictionResult failed(StnException error) {
    return new PredictionResult(null, Objects.requireNonNull(error, "error"));
  }

  /** True when the input has a prediction. */
  public boolean succeeded() {
    return prediction != null;
  }

  /**
   * The prediction, or the input's error thrown.
   *
   * @throws StnException the error this input got
   */
  public Prediction get() throws StnException {
    if (error != null) {
      throw error;
    }
    return prediction;
  }
}
