package dev.stn4j.train;

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
          "Localization net's rate relative to the classifier's (default: ${DEFAULT-VALUE}).")
  double locLrFactor = RECIPE.locLrFactor();

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
      names = "--ema",
      description =
          "Decay of an exponential moving average of the weights, evaluated and exported; 0 for"
              + " none, e.g. 0.999 (default: ${DEFAULT-VALUE}).")
  double emaDecay = RECIPE.emaDecay();

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = RECIPE.seed();

  /** The settings, with the data's validation split size and image size. */
  TrainSettings settings(int validationImages, int imageSize) {
    return TrainSettings.builder()
        .epochs(epochs)
        .batchSize(batchSize)
        .learningRate(learningRate)
        .schedule(parseSchedule(schedule))
        .warmupFraction(warmup)
        .locLrFactor(locLrFactor)
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
        .build();
  }

  private static TrainSettings.Schedule parseSchedule(String s) {
    try {
      return TrainSettings.Schedule.parse(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--schedule must be one-cycle or constant, got " + s, e);
    }
  }
}
