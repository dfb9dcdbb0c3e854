package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stn4j.data.Cifar10;
import dev.stn4j.sdk.LabelledTrees;
import dev.stn4j.sdk.TestModels;
import dev.stn4j.sdk.internal.ModelFormat;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stn robustness} end to end on generated models and data. */
class RobustnessCommandTest {
  @TempDir Path dir;

  /** A generated model of S and K, with a transformer ("stn") or without ("cnn"). */
  private Path model(String name, int size, int k, String architecture) throws Exception {
    return model(name, size, k, architecture, new float[] {1, 0, 0, 0, 1, 0});
  }

  /** The same, θ the six row-major values {@code theta} for every image. */
  private Path model(String name, int size, int k, String architecture, float[] theta)
      throws Exception {
    Map<String, String> meta = TestModels.v2Metadata(size, TestModels.classNames(k), 0);
    meta.put(ModelFormat.KEY_ARCHITECTURE, architecture);
    Path file = dir.resolve(name);
    Files.write(file, TestModels.build(size, k, meta, theta));
    return file;
  }

  /**
   * A CIFAR-format test batch of {@code n} 32×32 records: class colours with noise and a corner of
   * another colour, so that turning an image changes what the colour model answers.
   */
  private Path cifarBatch(int n) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("cifar"));
    byte[] bytes = new byte[n * Cifar10.RECORD_BYTES];
    Random random = new Random(5);
    int plane = 32 * 32;
    for (int i = 0; i < n; i++) {
      int label = i % 10;
      int at = i * Cifar10.RECORD_BYTES;
      bytes[at] = (byte) label;
      int other = TestModels.rgb((label + 3) % 10);
      for (int p = 0; p < plane; p++) {
        boolean corner = p % 32 < 8 && p / 32 < 8;
        int rgb = corner ? other : TestModels.rgb(label);
        for (int ch = 0; ch < 3; ch++) {
          int v = (rgb >> (16 - 8 * ch) & 0xFF) + random.nextInt(41) - 20;
          bytes[at + 1 + ch * plane + p] = (byte) Math.max(0, Math.min(255, v));
        }
      }
    }
    Files.write(folder.resolve(Cifar10.TEST_FILE), bytes);
    return folder;
  }

  private Cli.Result robustness(String... args) {
    List<String> all = new ArrayList<>(List.of("robustness"));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void twoModelsOnACifarBatchWriteEveryFileAndAngleZeroIsEvaluatesAccuracy() throws Exception {
    Path stn = model("stn.onnx", 32, 10, ModelFormat.ARCHITECTURE_STN);
    Path cnn = model("cnn.onnx", 32, 10, ModelFormat.ARCHITECTURE_CNN);
    Path data = cifarBatch(60);
    Path out = dir.resolve("out");
    Cli.Result r =
        robustness(
            "--model",
            stn.toString(),
            "--model",
            cnn.toString(),
            "--data-dir",
            data.toString(),
            "--angles",
            "0,45,90",
            "--scales",
            "0.8,1.25",
            "--shifts",
            "0,3",
            "--output",
            out.toString(),
            "--threads",
            "1");
    assertEquals(0, r.exit(), r.toString());
    for (String f :
        List.of(
            "results.json",
            "results.csv",
            "accuracy-vs-angle.png",
            "accuracy-vs-scale.png",
            "accuracy-vs-shift.png",
            "recovered-rotation.png",
            "recovered-scale.png")) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f + " in " + r);
    }
    BufferedImage plot = ImageIO.read(out.resolve("accuracy-vs-angle.png").toFile());
    assertNotNull(plot, "a PNG");
    assertEquals(700, plot.getWidth());

    JsonNode json = Cli.JSON.readTree(out.resolve("results.json").toFile());
    assertEquals(60, json.get("images").asInt());
    assertEquals("cifar10-binary", json.get("data_kind").asText());
    assertEquals(2, json.get("models").size());
    assertEquals(2 * (3 + 2 + 2), json.get("results").size());
    assertTrue(json.get("models").get(0).get("images_per_second").asDouble() > 0);
    assertFalse(json.get("models").get(1).get("transformer").asBoolean());

    Cli.Result evaluate =
        Cli.run("evaluate", "--model", stn.toString(), "--data-dir", data.toString(), "--json");
    assertEquals(0, evaluate.exit(), evaluate.toString());
    double evaluated = Cli.JSON.readTree(evaluate.out()).get("accuracy").asDouble();
    JsonNode angleZero = level(json, "stn.onnx", "rotation", 0);
    assertEquals(evaluated, angleZero.get("accuracy").asDouble(), 1e-12);
    assertEquals(evaluated, json.get("models").get(0).get("undistorted_accuracy").asDouble());
    assertEquals(1, evaluated, "the colour model knows the undistorted images");
    assertEquals(
        evaluated,
        level(json, "cnn.onnx", "rotation", 90).get("accuracy").asDouble(),
        "a quarter turn keeps every pixel, and so the average colour");
    assertTrue(
        level(json, "stn.onnx", "rotation", 45).get("accuracy").asDouble() < evaluated,
        "at 45 degrees the fill colour enters; the colour model notices: " + json);

    // The generated transformer's θ is the identity whatever the image: it recovers nothing.
    JsonNode recovered = level(json, "stn.onnx", "rotation", 45).get("recovered");
    assertEquals(0, recovered.get("rotation_degrees").get("median").asDouble(), 1e-6);
    assertEquals(1, recovered.get("scale").get("median").asDouble(), 1e-6);
    assertEquals(
        0,
        level(json, "stn.onnx", "shift", 3)
            .get("recovered")
            .get("shift_pixels")
            .get("median")
            .asDouble(),
        1e-5);
    assertTrue(level(json, "cnn.onnx", "rotation", 45).path("recovered").isMissingNode());
  }

  @Test
  void thetaOnTheUndistortedImagesIsReportedAsTheWarpTheTransformerApplies() throws Exception {
    // θ = [0.8·R(30°) | (0.2, 0)] for every image, R(a) = [[cos a, −sin a], [sin a, cos a]]: the
    // transformer samples a smaller, turned area, so it shows the content enlarged by 1.25.
    double a = Math.toRadians(30);
    float c = (float) (0.8 * Math.cos(a));
    float s = (float) (0.8 * Math.sin(a));
    Path fixed =
        model(
            "fixed.onnx", 32, 10, ModelFormat.ARCHITECTURE_STN, new float[] {c, -s, 0.2f, s, c, 0});
    Path cnn = model("cnn.onnx", 32, 10, ModelFormat.ARCHITECTURE_CNN);
    Path out = dir.resolve("out");
    Cli.Result r =
        robustness(
            "--model",
            fixed.toString(),
            "--model",
            cnn.toString(),
            "--data-dir",
            cifarBatch(20).toString(),
            "--angles",
            "0",
            "--output",
            out.toString(),
            "--threads",
            "1");
    assertEquals(0, r.exit(), r.toString());
    JsonNode rest = Cli.JSON.readTree(out.resolve("results.json").toFile()).get("models");
    JsonNode fixedRest = rest.get(0).get("theta_at_rest");
    // The warp θ⁻¹ = [1.25·R(−30°) | −1.25·R(−30°)·(0.2, 0)]: R(−30°) in matrix terms is +30°
    // counter-clockwise as displayed (y points down); its move is 0.25 normalised units long,
    // 0.25 · 32/2 = 4 pixels.
    assertEquals(30, fixedRest.get("rotation_degrees").get("median").asDouble(), 1e-4);
    assertEquals(1.25, fixedRest.get("scale").get("median").asDouble(), 1e-5);
    assertEquals(4, fixedRest.get("shift_pixels").get("median").asDouble(), 1e-4);
    assertEquals(0, fixedRest.get("scale").get("iqr").asDouble(), 1e-6, "one θ for every image");
    assertEquals(20, fixedRest.get("scale").get("count").asInt());
    assertTrue(rest.get(1).path("theta_at_rest").isMissingNode(), "no θ without a transformer");
    assertTrue(
        r.out().contains("turns 30.00° [30.00, 30.00], scales 1.250 [1.250, 1.250], moves 4.00 px"),
        r.out());
  }

  private static JsonNode level(JsonNode json, String model, String kind, double level) {
    for (JsonNode n : json.get("results")) {
      if (n.get("model").asText().equals(model)
          && n.get("kind").asText().equals(kind)
          && n.get("level").asDouble() == level) {
        return n;
      }
    }
    throw new AssertionError("no " + model + " " + kind + " " + level + " in " + json);
  }

  @Test
  void theCsvHasOneRowPerModelKindAndLevel() throws Exception {
    Path stn = model("stn.onnx", 24, 3, ModelFormat.ARCHITECTURE_STN);
    Path cnn = model("cnn.onnx", 24, 3, ModelFormat.ARCHITECTURE_CNN);
    Path tree = LabelledTrees.write(dir.resolve("tree"), 3, 4, 30, 2);
    Path out = dir.resolve("out");
    Cli.Result r =
        robustness(
            "--model",
            stn.toString(),
            "--model",
            cnn.toString(),
            "--data-dir",
            tree.toString(),
            "--angles",
            "0,30",
            "--shifts",
            "2",
            "--output",
            out.toString());
    assertEquals(0, r.exit(), r.toString());
    List<List<String>> rows = Csv.parse(Files.readString(out.resolve("results.csv")));
    assertEquals(RobustnessReport.CSV_COLUMNS, rows.get(0));
    assertEquals(1 + 2 * 3, rows.size(), rows.toString());
    List<String> cnnRotation = rows.get(4);
    assertEquals(
        List.of("cnn.onnx", "cnn", "rotation", "0", "degrees", "12"), cnnRotation.subList(0, 6));
    assertEquals("", cnnRotation.get(RobustnessReport.CSV_COLUMNS.indexOf("rotation_median")));
    List<String> stnShift = rows.get(3);
    assertEquals(List.of("stn.onnx", "stn", "shift", "2", "pixels", "12"), stnShift.subList(0, 6));
    assertEquals(
        0,
        Double.parseDouble(stnShift.get(RobustnessReport.CSV_COLUMNS.indexOf("shift_median"))),
        1e-5);
    assertFalse(r.out().isBlank(), "a summary on stdout");
    assertTrue(r.out().contains("not a benchmark"), r.out());

    Cli.Result evaluate =
        Cli.run("evaluate", "--model", cnn.toString(), "--data-dir", tree.toString(), "--json");
    double evaluated = Cli.JSON.readTree(evaluate.out()).get("accuracy").asDouble();
    assertEquals(evaluated, Double.parseDouble(rows.get(4).get(7)), 1e-12);
  }

  @Test
  void theSameSeedGivesTheSameResults() throws Exception {
    Path stn = model("stn.onnx", 32, 10, ModelFormat.ARCHITECTURE_STN);
    Path data = cifarBatch(40);
    List<JsonNode> runs = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      Path out = dir.resolve(name);
      String seed = name.equals("c") ? "2" : "1";
      Cli.Result r =
          robustness(
              "--model",
              stn.toString(),
              "--data-dir",
              data.toString(),
              "--angles",
              "0,30,60",
              "--shifts",
              "4",
              "--seed",
              seed,
              "--output",
              out.toString());
      assertEquals(0, r.exit(), r.toString());
      JsonNode json = Cli.JSON.readTree(out.resolve("results.json").toFile());
      for (JsonNode m : json.get("models")) {
        // Time is the one thing a rerun may change.
        ((ObjectNode) m).remove(List.of("inference_seconds", "images_per_second"));
      }
      runs.add(json);
      if (name.equals("b")) {
        assertEquals(
            Files.readString(dir.resolve("a/results.csv")),
            Files.readString(out.resolve("results.csv")));
      }
    }
    assertEquals(runs.get(0), runs.get(1));
    assertFalse(runs.get(0).equals(runs.get(2)), "another seed, other copies");
  }

  @Test
  void aLimitedTreeRunUsesASeededSample() throws Exception {
    Path stn = model("stn.onnx", 24, 3, ModelFormat.ARCHITECTURE_STN);
    Path tree = LabelledTrees.write(dir.resolve("tree"), 3, 5, 30, 3);
    Cli.Result r =
        robustness(
            "--model",
            stn.toString(),
            "--data-dir",
            tree.toString(),
            "--limit",
            "7",
            "--angles",
            "10",
            "--output",
            dir.resolve("out").toString());
    assertEquals(0, r.exit(), r.toString());
    JsonNode json = Cli.JSON.readTree(dir.resolve("out/results.json").toFile());
    assertEquals(7, json.get("images").asInt());
    assertEquals("tree", json.get("data_kind").asText());
  }

  /** A cnn model of 3 classes at 24×24 whose normalisation mean is class {@code k}'s colour. */
  private Path modelFilledWith(String name, int k) throws Exception {
    Map<String, String> meta = TestModels.v2Metadata(24, TestModels.classNames(3), 0);
    meta.put(ModelFormat.KEY_ARCHITECTURE, ModelFormat.ARCHITECTURE_CNN);
    int rgb = TestModels.rgb(k);
    meta.put(
        ModelFormat.KEY_NORMALIZATION,
        String.format(
            java.util.Locale.ROOT,
            "{\"mean\":[%s,%s,%s],\"std\":[0.25,0.2,0.15]}",
            (rgb >> 16 & 0xFF) / 255.0,
            (rgb >> 8 & 0xFF) / 255.0,
            (rgb & 0xFF) / 255.0));
    Path file = dir.resolve(name);
    Files.write(file, TestModels.build(24, 3, meta));
    return file;
  }

  @Test
  void eachModelsCopiesAreFilledWithItsOwnMean() throws Exception {
    // Shrunk to half its side, an image is three quarters fill: the colour model then answers the
    // fill's class. Three images of class001 and one of class002: a model filled with class001's
    // colour gets 3 of 4 right, one filled with class002's 1 of 4, whichever runs first.
    Path tree = dir.resolve("tree");
    for (int i = 0; i < 4; i++) {
      int k = i < 3 ? 1 : 2;
      Path folder = Files.createDirectories(tree.resolve(TestModels.classNames(3).get(k)));
      ImageIO.write(TestModels.image(24, k), "png", folder.resolve(i + ".png").toFile());
    }
    Path one = modelFilledWith("one.onnx", 1);
    Path two = modelFilledWith("two.onnx", 2);
    for (List<Path> order : List.of(List.of(one, two), List.of(two, one))) {
      Path out = dir.resolve("out-" + order.get(0).getFileName());
      Cli.Result r =
          robustness(
              "--model",
              order.get(0).toString(),
              "--model",
              order.get(1).toString(),
              "--data-dir",
              tree.toString(),
              "--angles",
              "0",
              "--scales",
              "0.5",
              "--output",
              out.toString());
      assertEquals(0, r.exit(), r.toString());
      JsonNode json = Cli.JSON.readTree(out.resolve("results.json").toFile());
      assertEquals(1.0, level(json, "one.onnx", "rotation", 0).get("accuracy").asDouble());
      assertEquals(0.75, level(json, "one.onnx", "scale", 0.5).get("accuracy").asDouble());
      assertEquals(0.25, level(json, "two.onnx", "scale", 0.5).get("accuracy").asDouble());
    }
  }

  @Test
  void badInputGetsOneClearLine() throws Exception {
    Path stn = model("stn.onnx", 32, 10, ModelFormat.ARCHITECTURE_STN);
    Path other = model("small.onnx", 24, 3, ModelFormat.ARCHITECTURE_CNN);
    Path data = cifarBatch(10);
    String m = stn.toString();
    String d = data.toString();
    String o = dir.resolve("out").toString();

    expect(
        2,
        "--angles: 200 is outside -180..180",
        "--model",
        m,
        "--data-dir",
        d,
        "--angles",
        "0,200");
    expect(2, "--scales: 0 is outside > 0", "--model", m, "--data-dir", d, "--scales", "1,0");
    expect(2, "--shifts: -1 is outside >= 0", "--model", m, "--data-dir", d, "--shifts=-1");
    expect(2, "--angles: 30 is given twice", "--model", m, "--data-dir", d, "--angles", "30,30");
    expect(2, "'x'", "--model", m, "--data-dir", d, "--angles", "x");
    expect(
        1,
        dir.resolve("missing.onnx").toString(),
        "--model",
        dir.resolve("missing.onnx").toString(),
        "--data-dir",
        d,
        "--output",
        o);
    expect(
        1,
        dir.resolve("nowhere") + ": no such directory",
        "--model",
        m,
        "--data-dir",
        dir.resolve("nowhere").toString(),
        "--output",
        o);
    expect(
        1,
        "does not match",
        "--model",
        m,
        "--model",
        other.toString(),
        "--data-dir",
        d,
        "--output",
        o);
    expect(
        1,
        "CIFAR-10's test batch (32x32, 10 classes) does not fit",
        "--model",
        other.toString(),
        "--data-dir",
        d,
        "--output",
        o);
    assertFalse(Files.exists(dir.resolve("out")), "no output for a refused run");
  }

  private void expect(int exit, String message, String... args) {
    Cli.Result r = robustness(args);
    assertEquals(exit, r.exit(), r.toString());
    String first = r.err().lines().findFirst().orElse("");
    assertTrue(first.startsWith("stn robustness: "), r.toString());
    assertTrue(first.contains(message), "'" + message + "' in " + r);
    assertFalse(r.err().contains("\tat "), r.toString());
  }
}
