package dev.stn4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stn4j.train.model.Architecture;
import java.util.Locale;

/**
 * Everything that determines a training run's result. Immutable; made with {@link #builder()},
 * which validates each value. The defaults are the recipe chosen on validation accuracy in
 * trainer/RECIPES.md (run r2: 60 epochs, EMA 0.999, ±2-pixel translations, label smoothing 0.1).
 *
 * <pre>{@code
 * TrainSettings s = TrainSettings.builder().epochs(30).seed(7).build();
 * }</pre>
 *
 * @param epochs passes over the training split
 * @param batchSize images per step
 * @param learningRate peak learning rate (one-cycle) or the constant rate
 * @param schedule how the learning rate changes over the run
 * @param warmupFraction share of the steps spent rising to the peak (one-cycle only)
 * @param locLrFactor the localization network's rate relative to the classifier's
 * @param momentum SGD momentum (0 = plain SGD)
 * @param weightDecay L2 penalty added to every gradient
 * @param flip random horizontal flips of training images
 * @param convDropout channel dropout after the classifier's second convolution
 * @param fcDropout dropout after the classifier's first linear layer
 * @param seed fixes initial weights, shuffling, flips and dropout masks
 * @param validation training images held out (the last ones) to choose recipes on; 0 for none
 * @param labelSmoothing share ε of the target spread evenly over the classes (0 = plain
 *     cross-entropy)
 * @param translate largest random shift, in pixels, of a training image (zero-padded and cropped
 *     back to S×S; 0 = none; at most S/4)
 * @param emaDecay decay of the exponential moving average of the weights, which is evaluated and
 *     exported when on (0 = off)
 * @param imageSize the side S of the model's square input (32 for CIFAR-10)
 * @param rotate largest random rotation of a training image, in degrees either way (0 = none; at
 *     most 180)
 * @param scaleMin smallest random scale of a training image's content (1 with {@code scaleMax} 1 =
 *     none)
 * @param scaleMax largest random scale ({@code scaleMin} to 4)
 * @param architecture the network trained: the STN, or its classifier alone
 */
