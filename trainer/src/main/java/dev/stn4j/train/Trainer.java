package dev.stn4j.train;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.train.data.BatchFiller;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnModel;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The training loop: shuffled, augmented mini-batches, (label-smoothed) cross-entropy, momentum
 * SGD, optionally a moving average of the weights; after each epoch one evaluation of the weights
 * that would be exported: on the validation split when there is one (what recipes are chosen on;
 * the test split is then not evaluated at all), else on the test split (reported, never used to
 * choose anything).
 */
final class Trainer {
  /** Receives the state after every epoch, e.g. to write the checkpoint and the log. */
  interface EpochSink {
    void accept(TrainingState state) throws IOException;
  }

  /**
   * Called after every backward pass, before the step; for tests, to make the gradients non-finite.
   */
  interface AfterBackward {
    void accept(int epoch, long step, StnModel model);
  }

  private static final int EVAL_BATCH = 500;

  private final TrainSettings settings;
  private final BatchFiller train;
  private final BatchFiller validation;
  private final BatchFiller test;
  private final PrintStream console;
  private final AfterBackward afterBackward;
  private final StnShape shape;
  private final Normalization normalization;

  /**
   * A run on CIFAR-10's batches.
   *
   * @param validation held-out training images, or null for none
   * @param console where progress bars go; null for none
   */
  Trainer(
      TrainSettings settings,
      CifarBatch train,
      CifarBatch validation,
      CifarBatch test,
      PrintStream console) {
    this(settings, RunData.cifar("CIFAR-10", train, validation, test), console, null);
  }

  /**
   * @param console where progress bars go; null for none
   * @param afterBackward a test's hook, or null
   */
  Trainer(TrainSettings settings, RunData data, PrintStream console, AfterBackward afterBackward) {
    this.settings = settings;
    this.afterBackward = afterBackward;
    this.train = new BatchFiller(data.train());
    this.validation = data.validation() == null ? null : new BatchFiller(data.validation());
    this.test = data.test() == null ? null : new BatchFiller(data.test());
    this.console = console;
    this.shape = data.shape();
    this.normalization = data.normalization();
  }

  /** A fresh run's starting point. */
  TrainingState initialState() {
    StnWeights initial = StnWeights.initial(settings.architecture(), shape, settings.seed());
    return new TrainingState(initial, settings.emaDecay() > 0 ? initial : null, null, List.of());
  }

  /**
   * Trains from {@code start} up to epoch {@code lastEpoch} (normally {@code settings.epochs()};
   * less to stop early, e.g. to test resuming), handing each epoch to {@code sink}.
   *
   * @throws NonFiniteTrainingException when a loss or gradient is not finite: the epoch stops
   *     before the step that would have spread it into the weights
   */
  TrainingState run(TrainingState start, int lastEpoch, EpochSink sink) throws IOException {
    Engine engine = Engine.getEngine("PyTorch");
    TrainingState state = start;
    try (NDManager manager = engine.newBaseManager();
        StnModel model =
            StnModel.create(
                manager,
                start.weights(),
                normalization,
                settings.convDropout(),
                settings.fcDropout());
        Sgd sgd = new Sgd(manager, model, settings, start.momentum());
        WeightAverage average =
            settings.emaDecay() > 0
                ? new WeightAverage(manager, start.exported(), settings.emaDecay())
                : null) {
      for (int epoch = start.epochsCompleted() + 1; epoch <= lastEpoch; epoch++) {
        EpochRecord record = runEpoch(engine, manager, model, sgd, average, epoch);
        List<EpochRecord> history = new ArrayList<>(state.history());
        history.add(record);
        state =
            new TrainingState(
                model.weights(), average == null ? null : average.weights(), sgd.state(), history);
        sink.accept(state);
      }
    }
    return state;
  }

  private long stepsPerEpoch() {
    return (train.size() + settings.batchSize() - 1) / settings.batchSize();
  }

  private EpochRecord runEpoch(
      Engine engine, NDManager manager, StnModel model, Sgd sgd, WeightAverage average, int epoch) {
    long started = System.nanoTime();
    // Every epoch's randomness comes from (seed, epoch) alone, so a resumed run is identical.
    int n = train.size();
    EpochPlan plan = EpochPlan.of(settings, n, epoch, normalization.mean());
    int[] order = plan.order();
    BatchFiller.Augment augment = plan.augment();
    model.reseedDropout(plan.dropoutSeed());

    int batch = settings.batchSize();
    float[] images = new float[batch * model.shape().imageValues()];
    int[] labels = new int[batch];
    long totalSteps = stepsPerEpoch() * settings.epochs();
    long step = (epoch - 1) * stepsPerEpoch();
    double lossSum = 0;
    long correct = 0;
    double lr = 0;
    try (ProgressBar bar =
        progressBar("epoch " + epoch + "/" + settings.epochs(), stepsPerEpoch())) {
      for (int from = 0; from < n; from += batch, step++) {
        int count = Math.min(batch, n - from);
        train.fill(order, from, count, augment, images, labels);
        lr = settings.learningRateAt(step, totalSteps);
        StepOutcome outcome =
            step(engine, manager, model, sgd, average, epoch, step, images, labels, count, lr);
        lossSum += outcome.loss() * count;
        correct += outcome.correct();
        if (bar != null) {
          bar.step();
          bar.setExtraMessage(String.format(" loss %.3f", lossSum / (from + count)));
        }
      }
    }
    double trainSeconds = (System.nanoTime() - started) / 1e9;
    Accuracies accuracies = evaluate(manager, model, average);
    double seconds = (System.nanoTime() - started) / 1e9;
    return new EpochRecord(
        epoch,
        lossSum / n,
        (double) correct / n,
        accuracies.validation(),
        accuracies.test(),
        seconds,
        trainSeconds,
        lr);
  }

