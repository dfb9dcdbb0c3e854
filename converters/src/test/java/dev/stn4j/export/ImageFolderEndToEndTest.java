package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.stn4j.sdk.LabelledTrees;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.SampleSet;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.TestModels;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.Checkpoint;
import dev.stn4j.train.model.Architecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A user's own images, the whole way: a generated labelled folder, {@code stn train} on it for a
 * few steps, {@code stn export}, and the SDK loading the model (which checks its embedded sample
 * answers) and classifying the folder's files with the model's classes; ONNX Runtime and the DJL
 * trainer agree on the model's own sample images.
 *
 * <p>Surefire runs this module's tests under oneDNN's safe cap (pom.xml), so {@code --onednn-isa
 * cap} trains in this JVM.
 */
class ImageFolderEndToEndTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} classes at {1}x{1}")
  @CsvSource({"3, 64, 8", "20, 28, 3", "1000, 18, 2"})
  void trainsExportsLoadsAndClassifies(int classes, int size, int perClass) throws Exception {
    Path train = LabelledTrees.write(tmp.resolve("train"), classes, perClass, size, 1);
    Path run = tmp.resolve("run");
    String trained =
        UserModelRuns.train(
            train, run, tmp.resolve("cache"), size, Math.min(classes, 100), 16, "--ema", "0.5");
    assertTrue(trained.contains("final validation accuracy"), trained);
    Checkpoint checkpoint = Checkpoint.read(run.resolve("checkpoint.bin"));

    Path model = tmp.resolve("model.onnx");
    String out = UserModelRuns.export(run, model);
    assertTrue(
        out.matches(
            "(?s).*parity: ONNX Runtime vs the trainer on the "
                + Math.min(classes, 100)
                + " sample images: max \\|dP\\| [0-9.]+e-[0-9]+, 0 classes differ.*"),
        out);

    try (StnClassifier classifier = StnClassifier.builder().model(model).build()) {
      assertEquals(size, classifier.modelInfo().imageSize());
      assertEquals(TestModels.classNames(classes), classifier.modelInfo().classNames());
      SampleSet samples = classifier.modelInfo().sampleSet().orElseThrow();
      assertEquals(Math.min(classes, 100), samples.size());
      assertEquals(samples.size(), classifier.verifySamples());

      List<Path> files;
      try (Stream<Path> walk = Files.walk(train)) {
        files = walk.filter(Files::isRegularFile).sorted().limit(12).toList();
      }
      for (Path file : files) {
        Prediction p = classifier.predict(file);
        assertTrue(classifier.modelInfo().classNames().contains(p.label()), p.label());
        assertEquals(classes, p.probabilities().length);
      }

      ParityTest.Images images = new ParityTest.Images(samples.size(), size, samples.images());
      ParityTest.assertParity(
          String.format(Locale.ROOT, "%d classes at %d", classes, size),
          ParityTest.djl(checkpoint.weights(), checkpoint.normalization(), images),
          ParityTest.ort(Files.readAllBytes(model), images));
    }
  }

  /**
   * {@code stn train --no-transformer}: the classifier alone, exported as the {@code cnn}
   * architecture with the STN's input and outputs (θ the identity, warped the input), which the SDK
   * runs unchanged; the export's own parity check and the test's agree with the trainer.
   */
  @Test
  void theClassifierAloneTrainsExportsAndRunsWithTheStnsInputsAndOutputs() throws Exception {
    int size = 28;
    Path train = LabelledTrees.write(tmp.resolve("train"), 3, 6, size, 2);
    Path run = tmp.resolve("run");
    String trained =
        UserModelRuns.train(
            train, run, tmp.resolve("cache"), size, 3, 8, "--ema", "0.5", "--no-transformer");
    assertTrue(trained.contains("\"architecture\":\"cnn\""), trained);
    Checkpoint checkpoint = Checkpoint.read(run.resolve("checkpoint.bin"));
    assertEquals(Architecture.CNN, checkpoint.architecture());

    Path model = tmp.resolve("cnn.onnx");
    String out = UserModelRuns.export(run, model);
    assertTrue(
        out.matches(
            "(?s).*parity: ONNX Runtime vs the trainer on the 3 sample images: max \\|dP\\|"
                + " [0-9.]+e-[0-9]+, 0 classes differ.*"),
        out);
    assertTrue(out.contains("28x28 images, 3 classes, plain CNN (no spatial transformer)"), out);
    ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(model));
    assertTrue(
        proto.getGraph().getInitializerList().stream()
            .noneMatch(t -> t.getName().startsWith("loc.")),
        "no localization network in the graph");
    assertTrue(
        proto.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("GridSample")));
    assertEquals(
        checkpoint.weights().sha256(),
        OnnxInitializers.stnWeights(proto, "cnn.onnx").sha256(),
        "the exported parameters read back");

    try (StnClassifier classifier = StnClassifier.builder().model(model).build()) {
      assertEquals(ModelFormat.ARCHITECTURE_CNN, classifier.modelInfo().architecture());
      assertFalse(classifier.modelInfo().hasTransformer());
      assertEquals(3, classifier.verifySamples());
      SampleSet samples = classifier.modelInfo().sampleSet().orElseThrow();
      ParityTest.Images images = new ParityTest.Images(samples.size(), size, samples.images());
      ParityTest.Outputs ort = ParityTest.ort(Files.readAllBytes(model), images);
      ParityTest.assertParity(
          "the classifier alone",
          ParityTest.djl(checkpoint.weights(), checkpoint.normalization(), images),
          ort);
      // The STN's outputs, exactly: θ the identity for every image, warped the input itself.
      for (int i = 0; i < samples.size(); i++) {
        assertArrayEquals(
            new float[] {1, 0, 0, 0, 1, 0},
            Arrays.copyOfRange(ort.theta(), i * 6, i * 6 + 6),
            0f,
            "image " + i);
      }
      assertArrayEquals(samples.images(), ort.warped(), 0f);
      float[] first = Arrays.copyOfRange(samples.images(), 0, 3 * size * size);
      Prediction p = classifier.predict(first);
      assertEquals(3, p.probabilities().length);
    }
  }
}
