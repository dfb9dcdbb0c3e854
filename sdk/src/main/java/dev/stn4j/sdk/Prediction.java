package dev.stn4j.sdk;

import java.util.Arrays;
import java.util.Objects;

/**
 * One image's result: the predicted class, its probability, the probabilities of all the model's
 * classes, the spatial transformer's θ and the warped image. Immutable; arrays are copied in and
 * out.
 *
 * <pre>{@code
 * Prediction p = classifier.predict(Path.of("ship.png"));
 * System.out.printf("%s (%.1f%%) theta=%s%n", p.label(), 100 * p.confidence(), p.theta());
 * }</pre>
 *
 * @param classIndex index of the most probable class (the lowest index on ties)
 * @param label that class's name from the model's metadata
 * @param confidence that class's probability
 * @param probabilities the softmax probabilities of all classes, in label order
 * @param theta the affine transform predicted by the localisation network
 * @param warped the warped image the classifier saw
 */
public record Prediction(
    int classIndex,
    String label,
    float confidence,
    float[] probabilities,
    Theta theta,
    WarpedImage warped) {
  /** Copies {@code probabilities} and checks that {@code classIndex} is one of them. */
  public Prediction {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(theta, "theta");
    Objects.requireNonNull(warped, "warped");
    probabilities = probabilities.clone();
    if (classIndex < 0 || classIndex >= probabilities.length) {
      throw new IllegalArgumentException(
          "classIndex " + classIndex + " outside 0.." + (probabilities.length - 1));
    }
  }

  /** A copy of the class probabilities. */
  @Override
  public float[] probabilities() {
    return probabilities.clone();
  }

  /** Probability of class {@code index}, without copying the array. */
  public float probability(int index) {
    return probabilities[index];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Prediction p
        && classIndex == p.classIndex
        && label.equals(p.label)
        && Float.compare(confidence, p.confidence) == 0
        && Arrays.equals(probabilities, p.probabilities)
        && theta.equals(p.theta)
        && warped.equals(p.warped);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classIndex, label, confidence, Arrays.hashCode(probabilities), theta);
  }

  @Override
  public String toString() {
    return "Prediction[classIndex="
        + classIndex
        + ", label="
        + label
        + ", confidence="
        + confidence
        + ", probabilities="
        + Arrays.toString(probabilities)
        + ", theta="
        + theta
        + "]";
  }
}
