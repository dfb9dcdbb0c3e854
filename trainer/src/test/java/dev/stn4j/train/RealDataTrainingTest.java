package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.RepositoryRoot;
import dev.stn4j.train.model.StnModel;
import dev.stn4j.train.model.StnWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A few batches on the real data (when the shared copy is present): the loss goes down. */
class RealDataTrainingTest {
  private static Path dataDir() {
    return RepositoryRoot.get().getParent().resolve("shared/data/cifar-10-batches-bin");
  }

  @Test
  void aHundredStepsLowerTheLossOnHeldOutImages() throws Exception {
    Path dir = dataDir();
    Assumptions.assumeTrue(
        Files.isRegularFile(dir.resolve("data_batch_1.bin")),
        "shared CIFAR-10 data not present at " + dir);
    // One thread: on a loaded shared machine, two spinning OpenMP threads are far slower.
    TrainCommand.startEngine(1);
    CifarBatch train = CifarBatch.read(dir.resolve("data_batch_1.bin")).head(6400);
    CifarBatch held = CifarBatch.read(dir.resolve("data_batch_2.bin")).head(500);
    TrainSettings settings =
        TrainSettings.builder()
            .epochs(1)
            .schedule(TrainSettings.Schedule.CONSTANT)
            .learningRate(0.01)
            .seed(3)
            .build();
    Trainer trainer = new Trainer(settings, train, null, held, null);
    TrainingState start = trainer.initialState();
    TrainingState end = trainer.run(start, 1, state -> {});
    double before = loss(start.weights(), held);
    double after = loss(end.weights(), held);
    assertTrue(after < before - 0.05, "held-out loss " + before + " -> " + after);
  }

  private static double loss(StnWeights weights, CifarBatch data) {
    try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
        StnModel model = StnModel.create(manager, weights)) {
      float[] images = new float[data.size() * 3072];
      long[] labels = new long[data.size()];
      for (int i = 0; i < data.size(); i++) {
        data.copyImage(i, images, i * 3072);
        labels[i] = data.label(i);
      }
      NDArray x = manager.create(images, new Shape(data.size(), 3, 32, 32));
      NDArray y = manager.create(labels).reshape(data.size(), 1);
      NDArray logits = model.forward(x, false).logits();
      return -logits.logSoftmax(1).gather(y, 1).mean().getFloat();
    }
  }
}
