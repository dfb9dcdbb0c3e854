package dev.stn4j.cli;

import dev.stn4j.cli.RobustnessResults.LevelResult;
import dev.stn4j.cli.RobustnessResults.ModelResult;
import dev.stn4j.image.AffineWarp;
import dev.stn4j.sdk.ModelInfo;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import dev.stn4j.sdk.Theta;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs every model on the same distorted copies of the test images, a range of images at a time:
 * the range is read once, each level's copies are made once per fill colour (a model's
 * normalisation mean), and every model classifies them. θ on the undistorted images is kept per
 * range, to read what each transformer recovered ({@link RecoveredTransform}).
 */
final class RobustnessRun {
  /**
   * A model under test.
   *
   * @param name its name in the outputs
   * @param source where it came from, for the outputs
   * @param classifier the open classifier (owned by the caller)
   */
  record Model(String name, String source, StnClassifier classifier) {
    ModelInfo info() {
      return classifier.modelInfo();
    }

    float[] fill() {
      List<Double> mean = info().normalization().mean();
      return new float[] {
        mean.get(0).floatValue(), mean.get(1).floatValue(), mean.get(2).floatValue()
      };
    }
  }

  /** Floats of all images in one range, a bound on the memory a range takes (~32 MB a copy). */
  private static final int RANGE_VALUES = 8_000_000;

  private final List<Model> models;
  private final List<Distortion> distortions;
  private final long seed;
  private final int size;
  private final Tally[][] tallies;
  private final long[] baseline;
  private final long[] classified;
  private final long[] nanos;
  private final Tally[] atRest;

  RobustnessRun(List<Model> models, List<Distortion> distortions, long seed) {
    this.models = List.copyOf(models);
    this.distortions = List.copyOf(distortions);
    this.seed = seed;
    this.size = models.get(0).info().imageSize();
    this.tallies = new Tally[models.size()][distortions.size()];
    for (Tally[] row : tallies) {
      Arrays.setAll(row, i -> new Tally());
    }
    this.baseline = new long[models.size()];
    this.classified = new long[models.size()];
    this.nanos = new long[models.size()];
    this.atRest = new Tally[models.size()];
    Arrays.setAll(atRest, i -> new Tally());
  }

  /** Images per range: up to 500, fewer for large images. */
  int rangeSize() {
    return Math.max(16, Math.min(500, RANGE_VALUES / (3 * size * size)));
  }

  /** Classifies every image at every level; failed reads are named on {@code err} and left out. */
  RobustnessResults run(LabelledImages data, TestData source, Progress progress, PrintWriter err)
      throws IOException, StnException {
    long images = 0;
    long failed = 0;
    for (int from = 0; from < data.size(); from += rangeSize()) {
      int to = Math.min(data.size(), from + rangeSize());
      List<float[]> originals = new ArrayList<>();
      List<Integer> indices = new ArrayList<>();
      List<Integer> labels = new ArrayList<>();
      List<LabelledImages.Image> loaded = data.load(from, to);
      for (int i = 0; i < loaded.size(); i++) {
        LabelledImages.Image image = loaded.get(i);
        if (image.image() == null) {
          err.println("stn robustness: " + image.error());
          failed++;
        } else {
          originals.add(image.image());
          indices.add(from + i);
          labels.add(image.label());
        }
      }
      if (!originals.isEmpty()) {
        runRange(originals, indices, labels, progress);
        images += originals.size();
      }
    }
    return results(source, images, failed);
  }

