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
    Trainer trainer = new Trainer(settings, TRAIN, TEST, null);
    return trainer.run(trainer.initialState(), settings.epochs(), state -> {}).weights().sha256();
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
}
