package dev.stn4j.sdk;

import java.util.Objects;

/**
 * What {@link StnClassifier#predictEach} gives for one input: a {@link Success} with its
 * prediction, or a {@link Failure} with the error that input alone got (the other inputs are
 * unaffected).
 *
 * <pre>{@code
 * List<PredictionResult> results = classifier.predictEach(images);
 * for (int i = 0; i < results.size(); i++) {
 *   if (results.get(i) instanceof PredictionResult.Success s) {
 *     System.out.println(i + " " + s.prediction().label());
 *   } else if (results.get(i) instanceof PredictionResult.Failure f) {
 *     System.err.println(f.error().getMessage()); // "input 7: value 12 (...) is NaN; ..."
 *   }
 * }
 * }</pre>
 *
 * <p>On Java 21, {@code switch (result) { case Success s -> ...; case Failure f -> ... }} is
 * checked for exhaustiveness; {@link #get()} turns a failure back into its exception.
 */
public sealed interface PredictionResult {
  /** True for a {@link Success}. */
  default boolean succeeded() {
    return this instanceof Success;
  }

  /**
   * The prediction, or the input's error thrown.
   *
   * @throws StnException the error this input got
   */
  Prediction get() throws StnException;

  /** The input was predicted. */
  record Success(Prediction prediction) implements PredictionResult {
    public Success {
      Objects.requireNonNull(prediction, "prediction");
    }

    @Override
    public Prediction get() {
      return prediction;
    }
  }

  /**
   * The input failed.
   *
   * @param error why, naming the input
   */
  record Failure(StnException error) implements PredictionResult {
    public Failure {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public Prediction get() throws StnException {
      throw error;
    }
  }
}
