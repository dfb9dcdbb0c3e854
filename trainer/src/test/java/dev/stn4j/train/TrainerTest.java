package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.stn4j.data.CifarBatch;
import dev.stn4j.train.data.SyntheticCifar;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainerTest {
  private static final CifarBatch TRAIN = parse(SyntheticCifar.records(160, new Random(1)));
  private static final CifarBatch TEST = parse(SyntheticCifar.records(40, new Random(2)));

  private static CifarBatch parse(byte[] bytes) {
    try {
      return CifarBatch.parse("synthetic", bytes);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String train(TrainSettings settings) throws Exception {
    Trainer trainer = new Trainer(settings, TRAIN, null, TEST, null);
    return trainer.run(trainer.initialState(), settings.epochs(), state -> {}).exported().sha256();
  }

  @Test
  void sameSeedGivesTheSameRunWithDropoutAndFlips() throws Exception {
    TrainSettings a =
        TrainSettings.builder()
            .epochs(2)
            .batchSize(32)
            .convDropout(0.3f)
            .fcDropout(0.3f)
            .seed(5)
            .build();
    assertEquals(train(a), train(a));
    TrainSettings b =
        TrainSettings.builder()
            .epochs(2)
            .batchSize(32)
            .convDropout(0.3f)
            .fcDropout(0.3f)
            .seed(6)
            .build();
    assertNotEquals(train(a), train(b));
  }

  private static TrainSettings.Builder leversOff() {
    return TrainSettings.builder()
        .epochs(1)
        .batchSize(32)
        .seed(5)
        .labelSmoothing(0)
        .translate(0)
        .emaDecay(0);
  }

  @Test
  void eachLeverChangesTheRunAndKeepsItRepeatable() throws Exception {
    // Each lever off in the base (the default recipe has them on), then one at a time.
    TrainSettings base = leversOff().build();
    String plain = train(base);
    for (TrainSettings lever :
        new TrainSettings[] {
          leversOff().labelSmoothing(0.1).build(),
          leversOff().translate(2).build(),
          leversOff().emaDecay(0.9).build()
        }) {
      String once = train(lever);
      assertEquals(once, train(lever), lever.toJson());
      assertNotEquals(plain, once, lever.toJson());
    }
  }

  @Test
  void reportsValidationAccuracyOfTheHeldOutImages() throws Exception {
    TrainSettings settings = TrainSettings.builder().epochs(1).batchSize(32).seed(5).build();
    Trainer trainer = new Trainer(settings, TRAIN.head(120), TRAIN.tail(40), TEST, null);
    EpochRecord r = trainer.run(trainer.initialState(), 1, s -> {}).history().get(0);
    double v = r.validationAccuracy();
    assertEquals(0, Math.round(v * 40) - v * 40, 1e-9, "a share of 40 images: " + v);
    assertEquals(null, r.testAccuracy(), "the test split is not evaluated in a recipe run");
  }
}
