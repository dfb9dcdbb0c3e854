package dev.stn4j.export;

import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/**
 * Untrained weights that exercise the whole graph, for parity tests and placeholder models: initial
 * weights with θ's last layer perturbed (a base of rotation 25°, scales 0.85 and 1.1 and a
 * translation, plus image-dependent terms, so the sampler interpolates, reads outside the image and
 * every θ differs), and the last classifier layer scaled up so that the predicted classes are
 * decided by clear margins rather than by rounding.
 */
final class PerturbedWeights {
  static final float CLASSIFIER_GAIN = 30f;

  private PerturbedWeights() {}

  /** CIFAR-10-shaped. */
  static StnWeights of(long seed) {
    return of(StnShape.CIFAR10, seed);
  }

  static StnWeights of(StnShape shape, long seed) {
    StnWeights initial = StnWeights.initial(shape, seed);
    Map<StnParameter, float[]> values = new EnumMap<>(StnParameter.class);
    for (StnParameter p : StnParameter.values()) {
      values.put(p, initial.get(p));
    }
    Random random = new Random(seed);
    float[] fc2 = new float[StnParameter.LOC_FC2_WEIGHT.size(shape)];
    for (int k = 0; k < fc2.length; k++) {
      fc2[k] = (random.nextFloat() * 2 - 1) * 0.3f;
    }
    values.put(StnParameter.LOC_FC2_WEIGHT, fc2);
    double a = Math.toRadians(25);
    values.put(
        StnParameter.LOC_FC2_BIAS,
        new float[] {
          (float) (0.85 * Math.cos(a)), (float) (-1.1 * Math.sin(a)), 0.15f,
          (float) (0.85 * Math.sin(a)), (float) (1.1 * Math.cos(a)), -0.1f
        });
    float[] cls = values.get(StnParameter.CLS_FC2_WEIGHT);
    for (int k = 0; k < cls.length; k++) {
      cls[k] *= CLASSIFIER_GAIN;
    }
    return StnWeights.of(shape, values);
  }
}
