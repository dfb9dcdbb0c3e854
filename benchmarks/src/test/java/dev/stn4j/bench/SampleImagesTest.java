package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.stn4j.sdk.RepositoryRoot;
import dev.stn4j.sdk.TestModels;
import dev.stn4j.sdk.internal.ModelFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bench's inputs follow the model: the CIFAR-10 sample set for the shipped 32×32 model, the
 * model's embedded sample images for a model trained from a folder (repeated to the batch size),
 * random images at its size for a model without them.
 */
class SampleImagesTest {
  private static final Path ROOT = RepositoryRoot.get();

  @Test
  void theShippedModelRunsOnTheSampleSetAsAlways() throws Exception {
    ModelShape shape = ModelShape.read(ROOT.resolve(ModelLocator.DEFAULT_MODEL_SOURCE));
    assertEquals(32, shape.imageSize());
    assertEquals(10, shape.classes());
    assertTrue(shape.embeddedImages().isEmpty());
    SampleImages images = SampleImages.forModel(shape, ROOT);
    SampleImages sampleSet = SampleImages.load(ROOT);
    assertEquals("1000 sample images", images.description());
    assertEquals(sampleSet.size(), images.size());
    assertArrayEquals(sampleSet.image(999), images.image(999));
  }

  @Test
  void aFolderModelsEmbeddedImagesAreItsInputsRepeatedToTheBatch(@TempDir Path tmp)
      throws Exception {
    Path model = tmp.resolve("tiny.onnx");
    Files.write(model, TestModels.v2(64, TestModels.classNames(3), 10));
    ModelShape shape = ModelShape.read(model);
    assertEquals(64, shape.imageSize());
    assertEquals(3, shape.classes());
    assertArrayEquals(new float[] {0.25f, 0.2f, 0.15f}, shape.normalization().std());

    SampleImages images = SampleImages.forModel(shape, tmp); // no sample set under tmp: not read
    assertEquals("10 embedded sample images (64x64)", images.description());
    byte[] pixels = Base64.getDecoder().decode(metadata(model, ModelFormat.KEY_SAMPLE_PIXELS));
    int values = 3 * 64 * 64;
    for (int v = 0; v < values; v++) {
      assertEquals((pixels[9 * values + v] & 0xff) / 255f, images.image(9)[v]);
    }
    List<SampleImages.Batch> batches = images.batches(16);
    assertEquals(1, batches.size());
    assertEquals(16 * values, batches.get(0).flat().length);
    // Image 10 of the batch is the first again.
    assertArrayEquals(images.image(0), batches.get(0).images().get(10));
  }

  @Test
  void aModelWithoutImagesGetsRepeatableRandomOnesAtItsSize() throws Exception {
    ModelShape shape =
        new ModelShape(200, 4, dev.stn4j.train.model.Normalization.CIFAR10, List.of());
    SampleImages a = SampleImages.forModel(shape, Path.of("nowhere"));
    SampleImages b = SampleImages.forModel(shape, Path.of("nowhere"));
    // About 1 MiB of pixels, as a model would embed: 1,048,576 / (3·200·200) = 8.
    assertEquals(8, a.size());
    assertEquals(200, a.imageSize());
    assertArrayEquals(a.image(7), b.image(7));
    for (float v : a.image(3)) {
      assertTrue(v >= 0f && v < 1f, Float.toString(v));
    }
  }

  @Test
  void runtimesThatCannotRunAModelAreSkippedWithTheReason(@TempDir Path tmp) throws Exception {
    // TestModels' graph is no STN: the SDK and ONNX Runtime run it, DJL PyTorch has no network.
    Path model = tmp.resolve("tiny.onnx");
    Files.write(model, TestModels.v2(48, TestModels.classNames(5), 6));
    StringWriter text = new StringWriter();
    CommandLine cmd = BenchMain.commandLine();
    cmd.setOut(new PrintWriter(text));
    int exit =
        cmd.execute(
            "bench",
            "--root",
            ROOT.toString(),
            "--model",
            model.toString(),
            "--runtimes",
            "sdk,ort-raw,djl-pytorch",
            "--providers",
            "cpu",
            "--batches",
            "3",
            "--threads",
            "1",
            "--rounds",
            "1",
            "--warmup-iterations",
            "1",
            "--iterations",
            "3",
            "--no-preprocessing");
    assertEquals(0, exit, text.toString());
    String out = text.toString();
    assertTrue(out.contains("6 embedded sample images (48x48)"), out);
    assertTrue(
        out.contains(
            "skipped djl-pytorch on cpu: djl-pytorch rebuilds the trainer's network from a float32"
                + " stn4j model's weights: "
                + model
                + ": no initializer named"),
        out);
    assertTrue(out.contains("sdk/cpu/batch 3/threads 1"), out);
    assertTrue(out.contains("ort-raw/cpu/batch 3/threads 1"), out);
  }

  private static String metadata(Path model, String key) throws Exception {
    for (StringStringEntryProto e :
        ModelProto.parseFrom(Files.readAllBytes(model)).getMetadataPropsList()) {
      if (e.getKey().equals(key)) {
        return e.getValue();
      }
    }
    throw new AssertionError("no " + key);
  }
}
