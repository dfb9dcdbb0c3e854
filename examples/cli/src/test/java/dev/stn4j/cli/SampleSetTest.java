package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.RepositoryRoot;
import dev.stn4j.sdk.StnClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 1,000 sample-set images written as PNG files in a labelled tree: the command line predicts,
 * for each, the class the exporter recorded for its binary record in the model's metadata.
 */
class SampleSetTest {
  @TempDir Path dir;

  @Test
  void predictsTheClassRecordedAtExportForEverySampleImage() throws Exception {
    Cli.assumeDefaultModel();
    Path sampleFile = RepositoryRoot.get().resolve("data/sample-set/test_batch_first1000.bin");
    // Part of the repository, and the shipped model records its answers: neither may be missing.
    assertTrue(Files.isRegularFile(sampleFile), "sample set not found at " + sampleFile);
    int[] recorded;
    try (StnClassifier classifier = StnClassifier.createDefault()) {
      recorded = classifier.modelInfo().samplePredictions().orElse(null);
    }
    assertNotNull(recorded, "the shipped model records no sample-set answers");
    CifarBatch samples = CifarBatch.read(sampleFile);
    assertEquals(samples.size(), recorded.length);

    List<Path> files = CifarExport.writeTree(samples, 0, samples.size(), dir, "png", "sample-");
    Path summary = dir.resolve("summary.json");
    Cli.Result r = Cli.run("classify", dir.toString(), "--summary-json", summary.toString());
    assertEquals(0, r.exit(), r.err());
    Map<String, JsonNode> byPath = r.byPath();
    assertEquals(samples.size(), byPath.size());

    List<String> differences = new ArrayList<>();
    long agreeWithLabels = 0;
    for (int i = 0; i < samples.size(); i++) {
      int predicted = byPath.get(files.get(i).toString()).get("class_index").asInt();
      if (predicted != recorded[i]) {
        differences.add("record " + i + ": CLI " + predicted + ", export " + recorded[i]);
      }
      if (recorded[i] == samples.label(i)) {
        agreeWithLabels++;
      }
    }
    assertEquals(List.of(), differences);
    // The tree is labelled by the records' own labels, so the summary's accuracy is the
    // exporter's answers scored against them.
    JsonNode s = Cli.JSON.readTree(summary.toFile());
    assertEquals(samples.size(), s.get("labelled").asInt());
    assertEquals((double) agreeWithLabels / samples.size(), s.get("accuracy").asDouble(), 1e-12);
  }
}
