package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stn4j.sdk.TestModels;
import dev.stn4j.sdk.internal.ModelFormat;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** classify, evaluate and info with version-2 models of other sizes and class counts. */
class OtherModelsTest {
  @TempDir Path dir;

  private Path model(int size, int k, int samples) throws Exception {
    Path file = dir.resolve("m" + size + "x" + k + ".onnx");
    Files.write(file, TestModels.v2(size, TestModels.classNames(k), samples));
    return file;
  }

  /** A PNG of class {@code k}'s colour, of another size than the model's, in {@code folder}. */
  private Path png(Path folder, String name, int k) throws Exception {
    Files.createDirectories(folder);
    Path file = folder.resolve(name);
    BufferedImage image = TestModels.image(45, k);
    ImageIO.write(image, "png", file.toFile());
    return file;
  }

  @Test
  void classifyPreprocessesToTheModelsSizeAndLabelsWithItsClasses() throws Exception {
    Path m = model(64, 3, 6);
    Path tree = dir.resolve("tree");
    Path a = png(tree.resolve("class002"), "a.png", 2);
    png(tree.resolve("class000"), "b.png", 0);
    png(tree.resolve("class000"), "c.png", 1); // a confusion: class000 -> class001
    Cli.Result r = Cli.run("classify", "--model", m.toString(), tree.toString());
    assertEquals(0, r.exit(), r.toString());
    JsonNode rec = r.record(a);
    assertEquals("class002", rec.get("label").asText(), r.out());
    assertEquals(3, r.records().size());
    assertTrue(r.err().contains("accuracy 66.67 % (2 of 3"), r.err());
    assertTrue(r.err().contains("confusion matrix"), r.err());
  }

