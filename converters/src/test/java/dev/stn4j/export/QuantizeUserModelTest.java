package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.stn4j.files.ImageFile;
import dev.stn4j.files.ImageWalk;
import dev.stn4j.sdk.LabelledTrees;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.TestModels;
import dev.stn4j.sdk.internal.ModelFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stn quantize} on a user's model: a generated labelled tree of 3 classes at 40×40, {@code
 * stn train} on it for a few steps, {@code stn export}, then quantized calibrated on its training
 * tree and measured on a test tree. The int8 model has the model's shapes, loads in the SDK (which
 * checks its embedded sample answers), and the accuracy it records is the SDK's on the test files.
 *
 * <p>Surefire runs this module's tests under oneDNN's safe cap (pom.xml), so {@code --onednn-isa
 * cap} trains in this JVM.
 */
class QuantizeUserModelTest {
  private static final int CLASSES = 3;
  private static final int SIZE = 40;
  private static final int PER_CLASS = 8;

  @TempDir static Path tmp;

  private static Path train;
  private static Path test;
  private static Path model;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void trainAndExport() throws Exception {
    train = LabelledTrees.write(tmp.resolve("train"), CLASSES, PER_CLASS, SIZE, 1);
    test = LabelledTrees.write(tmp.resolve("test"), CLASSES, 4, SIZE, 2);
    Path run = tmp.resolve("run");
    UserModelRuns.train(train, run, tmp.resolve("cache"), SIZE, 3, 8);
    model = tmp.resolve("model.onnx");
    UserModelRuns.export(run, model);
  }

  private int quantize(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return QuantizeCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void calibratesOnItsTreeKeepsItsShapesAndStatesItsTestAccuracy() throws Exception {
    Path int8 = tmp.resolve("model-int8.onnx");
    int code =
        quantize(
            "quantize",
            "--model",
            model.toString(),
            "-o",
            int8.toString(),
            "--calibration-dir",
            train.toString(),
            "--test-dir",
            test.toString());
    assertEquals(0, code, err.toString());
    String text = out.toString();
    assertTrue(text.contains("40x40, 3 classes"), text);
    // The tree holds fewer than the default 1,000: all 24 are used.
    assertTrue(
        text.contains("calibration: min-max, 24 training images of " + train + " (class by class"),
        text);
    Matcher m =
        Pattern.compile(
                "test accuracy: ([0-9.]+) % on 12 images \\(float32 source ([0-9.]+) %:"
                    + " [+-][0-9.]+ points\\)")
            .matcher(text);
    assertTrue(m.find(), text);
    assertTrue(text.contains("sample answers: 3 embedded images (40x40)"), text);

    ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(int8));
    GraphProto graph = proto.getGraph();
    assertEquals(List.of(-1L, 3L, 40L, 40L), dims(graph.getInput(0)));
    for (ValueInfoProto o : graph.getOutputList()) {
      List<Long> expected =
          switch (o.getName()) {
            case ModelFormat.OUTPUT_PROBABILITIES -> List.of(-1L, 3L);
            case ModelFormat.OUTPUT_THETA -> List.of(-1L, 2L, 3L);
            default -> List.of(-1L, 3L, 40L, 40L);
          };
      assertEquals(expected, dims(o), o.getName());
    }
    Map<String, String> meta = Int8QuantizerTest.metadata(proto);
    assertTrue(meta.get(ModelFormat.KEY_CALIBRATION).contains("\"images\":24"), meta.toString());
    assertTrue(meta.get(ModelFormat.KEY_CALIBRATION).contains("\"source\":\"train/\""));
    double recorded = Double.parseDouble(meta.get(ModelFormat.KEY_TEST_ACCURACY));
    assertEquals(Double.parseDouble(m.group(1)), 100 * recorded, 0.005);

    // The SDK loads it (checking the int8 answers on the embedded images) and, classifying the
    // test files itself, gets the accuracy the model records: calibration and test images were
    // decoded and pre-processed as the SDK does.
    try (StnClassifier classifier = StnClassifier.builder().model(int8).build()) {
      assertEquals(SIZE, classifier.modelInfo().imageSize());
      assertEquals(TestModels.classNames(CLASSES), classifier.modelInfo().classNames());
      assertEquals(3, classifier.verifySamples());
      List<ImageFile> files =
          ImageWalk.of(classifier.modelInfo().classNames(), w -> {}).findTree(test);
      int right = 0;
      for (ImageFile f : files) {
        if (classifier.predict(f.path()).classIndex() == f.trueClass()) {
          right++;
        }
      }
      assertEquals((double) right / files.size(), recorded, 1e-12);
    }
  }