  /** An epoch's accuracies; null where the split was not evaluated. */
  private record Accuracies(Double validation, Double test) {}

  /** A training step's mean loss over its images and how many of them it classified right. */
  private record StepOutcome(float loss, long correct) {}

  /** One optimizer step on {@code count} images: forward, loss, backward, the guard, SGD. */
  private StepOutcome step(
      Engine engine,
      NDManager manager,
      StnModel model,
      Sgd sgd,
      WeightAverage average,
      int epoch,
      long step,
      float[] images,
      int[] labels,
      int count,
      double lr) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = images(scope, model.shape(), images, count);
      NDArray y = labels(scope, labels, count);
      NDArray loss;
      NDArray logits;
      try (GradientCollector collector = engine.newGradientCollector()) {
        logits = model.forward(x, true).logits();
        loss = CrossEntropy.loss(logits, y, settings.labelSmoothing());
        collector.backward(loss);
      } catch (EngineException e) {
        // Typically non-finite θ, whose sample indices the engine then rejects.
        throw new NonFiniteTrainingException(epoch, step, e.getMessage());
      }
      if (afterBackward != null) {
        afterBackward.accept(epoch, step, model);
      }
      float batchLoss = loss.getFloat();
      if (!Float.isFinite(batchLoss)) {
        throw new NonFiniteTrainingException(epoch, step, "loss " + batchLoss);
      }
      if (!sgd.gradientsFinite()) {
        throw new NonFiniteTrainingException(epoch, step, "a non-finite gradient");
      }
      sgd.step(lr);
      if (average != null) {
        average.update(model);
      }
      return new StepOutcome(batchLoss, logits.argMax(1).eq(y).sum().getLong());
    }
  }

  /**
   * The epoch's validation and test accuracy, of the averaged weights when there are: with a
   * validation split the run is choosing a recipe, so it never looks at the test split.
   */
  private Accuracies evaluate(NDManager manager, StnModel model, WeightAverage average) {
    try (StnModel evaluated =
        average == null ? null : StnModel.create(manager, average.weights(), normalization)) {
      StnModel exported = evaluated == null ? model : evaluated;
      Double validationAccuracy =
          validation == null ? null : accuracy(manager, exported, validation);
      Double testAccuracy = validation == null ? accuracy(manager, exported, test) : null;
      return new Accuracies(validationAccuracy, testAccuracy);
    }
  }

  /** Share of {@code data} that the model (dropout off) classifies right. */
  static double accuracy(NDManager manager, StnModel model, BatchFiller data) {
    int n = data.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    float[] images = new float[EVAL_BATCH * model.shape().imageValues()];
    int[] labels = new int[EVAL_BATCH];
    long correct = 0;
    for (int from = 0; from < n; from += EVAL_BATCH) {
      int count = Math.min(EVAL_BATCH, n - from);
      data.fill(order, from, count, BatchFiller.Augment.NONE, images, labels);
      try (NDManager scope = manager.newSubManager()) {
        NDArray logits = model.forward(images(scope, model.shape(), images, count), false).logits();
        correct += logits.argMax(1).eq(labels(scope, labels, count)).sum().getLong();
      }
    }
    return (double) correct / n;
  }

  private static NDArray images(NDManager scope, StnShape shape, float[] images, int count) {
    int s = shape.imageSize();
    return StnModel.engineOwned(
        scope.create(
            FloatBuffer.wrap(images, 0, count * shape.imageValues()), new Shape(count, 3, s, s)));
  }

  private static NDArray labels(NDManager scope, int[] labels, int count) {
    long[] values = new long[count];
    for (int i = 0; i < count; i++) {
      values[i] = labels[i];
    }
    return scope.create(values);
  }

  private ProgressBar progressBar(String task, long steps) {
    if (console == null) {
      return null;
    }
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(steps)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(1000)
        .setConsumer(new ConsoleProgressBarConsumer(console))
        .build();
  }
}
