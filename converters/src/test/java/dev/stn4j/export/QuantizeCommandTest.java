package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.stn4j.data.Cifar10;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizeCommandTest {
  private static final Path SHIPPED = Int8QuantizerTest.SHIPPED;

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return QuantizeCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void writesAnInt8ModelCalibratedOnTheGivenTrainingRecords() throws Exception {
    Path output = dir.resolve("m8.onnx");
    int code =
        run(
            "quantize",
            "--model",
            SHIPPED.toString(),
            "-o",
            output.toString(),
            "--calibration-set",
            Int8QuantizerTest.calibrationFile().toString(),
            "--calibration-images",
            "100",
            "--no-sample-answers");
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("min-max, 100 training images of calibration-train256.bin"));
    assertTrue(out.toString().contains("weights: int8 in [-63, 63]"), out.toString());
    Map<String, String> meta =
        Int8QuantizerTest.metadata(ModelProto.parseFrom(Files.readAllBytes(output)));
    assertTrue(meta.get(ModelFormat.KEY_CALIBRATION).contains("\"images\":100"));
    assertFalse(meta.containsKey(ModelFormat.KEY_SAMPLE_SET));
    assertFalse(meta.containsKey(ModelFormat.KEY_TEST_ACCURACY));
  }

  @Test
  void fullRangeWeightsAreAnOption() throws Exception {
    Path output = dir.resolve("m8.onnx");
    int code =
        run(
            "quantize",
            "--model",
            SHIPPED.toString(),
            "-o",
            output.toString(),
            "--calibration-set",
            Int8QuantizerTest.calibrationFile().toString(),
            "--calibration-images",
            "20",
            "--no-sample-answers",
            "--full-range-weights");
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("weights: int8 in [-127, 127]"), out.toString());
    Map<String, String> meta =
        Int8QuantizerTest.metadata(ModelProto.parseFrom(Files.readAllBytes(output)));
    assertTrue(
        meta.get(ModelFormat.KEY_QUANTIZATION).contains("\"weight_range\":[-127,127]"),
        meta.get(ModelFormat.KEY_QUANTIZATION));
  }

  @Test
  void aDataDirGivesCalibrationAndTestAccuracy() throws Exception {
    Path data = Files.createDirectory(dir.resolve("cifar"));
    byte[] records = Files.readAllBytes(Int8QuantizerTest.calibrationFile());
    Files.write(data.resolve(QuantizeCommand.TRAINING_FILE), records);
    // Labelled records stand in for the test split: the point is that they are scored.
    Files.write(data.resolve(Cifar10.TEST_FILE), Arrays.copyOf(records, 50 * 3073));
    Path output = dir.resolve("m8.onnx");
    int code =
        run(
            "quantize",
            "--model",
            SHIPPED.toString(),
            "-o",
            output.toString(),
            "--data-dir",
            data.toString(),
            "--calibration-images",
            "256",
            "--no-sample-answers");
    assertEquals(0, code, err.toString());
    Map<String, String> meta =
        Int8QuantizerTest.metadata(ModelProto.parseFrom(Files.readAllBytes(output)));
    double accuracy = Double.parseDouble(meta.get(ModelFormat.KEY_TEST_ACCURACY));
    // 50 training images the float model was trained on: far above chance (0.1).
    assertTrue(accuracy > 0.5, "accuracy " + accuracy);
    assertTrue(meta.get(ModelFormat.KEY_CALIBRATION).contains("\"source\":\"data_batch_1.bin\""));
  }

  @Test
  void badInputIsOneLineNamingTheFile() throws Exception {
    Path output = dir.resolve("m8.onnx");
    Path missing = dir.resolve("missing.onnx");
    String calibration = Int8QuantizerTest.calibrationFile().toString();
    assertEquals(
        1,
        run(
            "quantize",
            "--model",
            missing.toString(),
            "-o",
            output.toString(),
            "--calibration-set",
            calibration));
    assertOneLine(missing + ": model not found");

    Path notOnnx = dir.resolve("text.onnx");
    Files.writeString(notOnnx, "hello");
    assertEquals(
        1,
        run(
            "quantize",
            "--model",
            notOnnx.toString(),
            "-o",
            output.toString(),
            "--calibration-set",
            calibration));
    assertOneLine(notOnnx + ": not an ONNX model");

    Path test = dir.resolve("test_batch.bin");
    Files.copy(Int8QuantizerTest.calibrationFile(), test);
    assertEquals(
        1,
        run(
            "quantize",
            "--model",
            SHIPPED.toString(),
            "-o",
            output.toString(),
            "--calibration-set",
            test.toString()));
    assertOneLine(test + ": is a test batch; calibration uses training images only");

    assertEquals(
        1,
        run(
            "quantize",
            "--model",
            SHIPPED.toString(),
            "-o",
            output.toString(),
            "--calibration-set",
            calibration,
            "--calibration-images",
            "257"));
    assertOneLine(calibration + ": has 256 records, fewer than --calibration-images 257");

    Path tree = Files.createDirectories(dir.resolve("tree/cat"));
    assertEquals(
        1,
        run(
            "quantize",
            "--model",
            SHIPPED.toString(),
            "-o",
            output.toString(),
            "--data-dir",
            tree.getParent().toString()));
    assertOneLine(
        tree.getParent().resolve(QuantizeCommand.TRAINING_FILE)
            + ": not found (--data-dir takes CIFAR-10's binary batches; for a labelled tree of"
            + " images give --calibration-dir)");
    assertFalse(Files.exists(output));
  }

  @Test
  void cifarRecordsForAModelOfAnotherSizeAreRefusedInOneLine() throws Exception {
    Path other = dir.resolve("other.onnx");
    Files.write(
        other,
        StnOnnxExporter.toBytes(
            StnWeights.initial(new StnShape(64, 3), 1),
            ExportMetadata.builder().classNames(List.of("a", "b", "c")).build()));
    Path output = dir.resolve("m8.onnx");
    assertEquals(
        1,
        run(
            "quantize",
            "--model",
            other.toString(),
            "-o",
            output.toString(),
            "--calibration-set",
            Int8QuantizerTest.calibrationFile().toString()));
    assertOneLine(
        Int8QuantizerTest.calibrationFile()
            + ": CIFAR-10 records are 32x32 images, but "
            + other
            + " takes 64x64 images (give --calibration-dir");
    assertFalse(Files.exists(output));
  }

  @Test
  void withoutCalibrationImagesItIsAUsageError() {
    assertEquals(2, run("quantize", "--model", SHIPPED.toString(), "-o", "x.onnx"));
    assertTrue(err.toString().contains("give --calibration-dir DIR"), err.toString());
    assertEquals(
        2,
        run(
            "quantize",
            "--model",
            SHIPPED.toString(),
            "-o",
            "x.onnx",
            "--data-dir",
            ".",
            "--calibration-images",
            "0"));
  }

  private void assertOneLine(String start) {
    String text = err.toString();
    String[] lines = text.split("\n");
    String last = lines[lines.length - 1];
    assertTrue(last.startsWith("stn quantize: " + start), text);
    err.getBuffer().setLength(0);
  }
}
