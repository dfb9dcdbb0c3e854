package dev.stn4j.train;

import dev.stn4j.train.model.Architecture;
import picocli.CommandLine.Option;

/**
 * {@code stn train}'s recipe options: everything {@link TrainSettings} holds but the validation
 * split's size and the image size, which come from the data. The defaults are the recipe, which
 * lives once, in {@link TrainSettings.Builder}.
 */
final class RecipeOptions {
  private static final TrainSettings RECIPE = TrainSettings.builder().build();

  @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs = RECIPE.epochs();

  @Option(names = "--batch-size", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batchSize = RECIPE.batchSize();

  @Option(
      names = "--lr",
      description = "Peak (one-cycle) or constant learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate = RECIPE.learningRate();

  @Option(names = "--schedule", description = "one-cycle | constant (default: ${DEFAULT-VALUE}).")
  String schedule = "one-cycle";

  @Option(
      names = "--warmup",
      description = "One-cycle warm-up share of the steps (default: ${DEFAULT-VALUE}).")
  double warmup = RECIPE.warmupFraction();

  @Option(
      names = "--loc-lr-factor",
      description =
          "Localization net's rate relative to the classifier's (default: 0.1; 1 with --rotate or"
              + " --scale, where at 0.1 the transformer did not learn to undo the distortions).")
  Double locLrFactor;

  @Option(
      names = "--momentum",
      description = "SGD momentum, 0 for plain SGD (default: ${DEFAULT-VALUE}).")
  double momentum = RECIPE.momentum();

  @Option(names = "--weight-decay", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay = RECIPE.weightDecay();

  @Option(
      names = "--flip",
      negatable = true,
      description =
          "Random horizontal flips (default: on, also for image folders: turn them off with"
              + " --no-flip where mirrored images mean something else, e.g. text or signs).")
  boolean flip = RECIPE.flip();

  @Option(
      names = "--conv-dropout",
      description = "Dropout2d rate after the classifier's 2nd conv (default: ${DEFAULT-VALUE}).")
  float convDropout = RECIPE.convDropout();

  @Option(
      names = "--fc-dropout",
      description =
          "Dropout rate after the classifier's 1st linear layer (default: ${DEFAULT-VALUE}).")
  float fcDropout = RECIPE.fcDropout();

  @Option(
      names = "--label-smoothing",
      description = "Label smoothing ε of the cross-entropy (default: ${DEFAULT-VALUE}).")
  double labelSmoothing = RECIPE.labelSmoothing();

  @Option(
      names = "--translate",
      description =
          "Random shifts of up to this many pixels (zero-pad and crop) (default: 2 at 32x32,"
              + " scaled with --image-size: round(S/16)).")
  Integer translate;

  @Option(
      names = "--rotate",
      paramLabel = "DEG",
      description =
          "Random rotations of each training image, uniform in [-DEG, DEG] degrees, drawn per image"
              + " and epoch; with --rotate or --scale every distortion (the shift too) is one"
              + " bilinear warp whose uncovered areas are the mean colour (default: none; 0..180).")
  double rotate = RECIPE.rotate();

  @Option(
      names = "--scale",
      paramLabel = "MIN,MAX",
      description =
          "Random scales of each training image's content, uniform in [MIN, MAX], e.g. 0.8,1.2"
              + " (default: none; 0.1 <= MIN <= MAX <= 4).")
  String scale;

  @Option(
      names = "--no-transformer",
      description =
          "Train the classifier alone: no localization network, θ fixed to the identity (the"
              + " baseline that shows what the transformer adds); same recipe and outputs.")
  boolean noTransformer;

  @Option(
      names = "--ema",
      description =
          "Decay of an exponential moving average of the weights, evaluated and exported; 0 for"
              + " none, e.g. 0.999 (default: ${DEFAULT-VALUE}).")
  double emaDecay = RECIPE.emaDecay();

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = RECIPE.seed();

  /** The settings, with the data's validation split size and image size. */
  TrainSettings settings(int validationImages, int imageSize) {
    TrainSettings.Builder settings =
        TrainSettings.builder()
            .epochs(epochs)
            .batchSize(batchSize)
            .learningRate(learningRate)
            .schedule(parseSchedule(schedule))
            .warmupFraction(warmup)
            .momentum(momentum)
            .weightDecay(weightDecay)
            .flip(flip)
            .convDropout(convDropout)
            .fcDropout(fcDropout)
            .seed(seed)
            .validation(validationImages)
            .labelSmoothing(labelSmoothing)
            .translate(translate != null ? translate : TrainSettings.recipeTranslate(imageSize))
            .emaDecay(emaDecay)
            .imageSize(imageSize)
            .rotate(rotate)
            .scale(scaleRange()[0], scaleRange()[1])
            .architecture(architecture());
    if (locLrFactor != null) {
      settings.locLrFactor(locLrFactor); // else the recipe's, which depends on --rotate/--scale
    }
    return settings.build();
  }

  /** The network {@code --no-transformer} asks for. */
  Architecture architecture() {
    return noTransformer ? Architecture.CNN : Architecture.STN;
  }

  private double[] scaleRange() {
    if (scale == null) {
      return new double[] {1, 1};
    }
    String[] parts = scale.split(",", -1);
    try {
      if (parts.length == 2) {
        return new double[] {
          Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim())
        };
      }
    } catch (NumberFormatException e) {
      // The message below says what is expected.
    }
    throw new IllegalArgumentException(
        "--scale " + scale + ": expected MIN,MAX, two numbers such as 0.8,1.2");
  }

  private static TrainSettings.Schedule parseSchedule(String s) {
    try {
      return TrainSettings.Schedule.parse(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--schedule must be one-cycle or constant, got " + s, e);
    }
  }
}
