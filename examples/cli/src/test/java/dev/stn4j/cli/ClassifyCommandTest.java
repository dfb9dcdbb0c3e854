package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stn4j.data.Cifar10;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifyCommandTest {
  @TempDir Path dir;

  @BeforeAll
  static void needsModel() {
    Cli.assumeDefaultModel();
  }

  /** A labelled tree of solid-colour and gradient images in three class folders, plus one bad. */
  private Path labelledTree() throws IOException {
    Path tree = dir.resolve("tree");
    int k = 0;
    for (String cls : List.of("cat", "ship", "truck")) {
      for (int i = 0; i < 4; i++, k++) {
        BufferedImage image = TestImages.gradient(32 + k, 32, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF0000 * (k % 2) + 0x00FF00 * (k % 3 == 0 ? 1 : 0));
        TestImages.write(tree.resolve(cls).resolve("img" + i + ".png"), image, "png");
      }
    }
    TestImages.write(
        tree.resolve("unsorted").resolve("x.png"),
        TestImages.gradient(20, 20, BufferedImage.TYPE_INT_RGB),
        "png");
    Files.writeString(tree.resolve("cat").resolve("broken.png"), "nope");
    return tree;
  }

  @Test
  void summaryMatchesTheRecordsAndTheFolders() throws IOException {
    Path tree = labelledTree();
    Path summaryFile = dir.resolve("summary.json");
    Cli.Result r = Cli.run("classify", tree.toString(), "--summary-json", summaryFile.toString());
    assertEquals(1, r.exit(), r.toString());

    long[][] confusion = new long[10][10];
    int failed = 0;
    for (JsonNode n : r.records()) {
      if (n.has("error")) {
        failed++;
        continue;
      }
      String folder = Path.of(n.get("path").asText()).getParent().getFileName().toString();
      int truth = Cifar10.CLASS_NAMES.indexOf(folder);
      if (truth >= 0) {
        confusion[truth][n.get("class_index").asInt()]++;
      }
    }
    JsonNode summary = Cli.JSON.readTree(summaryFile.toFile());
    assertEquals(14, summary.get("images").asInt());
    assertEquals(1, summary.get("failed").asInt());
    assertEquals(failed, summary.get("failed").asInt());
    assertEquals(12, summary.get("labelled").asInt());
    long correct = 0;
    for (int t = 0; t < 10; t++) {
      long[] row = new long[10];
      for (int p = 0; p < 10; p++) {
        row[p] = summary.get("confusion").get(t).get(p).asLong();
      }
      assertArrayEquals(confusion[t], row, "confusion row " + t);
      correct += confusion[t][t];
    }
    assertEquals(correct / 12.0, summary.get("accuracy").asDouble(), 1e-12);
    JsonNode cat = summary.get("per_class").get("cat");
    assertEquals(4, cat.get("images").asInt());
    assertEquals(confusion[3][3], cat.get("correct").asLong());
    assertTrue(r.err().contains("accuracy"), r.err());
    assertTrue(r.err().contains("confusion matrix"), r.err());
  }

  @Test
  void csvAndJsonLinesCarryTheSameAnswers() throws IOException {
    Path tree = labelledTree();
    Path csvFile = dir.resolve("out.csv");
    Path jsonFile = dir.resolve("out.jsonl");
    Cli.Result csv =
        Cli.run("classify", tree.toString(), "--format", "csv", "--output", csvFile.toString());
    Cli.Result json = Cli.run("classify", tree.toString(), "--output", jsonFile.toString());
    assertEquals(1, csv.exit(), csv.toString());
    assertEquals(1, json.exit(), json.toString());
    assertEquals("", csv.out());
    List<JsonNode> records = new ArrayList<>();
    for (String line : Files.readAllLines(jsonFile, StandardCharsets.UTF_8)) {
      records.add(Cli.JSON.readTree(line));
    }
    List<List<String>> rows = Csv.parse(Files.readString(csvFile, StandardCharsets.UTF_8));
    List<String> header = rows.get(0);
    assertEquals(
        List.of("path", "label", "class_index", "confidence", "p_airplane"), header.subList(0, 5));
    assertEquals(
        List.of("theta_00", "theta_01", "theta_02", "theta_10", "theta_11", "theta_12", "error"),
        header.subList(14, 21));
    assertEquals(records.size() + 1, rows.size());
    for (int i = 0; i < records.size(); i++) {
      JsonNode n = records.get(i);
      List<String> row = rows.get(i + 1);
      assertEquals(header.size(), row.size());
      assertEquals(n.get("path").asText(), row.get(0));
      if (n.has("error")) {
        assertEquals(n.get("error").asText(), row.get(20));
        assertEquals("", row.get(1));
        continue;
      }
      assertEquals(n.get("label").asText(), row.get(1));
      assertEquals(n.get("class_index").asInt(), Integer.parseInt(row.get(2)));
      assertEquals(n.get("confidence").floatValue(), Float.parseFloat(row.get(3)));
      for (int c = 0; c < 10; c++) {
        assertEquals(n.get("probabilities").get(c).floatValue(), Float.parseFloat(row.get(4 + c)));
      }
      assertEquals(n.get("theta").get(1).get(2).floatValue(), Float.parseFloat(row.get(19)));
      assertEquals(n.get("label").asText(), Cifar10.CLASS_NAMES.get(n.get("class_index").asInt()));
      float max = 0;
      for (JsonNode p : n.get("probabilities")) {
        max = Math.max(max, p.floatValue());
      }
      assertEquals(max, n.get("confidence").floatValue());
      assertEquals("", row.get(20));
    }
  }

  @Test
  void warpedImagesGetOneFileEachWithoutCollisions() throws IOException {
    Path tree = labelledTree(); // img0.png..img3.png in each of three folders
    Path warped = dir.resolve("warped");
    Cli.Result r = Cli.run("classify", tree.toString(), "--warped-dir", warped.toString());
    assertEquals(1, r.exit(), r.toString());
    List<Path> written;
    try (Stream<Path> files = Files.list(warped)) {
      written = files.toList();
    }
    assertEquals(13, written.size());
    Set<String> names = new HashSet<>();
    for (Path f : written) {
      BufferedImage image = ImageIO.read(f.toFile());
      assertEquals(32, image.getWidth());
      assertEquals(32, image.getHeight());
      names.add(f.getFileName().toString());
    }
    assertEquals(13, names.size());
  }

  @Test
  void gridShowsInputsBesideWarpedImagesInTheirOwnColours() throws IOException {
    Path one = dir.resolve("one");
    BufferedImage red = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        red.setRGB(x, y, 0xC81E1E);
      }
    }
    TestImages.write(one.resolve("red.png"), red, "png");
    Path warped = dir.resolve("warped");
    Path grid = dir.resolve("grid.png");
    Cli.Result r =
        Cli.run(
            "classify",
            one.toString(),
            "--grid",
            grid.toString(),
            "--warped-dir",
            warped.toString());
    assertEquals(0, r.exit(), r.toString());
    BufferedImage figure = ImageIO.read(grid.toFile());
    assertTrue(figure.getWidth() > 2 * 96 && figure.getHeight() > 96, "figure too small");
    BufferedImage warpedImage;
    try (Stream<Path> files = Files.list(warped)) {
      warpedImage = ImageIO.read(files.findFirst().orElseThrow().toFile());
    }
    Point input = GridFigure.cellOrigin(1, 0, 0);
    Point output = GridFigure.cellOrigin(1, 1, 0);
    int half = GridFigure.CELL / 2;
    // The input cell shows the input's own colour, the warped cell the warped image's own
    // pixels: neither panel is re-normalised or tinted.
    assertEquals(0xC81E1E, figure.getRGB(input.x + half, input.y + half) & 0xFFFFFF);
    assertEquals(
        warpedImage.getRGB(16, 16) & 0xFFFFFF,
        figure.getRGB(output.x + half, output.y + half) & 0xFFFFFF);
    assertEquals(0, figure.getRGB(input.x - 1, input.y - 1) & 0xFFFFFF, "black frame");
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertEquals(2, Cli.run("classify").exit());
    assertEquals(2, Cli.run("classify", "--no-such-option", ".").exit());
    Cli.Result provider = Cli.run("classify", "--provider", "quantum", ".");
    assertEquals(2, provider.exit());
    assertTrue(provider.err().contains("quantum"), provider.err());
    assertEquals(2, Cli.run("classify", "--batch-size", "0", ".").exit());
    assertEquals(2, Cli.run("classify", "--format", "xml", ".").exit());
    assertEquals(2, Cli.run("frobnicate").exit());
  }

  @Test
  void noImagesFoundExitsWithOne() throws IOException {
    Files.writeString(dir.resolve("readme.txt"), "hello");
    Cli.Result r = Cli.run("classify", dir.toString());
    assertEquals(1, r.exit(), r.toString());
    assertEquals("", r.out());
    assertTrue(r.err().contains("no image files found"), r.err());
  }

  @Test
  void aMissingModelIsAMessageNotAStackTrace() throws IOException {
    TestImages.write(
        dir.resolve("a.png"), TestImages.gradient(8, 8, BufferedImage.TYPE_INT_RGB), "png");
    Path model = dir.resolve("nope.onnx");
    Cli.Result r = Cli.run("classify", "--model", model.toString(), dir.toString());
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains(model.toString()), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void smallBatchesKeepInputOrder() throws IOException {
    Path tree = labelledTree();
    Cli.Result one = Cli.run("classify", tree.toString(), "--batch-size", "1", "--threads", "3");
    Cli.Result all = Cli.run("classify", tree.toString(), "--batch-size", "64");
    Map<String, JsonNode> a = one.byPath();
    Map<String, JsonNode> b = all.byPath();
    assertEquals(List.copyOf(a.keySet()), List.copyOf(b.keySet()));
    List<String> sorted = new ArrayList<>(a.keySet());
    sorted.sort(null);
    assertEquals(sorted, List.copyOf(a.keySet()));
    for (String path : a.keySet()) {
      assertEquals(a.get(path).path("class_index"), b.get(path).path("class_index"), path);
    }
  }
}