record TrainSettings(
    int epochs,
    int batchSize,
    double learningRate,
    Schedule schedule,
    double warmupFraction,
    double locLrFactor,
    double momentum,
    double weightDecay,
    boolean flip,
    float convDropout,
    float fcDropout,
    long seed,
    int validation,
    double labelSmoothing,
    int translate,
    double emaDecay,
    int imageSize,
    double rotate,
    double scaleMin,
    double scaleMax,
    Architecture architecture) {

  /** The largest {@code --rotate}: every angle. */
  static final double MAX_ROTATE = 180;

  /** The bounds of {@code --scale}. */
  static final double MIN_SCALE = 0.1;

  static final double MAX_SCALE = 4;

  /** CIFAR-10's side, for which the recipe was chosen. */
  static final int RECIPE_IMAGE_SIZE = 32;

  /**
   * The recipe's localization rate factor, 0.1 (the shipped recipe's); 1 when the training images
   * are rotated or scaled ({@link #warps()}): with rotations to learn, the localization net at a
   * tenth of the classifier's rate stayed near the identity in 20 epochs and at the same rate
   * learnt to undo them (issue 28's runs, benchmarks/RESULTS.md).
   */
  private static final double RECIPE_LOC_LR_FACTOR = 0.1;

  private static final double WARPING_LOC_LR_FACTOR = 1.0;

  /** Learning-rate schedules. */
  public enum Schedule {
    /** Cosine rise from lr/25 to lr over the warm-up, then cosine fall to lr/25e4 (PyTorch's). */
    ONE_CYCLE,
    /** The same rate for every step (the seed's). */
    CONSTANT;

    static Schedule parse(String s) {
      return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** Validates like {@link Builder#build()}. */
  public TrainSettings {
    check(epochs >= 1, "epochs must be >= 1, got " + epochs);
    check(batchSize >= 1, "batch size must be >= 1, got " + batchSize);
    check(
        learningRate > 0 && Double.isFinite(learningRate),
        "learning rate must be > 0, got " + learningRate);
    check(schedule != null, "schedule is required");
    check(
        warmupFraction > 0 && warmupFraction < 1,
        "warm-up fraction must be in (0,1), got " + warmupFraction);
    check(
        locLrFactor >= 0 && Double.isFinite(locLrFactor),
        "loc-lr-factor must be >= 0, got " + locLrFactor);
    check(momentum >= 0 && momentum < 1, "momentum must be in [0,1), got " + momentum);
    check(
        weightDecay >= 0 && Double.isFinite(weightDecay),
        "weight decay must be >= 0, got " + weightDecay);
    check(convDropout >= 0 && convDropout < 1, "conv dropout must be in [0,1), got " + convDropout);
    check(fcDropout >= 0 && fcDropout < 1, "fc dropout must be in [0,1), got " + fcDropout);
    check(validation >= 0, "validation must be >= 0 images, got " + validation);
    check(
        labelSmoothing >= 0 && labelSmoothing < 1,
        "label smoothing must be in [0,1), got " + labelSmoothing);
    check(imageSize >= 1, "image size must be >= 1, got " + imageSize);
    check(
        translate >= 0 && translate <= imageSize / 4,
        "translate must be 0.."
            + imageSize / 4
            + " pixels at image size "
            + imageSize
            + ", got "
            + translate);
    check(emaDecay >= 0 && emaDecay < 1, "EMA decay must be in [0,1), got " + emaDecay);
    check(
        rotate >= 0 && rotate <= MAX_ROTATE,
        "rotate must be 0.." + (int) MAX_ROTATE + " degrees, got " + rotate);
    check(
        scaleMin >= MIN_SCALE && scaleMax <= MAX_SCALE && scaleMin <= scaleMax,
        "scale must be MIN,MAX with "
            + MIN_SCALE
            + " <= MIN <= MAX <= "
            + MAX_SCALE
            + ", got "
            + scaleMin
            + ","
            + scaleMax);
    check(architecture != null, "architecture is required");
  }

  /**
   * Whether training images are rotated or scaled (then every distortion, the shift too, is one
   * affine warp filled with the mean colour); without, shifts are the integer ones of earlier runs.
   */
  boolean warps() {
    return warps(rotate, scaleMin, scaleMax);
  }

  private static boolean warps(double rotate, double scaleMin, double scaleMax) {
    return rotate > 0 || scaleMin != 1 || scaleMax != 1;
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The recipe's shift for images of side {@code imageSize}: its 2 pixels at 32 scaled with the
   * side (rounded; 1 at 16, 2 at 28, 4 at 64), so an object moves by the same share of the image.
   */
  static int recipeTranslate(int imageSize) {
    return (int) Math.round(2.0 * imageSize / RECIPE_IMAGE_SIZE);
  }

  /** The learning rate of the classifier at step {@code step} of {@code totalSteps}. */
  public double learningRateAt(long step, long totalSteps) {
    if (schedule == Schedule.CONSTANT) {
      return learningRate;
    }
    double initial = learningRate / 25;
    double end = initial / 1e4;
    double up = Math.max(1, warmupFraction * totalSteps - 1);
    double down = Math.max(1, totalSteps - 1 - up);
    if (step <= up) {
      return cosine(initial, learningRate, step / up);
    }
    return cosine(learningRate, end, Math.min(1, (step - up) / down));
  }

  private static double cosine(double from, double to, double t) {
    // StrictMath: Math.cos may differ by an ulp between interpreted and JIT-compiled code, which
    // would make a run depend on JIT timing.
    return to + (from - to) * (1 + StrictMath.cos(Math.PI * t)) / 2;
  }

  /** The settings as a JSON object (stored in checkpoints and the ONNX metadata). */
  public String toJson() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("epochs", epochs);
    o.put("batch_size", batchSize);
    o.put("optimizer", momentum > 0 ? "sgd-momentum" : "sgd");
    o.put("lr", learningRate);
    o.put("schedule", schedule.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    o.put("warmup_fraction", warmupFraction);
    o.put("loc_lr_factor", locLrFactor);
    o.put("momentum", momentum);
    o.put("weight_decay", weightDecay);
    o.put("flip", flip);
    o.put("conv_dropout", convDropout);
    o.put("fc_dropout", fcDropout);
    o.put("seed", seed);
    // Only when used, so the settings of runs made before these options still compare equal
    // (--resume checks them).
    if (validation > 0) {
      o.put("validation", validation);
    }
    if (labelSmoothing > 0) {
      o.put("label_smoothing", labelSmoothing);
    }
    if (translate > 0) {
      o.put("translate", translate);
    }
    if (emaDecay > 0) {
      o.put("ema_decay", emaDecay);
    }
    if (imageSize != RECIPE_IMAGE_SIZE) {
      o.put("image_size", imageSize);
    }
    if (rotate > 0) {
      o.put("rotate", rotate);
    }
    if (scaleMin != 1 || scaleMax != 1) {
      ArrayNode scale = o.putArray("scale");
      scale.add(scaleMin);
      scale.add(scaleMax);
    }
    if (architecture != Architecture.STN) {
      o.put("architecture", architecture.key());
    }
    return o.toString();
  }

  /** Builder with the recipe's defaults. */
  public static final class Builder {
    private int epochs = 60;
    private int batchSize = 64;
    private double learningRate = 0.01;
    private Schedule schedule = Schedule.ONE_CYCLE;
    private double warmupFraction = 0.3;
    private Double locLrFactor; // null: the recipe's, which depends on warps()
    private double momentum = 0.9;
    private double weightDecay = 1e-4;
    private boolean flip = true;
    private float convDropout = 0f;
    private float fcDropout = 0f;
    private long seed = 42;
    private int validation = 0;
    private double labelSmoothing = 0.1;
    private int translate = 2;
    private double emaDecay = 0.999;
    private int imageSize = RECIPE_IMAGE_SIZE;
    private double rotate = 0;
    private double scaleMin = 1;
    private double scaleMax = 1;
    private Architecture architecture = Architecture.STN;

    private Builder() {}

    /** Random rotations of up to this many degrees either way; 0 for none. */
    public Builder rotate(double degrees) {
      rotate = degrees;
      return this;
    }

    /** Random scales of the content, uniform in [min, max]; 1, 1 for none. */
    public Builder scale(double min, double max) {
      scaleMin = min;
      scaleMax = max;
      return this;
    }

    public Builder architecture(Architecture v) {
      architecture = v;
      return this;
    }

    public Builder imageSize(int v) {
      imageSize = v;
      return this;
    }

    public Builder validation(int v) {
      validation = v;
      return this;
    }

    public Builder labelSmoothing(double v) {
      labelSmoothing = v;
      return this;
    }

    public Builder translate(int v) {
      translate = v;
      return this;
    }

    public Builder emaDecay(double v) {
      emaDecay = v;
      return this;
    }

    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    public Builder schedule(Schedule v) {
      schedule = v;
      return this;
    }

    public Builder warmupFraction(double v) {
      warmupFraction = v;
      return this;
    }

    public Builder locLrFactor(double v) {
      locLrFactor = v;
      return this;
    }

    public Builder momentum(double v) {
      momentum = v;
      return this;
    }

    public Builder weightDecay(double v) {
      weightDecay = v;
      return this;
    }

    public Builder flip(boolean v) {
      flip = v;
      return this;
    }

    public Builder convDropout(float v) {
      convDropout = v;
      return this;
    }

    public Builder fcDropout(float v) {
      fcDropout = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the bad value
     */
    public TrainSettings build() {
      return new TrainSettings(
          epochs,
          batchSize,
          learningRate,
          schedule,
          warmupFraction,
          locLrFactor != null
              ? locLrFactor
              : warps(rotate, scaleMin, scaleMax) ? WARPING_LOC_LR_FACTOR : RECIPE_LOC_LR_FACTOR,
          momentum,
          weightDecay,
          flip,
          convDropout,
          fcDropout,
          seed,
          validation,
          labelSmoothing,
          translate,
          emaDecay,
          imageSize,
          rotate,
          scaleMin,
          scaleMax,
          architecture);
    }
  }
}
