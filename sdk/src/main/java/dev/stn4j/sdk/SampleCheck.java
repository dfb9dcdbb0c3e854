package dev.stn4j.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The self-check of a model that carries its own sample images: the classifier must give the
 * trainer's recorded answer on every one, or the file is not the model it claims to be (or this
 * runtime computes something else).
 *
 * <p>The trainer (DJL) and a runtime agree to about 1e-6 in probability, not bit for bit, so an
 * image whose two best classes are tied within that may legitimately come out either way: an answer
 * counts as given when the recorded class's probability is within {@link #TIE} of the best one's. A
 * wrong model or a wrong runtime misses by far more.
 */
final class SampleCheck {
  /** The parity bound between the trainer and ONNX Runtime on probabilities (docs/model-format). */
  static final float TIE = 1e-4f;

  private SampleCheck() {}

  static int run(StnClassifier classifier, String model) throws StnException {
    Optional<SampleSet> found = classifier.modelInfo().sampleSet();
    if (found.isEmpty()) {
      return 0;
    }
    SampleSet samples = found.get();
    List<float[]> images = new ArrayList<>(samples.size());
    for (int i = 0; i < samples.size(); i++) {
      images.add(samples.image(i));
    }
    List<Prediction> got = classifier.predictAll(images);
    int[] expected = samples.predicted();
    int wrong = 0;
    int first = -1;
    for (int i = 0; i < expected.length; i++) {
      if (!gives(got.get(i), expected[i])) {
        wrong++;
        first = first < 0 ? i : first;
      }
    }
    if (wrong > 0) {
      throw new StnException(
          ErrorCode.INVALID_MODEL,
          String.format(
              "%s: %d of its %d embedded sample images get another class than the trainer"
                  + " recorded; first: image %d, expected class %d, got %d",
              model, wrong, expected.length, first, expected[first], got.get(first).classIndex()));
    }
    return expected.length;
  }

  /** Whether {@code p} gives the recorded class, up to a tie within {@link #TIE}. */
  static boolean gives(Prediction p, int recorded) {
    return p.classIndex() == recorded
        || p.probability(p.classIndex()) - p.probability(recorded) <= TIE;
  }
}
