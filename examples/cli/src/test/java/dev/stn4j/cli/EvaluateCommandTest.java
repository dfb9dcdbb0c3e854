package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.RepositoryRoot;
import dev.stn4j.sdk.StnClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
  @TempDir Path dir;

  @BeforeAll
  static void needsModel() {
    Cli.assumeDefaultModel();
  }

  @Test
  void accuracyOnATestBatchMatchesTheClassifiersOwnAnswers() throws Exception {
    Path sample = RepositoryRoot.get().resolve("data/sample-set/test_batch_first1000.bin");
    assertTrue(
        Files.isRegularFile(sample), "sample set (part of the repository) not found at " + sample);
    // The sample set has the layout of test_batch.bin: use it as a small test batch.
    Files.copy(sample, dir.resolve("test_batch.bin"));
    Cli.Result r = Cli.run("evaluate", "--data-dir", dir.toString(), "--json");
    assertEquals(0, r.exit(), r.toString());
    JsonNode json = Cli.JSON.readTree(r.out());

    CifarBatch batch = CifarBatch.read(sample);
    List<float[]> images = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      images.add(batch.image(i));
    }
    int correct = 0;
    int cats = 0;
    int catsCorrect = 0;
    try (StnClassifier c = StnClassifier.createDefault()) {
      List<Prediction> predictions = c.predictAll(images);
      for (int i = 0; i < batch.size(); i++) {
        boolean right = predictions.get(i).classIndex() == batch.label(i);
        correct += right ? 1 : 0;
        if (batch.label(i) == 3) {
          cats++;
          catsCorrect += right ? 1 : 0;
        }
      }
    }
    assertEquals(1000, json.get("images").asInt());
    assertEquals(correct, json.get("correct").asInt());
    assertEquals(correct / 1000.0, json.get("accuracy").asDouble(), 1e-12);
    assertEquals(cats, json.get("per_class").get("cat").get("images").asInt());
    assertEquals(catsCorrect, json.get("per_class").get("cat").get("correct").asInt());
  }

  @Test
  void aMissingTestBatchIsNamedAndNothingIsDownloaded() {
    Cli.Result r = Cli.run("evaluate", "--data-dir", dir.toString());
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains(dir.resolve("test_batch.bin").toString()), r.err());
    assertTrue(r.err().contains("does not download"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void theDefaultDataDirectoryIsTheOneStnTrainDownloadsInto() {
    Path d = Cifar10.defaultDataDir().orElseThrow();
    assertTrue(d.endsWith(Path.of("stn4j", "cifar-10-batches-bin")), d.toString());
  }
}
