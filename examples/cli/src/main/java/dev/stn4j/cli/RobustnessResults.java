package dev.stn4j.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code stn robustness} measured: per model, its accuracy on the undistorted images and its
 * inference speed; per model and distortion level, the accuracy and, for models with a spatial
 * transformer, the distortion recovered from θ ({@link RecoveredTransform}).
 *
 * @param data the test batch file or tree
 * @param tree whether {@code data} is a labelled tree
 * @param images the test images classified (each at every level)
 * @param failed the images that could not be read, left out
 * @param seed the seed of the per-image draws
 * @param imageSize S of every model
 * @param classes the models' classes
 * @param models one entry per model, in the order given
 * @param levels one entry per model × distortion level, model by model in the order given
 */
record RobustnessResults(
    Path data,
    boolean tree,
    long images,
    long failed,
    long seed,
    int imageSize,
    List<String> classes,
    List<ModelResult> models,
    List<LevelResult> levels) {

  /**
   * One model's figures over the whole run.
   *
   * @param name the model's name in the outputs (its file name, or the path when two share it)
   * @param source the file, or "the shipped model"
   * @param architecture {@code stn} or {@code cnn}
   * @param transformer whether θ is predicted (not the identity)
   * @param mean the normalisation mean: the fill colour of its distorted copies
   * @param correct images classified right when undistorted
   * @param classified images run through the model, every level included
   * @param seconds time inside {@code predictAll} for them
   * @param atRest what the transformer does to the undistorted images, null without one
   */
  record ModelResult(
      String name,
      String source,
      String architecture,
      boolean transformer,
      List<Double> mean,
      long correct,
      long classified,
      double seconds,
      ThetaAtRest atRest) {
    /** Accuracy on the undistorted images, of {@code images} of the run. */
    double accuracy(long images) {
      return images == 0 ? 0 : (double) correct / images;
    }

    /** Images per second over the run (inference only, decoding and warping excluded). */
    double imagesPerSecond() {
      return seconds > 0 ? classified / seconds : 0;
    }
  }

  /**
   * Where a transformer's θ ends up: on each undistorted image, the warp it applies ({@code θ⁻¹},
   * read as {@link RecoveredTransform} against the identity), over the images. A transformer that
   * stayed at its identity start gives rotation 0, scale 1, shift 0 with no spread; one that learnt
   * a fixed crop gives a scale or shift away from those with little spread; one that aligns each
   * image gives a wide spread.
   *
   * @param rotation degrees, counter-clockwise as displayed
   * @param scale above 1 when the content is enlarged (the transformer zooms in)
   * @param shift length of the content's move, in pixels
   * @param singular images whose θ was singular, left out of the three above
   */
  record ThetaAtRest(Spread rotation, Spread scale, Spread shift, long singular) {}

  /**
   * One model at one distortion level.
   *
   * @param model the model's name
   * @param distortion the kind and level
   * @param images images classified
   * @param correct of them right
   * @param rotation recovered rotation (degrees; for rotations multiplied by the image's sign, so
   *     it compares with the level), null without a transformer
   * @param scale recovered scale, null without a transformer
   * @param shift recovered shift along the applied direction (pixels), for shifts only, else null
   * @param unrecovered images whose θ on the original was singular, left out of the three above
   */
  record LevelResult(
      String model,
      Distortion distortion,
      long images,
      long correct,
      Spread rotation,
      Spread scale,
      Spread shift,
      long unrecovered) {
    double accuracy() {
      return images == 0 ? 0 : (double) correct / images;
    }
  }

  /** The levels of one model and kind, in the order given. */
  List<LevelResult> levels(String model, Distortion.Kind kind) {
    return levels.stream()
        .filter(l -> l.model().equals(model) && l.distortion().kind() == kind)
        .toList();
  }
}