  private void runRange(
      List<float[]> originals, List<Integer> indices, List<Integer> labels, Progress progress)
      throws StnException {
    List<List<Prediction>> base = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      List<Prediction> predictions = predict(m, originals);
      baseline[m] += correct(predictions, labels);
      base.add(predictions);
      if (models.get(m).info().hasTransformer()) {
        tallyAtRest(atRest[m], predictions);
      }
    }
    for (int d = 0; d < distortions.size(); d++) {
      Distortion distortion = distortions.get(d);
      Map<List<Float>, List<float[]>> copies = new LinkedHashMap<>();
      for (int m = 0; m < models.size(); m++) {
        List<Prediction> predictions;
        if (distortion.identity()) {
          // AffineWarp's identity copies every pixel exactly: the undistorted run's answers.
          predictions = base.get(m);
        } else {
          float[] fill = models.get(m).fill();
          List<float[]> warped =
              copies.computeIfAbsent(asList(fill), f -> warp(distortion, originals, indices, fill));
          predictions = predict(m, warped);
        }
        tally(tallies[m][d], m, distortion, predictions, base.get(m), indices, labels);
        progress.step(originals.size());
      }
    }
  }

  private List<float[]> warp(
      Distortion distortion, List<float[]> originals, List<Integer> indices, float[] fill) {
    List<float[]> warped = new ArrayList<>(originals.size());
    for (int i = 0; i < originals.size(); i++) {
      AffineWarp w = distortion.warp(seed, indices.get(i));
      warped.add(w.apply(originals.get(i), size, fill));
    }
    return warped;
  }

  private List<Prediction> predict(int model, List<float[]> images) throws StnException {
    long start = System.nanoTime();
    List<Prediction> predictions = models.get(model).classifier().predictAll(images);
    nanos[model] += System.nanoTime() - start;
    classified[model] += images.size();
    return predictions;
  }

  private void tally(
      Tally tally,
      int model,
      Distortion distortion,
      List<Prediction> predictions,
      List<Prediction> base,
      List<Integer> indices,
      List<Integer> labels) {
    tally.images += predictions.size();
    tally.correct += correct(predictions, labels);
    if (!models.get(model).info().hasTransformer()) {
      return;
    }
    for (int i = 0; i < predictions.size(); i++) {
      Theta distorted = predictions.get(i).theta();
      Optional<RecoveredTransform> r = RecoveredTransform.of(distorted, base.get(i).theta());
      if (r.isEmpty()) {
        tally.unrecovered++;
        continue;
      }
      Distortion.Draws draws = Distortion.Draws.of(seed, indices.get(i));
      double rotation = r.get().rotationDegrees();
      if (distortion.kind() == Distortion.Kind.ROTATION) {
        rotation *= draws.sign();
        rotation = rotation == -180 ? 180 : rotation;
      }
      tally.rotation.add(rotation);
      tally.scale.add(r.get().scale());
      if (distortion.kind() == Distortion.Kind.SHIFT) {
        tally.shift.add(r.get().shiftAlong(draws.cos(), draws.sin(), size));
      }
    }
  }

  /**
   * What the transformer does to each undistorted image, as the warp {@code θ⁻¹} it applies (read
   * in {@link RecoveredTransform}'s convention against the identity): where θ ends up in training.
   */
  private void tallyAtRest(Tally tally, List<Prediction> predictions) {
    for (Prediction p : predictions) {
      Optional<RecoveredTransform> r = RecoveredTransform.warpOf(p.theta());
      if (r.isEmpty()) {
        tally.unrecovered++;
        continue;
      }
      tally.rotation.add(r.get().rotationDegrees());
      tally.scale.add(r.get().scale());
      tally.shift.add(r.get().shiftLength(size));
    }
  }

  private static long correct(List<Prediction> predictions, List<Integer> labels) {
    long right = 0;
    for (int i = 0; i < predictions.size(); i++) {
      right += predictions.get(i).classIndex() == labels.get(i) ? 1 : 0;
    }
    return right;
  }

  private RobustnessResults results(TestData source, long images, long failed) {
    List<ModelResult> modelResults = new ArrayList<>();
    List<LevelResult> levelResults = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      Model model = models.get(m);
      ModelInfo info = model.info();
      modelResults.add(
          new ModelResult(
              model.name(),
              model.source(),
              info.architecture(),
              info.hasTransformer(),
              info.normalization().mean(),
              baseline[m],
              classified[m],
              nanos[m] / 1e9,
              info.hasTransformer()
                  ? new RobustnessResults.ThetaAtRest(
                      Spread.of(atRest[m].rotation.values()),
                      Spread.of(atRest[m].scale.values()),
                      Spread.of(atRest[m].shift.values()),
                      atRest[m].unrecovered)
                  : null));
      for (int d = 0; d < distortions.size(); d++) {
        Tally t = tallies[m][d];
        levelResults.add(
            new LevelResult(
                model.name(),
                distortions.get(d),
                t.images,
                t.correct,
                Spread.of(t.rotation.values()),
                Spread.of(t.scale.values()),
                Spread.of(t.shift.values()),
                t.unrecovered));
      }
    }
    ModelInfo first = models.get(0).info();
    return new RobustnessResults(
        source.path(),
        source.tree(),
        images,
        failed,
        seed,
        size,
        first.classNames(),
        modelResults,
        levelResults);
  }

  private static List<Float> asList(float[] fill) {
    return List.of(fill[0], fill[1], fill[2]);
  }

  /** One model at one level, as the ranges go by. */
  private static final class Tally {
    long images;
    long correct;
    long unrecovered;
    final Values rotation = new Values();
    final Values scale = new Values();
    final Values shift = new Values();
  }

  /** A growing list of doubles, without boxing. */
  private static final class Values {
    private double[] values = new double[64];
    private int size;

    void add(double v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, 2 * size);
      }
      values[size++] = v;
    }

    double[] values() {
      return Arrays.copyOf(values, size);
    }
  }
}