  @Test
  void calibrationTakesEveryClassInTurn() throws Exception {
    TreeImages all = TreeImages.of(train, TestModels.classNames(CLASSES), SIZE);
    assertEquals(24, all.size());
    TreeImages five = all.interleaved(5);
    int[] labels = new int[5];
    for (int i = 0; i < 5; i++) {
      labels[i] = five.label(i);
    }
    assertEquals("[0, 1, 2, 0, 1]", java.util.Arrays.toString(labels));
    assertEquals(train.resolve("class000").resolve("0.png"), five.file(0));
    assertEquals(train.resolve("class000").resolve("1.png"), five.file(3));
  }

  @Test
  void aBadCalibrationTreeIsOneLineNamingIt() throws Exception {
    Path missing = tmp.resolve("no-such-tree");
    assertRefused(missing, missing + ": not a folder");

    Path stranger = Files.createDirectories(tmp.resolve("stranger/zebra"));
    assertRefused(stranger.getParent(), stranger + ": not a class of the model (its 3 classes:");

    Path empty = tmp.resolve("empty");
    for (String name : TestModels.classNames(CLASSES)) {
      Files.createDirectories(empty.resolve(name));
    }
    assertRefused(empty, empty + ": no images in its class folders");

    Path broken = tmp.resolve("broken");
    LabelledTrees.write(broken, CLASSES, 1, SIZE, 3);
    Path notPng = broken.resolve("class001").resolve("0.png");
    Files.writeString(notPng, "not an image");
    assertRefused(broken, notPng + ": ");

    assertEquals(
        1,
        quantize(
            "quantize",
            "--model",
            model.toString(),
            "-o",
            tmp.resolve("x.onnx").toString(),
            "--calibration-dir",
            test.toString(),
            "--test-dir",
            test.toString()));
    assertLastLine(test + ": is also --test-dir; calibration uses training images only");

    assertEquals(
        1,
        quantize(
            "quantize",
            "--model",
            model.toString(),
            "-o",
            tmp.resolve("x.onnx").toString(),
            "--calibration-dir",
            train.toString(),
            "--calibration-images",
            "25"));
    assertLastLine(train + ": has 24 images, fewer than --calibration-images 25");

    // A tree given where CIFAR-10's binary batches are expected: the option to use is named.
    assertEquals(
        1,
        quantize(
            "quantize",
            "--model",
            model.toString(),
            "-o",
            tmp.resolve("x.onnx").toString(),
            "--data-dir",
            train.toString()));
    assertLastLine(
        train
            + ": CIFAR-10 records are 32x32 images, but "
            + model
            + " takes 40x40 images (give --calibration-dir");
    assertFalse(Files.exists(tmp.resolve("x.onnx")));
  }

  @Test
  void cifarRecordsDoNotCalibrateAModelOfAnotherSize() throws Exception {
    assertEquals(
        1,
        quantize(
            "quantize",
            "--model",
            model.toString(),
            "-o",
            tmp.resolve("y.onnx").toString(),
            "--calibration-set",
            Int8QuantizerTest.calibrationFile().toString()));
    assertLastLine(
        Int8QuantizerTest.calibrationFile()
            + ": CIFAR-10 records are 32x32 images, but "
            + model
            + " takes 40x40 images (give --calibration-dir, a labelled tree of its own training"
            + " images)");
  }

  private void assertRefused(Path calibrationDir, String start) {
    int code =
        quantize(
            "quantize",
            "--model",
            model.toString(),
            "-o",
            tmp.resolve("x.onnx").toString(),
            "--calibration-dir",
            calibrationDir.toString(),
            "--no-sample-answers");
    assertEquals(1, code, out.toString());
    assertLastLine(start);
  }

  private void assertLastLine(String start) {
    String[] lines = err.toString().split("\n");
    assertEquals(1, lines.length, err.toString());
    assertTrue(
        lines[0].startsWith("stn quantize: " + start),
        String.format(Locale.ROOT, "expected 'stn quantize: %s...', got: %s", start, err));
  }

  private static List<Long> dims(ValueInfoProto v) {
    return v.getType().getTensorType().getShape().getDimList().stream()
        .map(d -> d.hasDimValue() ? d.getDimValue() : -1L)
        .toList();
  }
}