  @Test
  void aThousandClassesGiveAReadableSummary() throws Exception {
    Path m = model(16, 1000, 4);
    Path tree = dir.resolve("tree");
    png(tree.resolve("class999"), "a.png", 999);
    png(tree.resolve("class500"), "b.png", 500);
    png(tree.resolve("class500"), "c.png", 123);
    Path summary = dir.resolve("summary.json");
    Cli.Result r =
        Cli.run(
            "classify",
            "--model",
            m.toString(),
            "--summary-json",
            summary.toString(),
            tree.toString());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.err().contains("most frequent confusions (1000 classes: no matrix)"), r.err());
    assertTrue(r.err().contains("class500 -> class123 1"), r.err());
    assertFalse(r.err().contains("confusion matrix"), r.err());
    assertTrue(r.err().lines().count() < 20, r.err());
    JsonNode json = Cli.JSON.readTree(Files.readString(summary));
    assertNull(json.get("confusion"));
    assertEquals(2, json.get("per_class").size());
  }

  @Test
  void evaluateReadsALabelledTreeOfTheModelsClasses() throws Exception {
    Path m = model(28, 20, 5);
    Path tree = dir.resolve("tree");
    png(tree.resolve("class003"), "a.png", 3);
    png(tree.resolve("class003").resolve("nested"), "b.png", 3);
    png(tree.resolve("class019"), "c.png", 18);
    Cli.Result r =
        Cli.run("evaluate", "--model", m.toString(), "--data-dir", tree.toString(), "--json");
    assertEquals(0, r.exit(), r.toString());
    JsonNode json = Cli.JSON.readTree(r.out());
    assertEquals(3, json.get("labelled").asInt());
    assertEquals(2, json.get("correct").asInt());
    assertEquals(2.0 / 3, json.get("accuracy").asDouble(), 1e-12);
    assertEquals(2, json.get("per_class").get("class003").get("correct").asInt());
    assertEquals(1, json.get("confusion").get(19).get(18).asInt());

    Cli.Result text = Cli.run("evaluate", "--model", m.toString(), "--data-dir", tree.toString());
    assertEquals(0, text.exit(), text.toString());
    assertTrue(text.out().startsWith("accuracy 66.67 % (2 of 3) on " + tree), text.out());
    assertTrue(text.out().contains("per class:"), text.out());

    png(tree.resolve("zebra"), "z.png", 1);
    Cli.Result bad = Cli.run("evaluate", "--model", m.toString(), "--data-dir", tree.toString());
    assertEquals(1, bad.exit(), bad.toString());
    assertTrue(
        bad.err().contains(tree.resolve("zebra") + ": not a class of the model (its 20 classes:"),
        bad.err());
  }

  @Test
  void evaluateRefusesCifarsTestBatchForAModelOfOtherShape() throws Exception {
    Path m = model(64, 3, 0);
    Files.write(dir.resolve("test_batch.bin"), new byte[3073]);
    Cli.Result r = Cli.run("evaluate", "--model", m.toString(), "--data-dir", dir.toString());
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("does not fit this model (64x64, 3 classes)"), r.err());
  }

  @Test
  void infoSaysAModelWithoutTheTransformerIsAPlainCnn() throws Exception {
    Map<String, String> meta = TestModels.v2Metadata(32, TestModels.classNames(3), 0);
    meta.put(ModelFormat.KEY_ARCHITECTURE, ModelFormat.ARCHITECTURE_CNN);
    Path m = dir.resolve("cnn.onnx");
    Files.write(m, TestModels.build(32, 3, meta));
    Cli.Result r = Cli.run("info", "--model", m.toString(), "--provider", "cpu");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(
        r.out()
            .contains(
                "architecture        cnn: plain CNN (no spatial transformer; theta is the"
                    + " identity)\n"),
        r.out());
    Cli.Result json = Cli.run("info", "--model", m.toString(), "--provider", "cpu", "--json");
    assertEquals("cnn", Cli.JSON.readTree(json.out()).get("architecture").asText());
  }

  @Test
  void infoShowsSizeClassesStatisticsAndTheSelfCheck() throws Exception {
    Path m = model(64, 3, 8);
    Cli.Result r = Cli.run("info", "--model", m.toString(), "--provider", "cpu");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("format version      2\n"), r.out());
    assertTrue(r.out().contains("architecture        stn: spatial transformer network\n"), r.out());
    assertTrue(r.out().contains("image size          64x64 RGB\n"), r.out());
    assertTrue(r.out().contains("classes             3: class000, class001, class002\n"), r.out());
    assertTrue(
        r.out().contains("normalization       mean 0.5000, 0.4000, 0.3000; std 0.2500,"), r.out());
    assertTrue(r.out().contains("sample set          8 images embedded in the model (64x64)"));
    assertTrue(r.out().contains("self-check          passed: all 8 embedded images"), r.out());

    Cli.Result json = Cli.run("info", "--model", m.toString(), "--provider", "cpu", "--json");
    assertEquals(0, json.exit(), json.toString());
    JsonNode root = Cli.JSON.readTree(json.out());
    assertEquals(64, root.get("image_size").asInt());
    assertEquals(3, root.get("class_count").asInt());
    assertEquals("2", root.get("format_version").asText());
    assertEquals(0.25, root.get("normalization").get("std").get(0).asDouble(), 1e-12);
    assertEquals("embedded", root.get("sample_set").get("source").asText());
    assertTrue(root.get("sample_set").get("self_check").get("passed").asBoolean());
    assertEquals(8, root.get("sample_set").get("self_check").get("checked").asInt());
    assertTrue(
        root.get("metadata").get("stn4j.sample_pixels").asText().contains("not shown"), json.out());
  }

  @Test
  void infoOfAThousandClassesListsTheFirstOnes() throws Exception {
    Cli.Result r = Cli.run("info", "--model", model(16, 1000, 2).toString());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("classes             1000: class000, class001,"), r.out());
    assertTrue(r.out().contains("class019, ... (first 20; --json lists all)"), r.out());
  }

  @Test
  void infoReportsAFailedSelfCheckAndExitsOne() throws Exception {
    List<String> names = TestModels.classNames(3);
    Map<String, String> meta = TestModels.v2Metadata(64, names, 3);
    String set = meta.get("stn4j.sample_set");
    int at = set.indexOf("\"predicted\":[") + "\"predicted\":[".length();
    char first = set.charAt(at);
    meta.put(
        "stn4j.sample_set",
        set.substring(0, at) + (char) ('0' + (first - '0' + 1) % 3) + set.substring(at + 1));
    Path m = dir.resolve("wrong.onnx");
    Files.write(m, TestModels.build(64, 3, meta));
    Cli.Result r = Cli.run("info", "--model", m.toString());
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.out().contains("self-check          FAILED: "), r.out());
    assertTrue(r.out().contains("1 of its 3 embedded sample images"), r.out());

    Cli.Result classify = Cli.run("classify", "--model", m.toString(), dir.toString());
    assertEquals(1, classify.exit(), classify.toString());
    assertTrue(classify.err().contains("1 of its 3 embedded sample images"), classify.err());
  }
}
