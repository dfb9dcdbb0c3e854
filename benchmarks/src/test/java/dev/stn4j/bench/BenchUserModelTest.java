package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.export.ExportMetadata;
import dev.stn4j.export.StnOnnxExporter;
import dev.stn4j.sdk.RepositoryRoot;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code stn bench --model M} on a user's model of another shape than CIFAR-10's: an STN of
 * contract version 2 at 64×64 with 3 classes and its own statistics, without embedded images, so
 * the inputs are random images at 64×64. Every runtime follows the model's size and classes: the
 * raw ONNX Runtime baseline's pinned outputs are [N,3], DJL's tensors are [N,3,64,64], and DJL
 * PyTorch rebuilds the 64×64 network with the model's normalisation. Nothing here touches ONNX
 * Runtime before the bench, so DJL's OnnxRuntime engine can start (one JVM per test class).
 */
class BenchUserModelTest {
  @Test
  void runsEveryRuntimeAtTheModelsSize(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("user-64x3.onnx");
    Files.write(
        model,
        StnOnnxExporter.toBytes(
            StnWeights.initial(new StnShape(64, 3), 7),
            ExportMetadata.builder()
                .classNames(List.of("ant", "bee", "cow"))
                .normalization(
                    new Normalization(
                        new float[] {0.5f, 0.4f, 0.3f}, new float[] {0.25f, 0.2f, 0.15f}))
                .trainingData("generated")
                .build()));
    Path json = tmp.resolve("rows.json");
    StringWriter text = new StringWriter();
    CommandLine cmd = BenchMain.commandLine();
    cmd.setOut(new PrintWriter(text));
    int exit =
        cmd.execute(
            "bench",
            "--root",
            RepositoryRoot.get().toString(),
            "--model",
            model.toString(),
            "--runtimes",
            "djl-ort,sdk,ort-raw,djl-pytorch",
            "--providers",
            "cpu",
            "--batches",
            "1,4",
            "--threads",
            "1",
            "--rounds",
            "1",
            "--warmup-iterations",
            "2",
            "--iterations",
            "5",
            "--json",
            json.toString());
    assertEquals(0, exit, text.toString());
    // As many as a model embeds at 64x64: 1,048,576 / (3·64·64) = 85.
    assertTrue(
        text.toString().contains("85 random images (64x64; the model embeds no sample images)"),
        text.toString());
    assertFalse(text.toString().contains("skipped"), text.toString());

    Set<String> seen = new HashSet<>();
    for (JsonNode row : new ObjectMapper().readTree(json.toFile())) {
      seen.add(row.get("runtime").asText() + "/" + row.get("batch").asInt());
      assertTrue(row.get("p50_us").asDouble() > 0, row.toString());
    }
    for (String runtime : new String[] {"sdk", "ort-raw", "djl-ort", "djl-pytorch"}) {
      for (int batch : new int[] {1, 4}) {
        assertTrue(seen.contains(runtime + "/" + batch), runtime + "/" + batch + " in " + seen);
      }
    }
    assertTrue(seen.contains("pre:toChw-64x64/1"), seen.toString());
  }
}
