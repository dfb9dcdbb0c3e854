package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.sdk.RepositoryRoot;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.SampleImages;
import dev.stn4j.train.data.TrainingImages;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
  private static final Path SAMPLE_SET = RepositoryRoot.get().resolve(SampleAnswers.DEFAULT_PATH);
  private static final StnWeights WEIGHTS = PerturbedWeights.of(3);

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return ExportCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void exportsACheckpointWithItsProvenanceAndTheSampleAnswers() throws Exception {
    Path checkpoint = dir.resolve("checkpoint.stn");
    CheckpointFiles.write(checkpoint, WEIGHTS, 0.625);
    Path model = dir.resolve("model.onnx");

    int code =
        run(
            "export",
            "--checkpoint",
            checkpoint.toString(),
            "--output",
            model.toString(),
            "--sample-set",
            SAMPLE_SET.toString());

    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("opset 16"), out.toString());
    assertEquals(List.of(checkpoint, model), listDir(), "no temporary file left behind");
    try (OrtSession s = OrtEnvironment.getEnvironment().createSession(Files.readAllBytes(model))) {
      Map<String, String> m = s.getMetadata().getCustomMetadata();
      assertEquals("synthetic test data", m.get(ModelFormat.KEY_TRAINING_DATA));
      assertEquals(0.625, Double.parseDouble(m.get(ModelFormat.KEY_TEST_ACCURACY)));
      assertEquals(WEIGHTS.sha256(), m.get(ModelFormat.KEY_PARAMETERS_SHA256));
      assertEquals(
          2, new ObjectMapper().readTree(m.get(ModelFormat.KEY_TRAINING)).get("epochs").asInt());
      JsonNode sample = new ObjectMapper().readTree(m.get(ModelFormat.KEY_SAMPLE_SET));
      int[] expected =
          SamplePredictor.predictClasses(
              WEIGHTS,
              Normalization.CIFAR10,
              TrainingImages.of(dev.stn4j.data.CifarBatch.read(SAMPLE_SET)));
      JsonNode predicted = sample.get("predicted");
      assertTrue(predicted.isArray(), "predicted is a JSON array: " + predicted);
      int[] recorded = new int[predicted.size()];
      for (int i = 0; i < recorded.length; i++) {
        recorded[i] = predicted.get(i).asInt();
      }
      assertArrayEquals(expected, recorded);
      assertEquals(
          SampleAnswers.sha256(Files.readAllBytes(SAMPLE_SET)), sample.get("sha256").asText());
    }
  }

  @Test
  void aFolderModelCarriesItsClassesStatisticsAndEmbeddedSamples() throws Exception {
    StnShape shape = new StnShape(28, 20);
    StnWeights weights = PerturbedWeights.of(shape, 5);
    Random random = new Random(9);
    byte[] pixels = new byte[30 * shape.imageValues()];
    random.nextBytes(pixels);
    SampleImages samples = new SampleImages(28, random.ints(30, 0, 20).toArray(), pixels);
    List<String> names = ParityTest.classNames(20);
    Path checkpoint = dir.resolve("folder.stn");
    CheckpointFiles.write(checkpoint, weights, 0.4, names, ParityTest.OTHER_STATISTICS, samples);
    Path model = dir.resolve("folder.onnx");

    assertEquals(0, run("export", "--checkpoint", checkpoint.toString(), "-o", model.toString()));

    assertTrue(out.toString().contains("28x28 images, 20 classes"), out.toString());
    assertTrue(
        out.toString().contains("sample answers: 30 embedded images (28x28)"), out.toString());
    try (OrtSession s = OrtEnvironment.getEnvironment().createSession(Files.readAllBytes(model))) {
      Map<String, String> m = s.getMetadata().getCustomMetadata();
      ObjectMapper json = new ObjectMapper();
      assertEquals(json.writeValueAsString(names), m.get(ModelFormat.KEY_CLASS_NAMES));
      assertEquals(
          ParityTest.OTHER_STATISTICS,
          Normalization.fromJson(m.get(ModelFormat.KEY_NORMALIZATION)));
      assertEquals("[3,28,28]", m.get(ModelFormat.KEY_INPUT_SIZE));
      assertEquals("stn", m.get(ModelFormat.KEY_ARCHITECTURE));
      SampleAnswers recorded = SampleAnswers.embeddedIn(m, "folder.onnx").orElseThrow();
      assertEquals(samples, recorded.embedded().orElseThrow());
      JsonNode predicted = json.readTree(m.get(ModelFormat.KEY_SAMPLE_SET)).get("predicted");
      int[] expected =
          SamplePredictor.predictClasses(weights, ParityTest.OTHER_STATISTICS, samples);
      assertEquals(json.valueToTree(expected), predicted);
    }
  }

  @Test
  void anotherShapeWithoutSampleImagesHasNoSampleSetAndRefusesTheCifarFile() throws Exception {
    StnShape shape = new StnShape(64, 3);
    Path checkpoint = dir.resolve("plain.stn");
    CheckpointFiles.write(
        checkpoint,
        StnWeights.initial(shape, 2),
        0.9,
        List.of("a", "b", "c"),
        Normalization.CIFAR10,
        null);
    Path model = dir.resolve("plain.onnx");
    assertEquals(0, run("export", "--checkpoint", checkpoint.toString(), "-o", model.toString()));
    assertTrue(
        out.toString().contains("sample answers: none (the checkpoint holds no sample images)"),
        out.toString());
    try (OrtSession s = OrtEnvironment.getEnvironment().createSession(Files.readAllBytes(model))) {
      assertFalse(s.getMetadata().getCustomMetadata().containsKey(ModelFormat.KEY_SAMPLE_SET));
    }
    assertEquals(
        1,
        run(
            "export",
            "--checkpoint",
            checkpoint.toString(),
            "-o",
            model.toString(),
            "--sample-set",
            SAMPLE_SET.toString()));
    String message = err.toString().strip();
    assertEquals(
        "stn export: "
            + SAMPLE_SET
            + ": --sample-set takes CIFAR-10 records, for CIFAR-10-shaped models (32x32, 10"
            + " classes); "
            + checkpoint
            + " takes 64x64 images with 3 classes",
        message);
  }

  @Test
  void missingCheckpointIsOneLineNamingTheFile() throws Exception {
    Path missing = dir.resolve("nope.stn");
    Path model = dir.resolve("model.onnx");
    assertEquals(1, run("export", "--checkpoint", missing.toString(), "-o", model.toString()));
    assertOneLineNaming(missing, "not found");
    assertFalse(Files.exists(model));
  }

  @Test
  void corruptCheckpointLeavesAnExistingOutputUntouched() throws Exception {
    Path checkpoint = dir.resolve("garbage.stn");
    Files.write(checkpoint, "this is not a checkpoint at all".getBytes());
    Path model = dir.resolve("model.onnx");
    Files.writeString(model, "previous model");
    assertEquals(1, run("export", "--checkpoint", checkpoint.toString(), "-o", model.toString()));
    assertOneLineNaming(checkpoint, "not an stn4j checkpoint");
    assertEquals("previous model", Files.readString(model));
    assertEquals(2, listDir().size(), "no temporary file left behind");
  }

  @Test
  void truncatedCheckpointIsRefused() throws Exception {
    Path checkpoint = dir.resolve("cut.stn");
    CheckpointFiles.write(checkpoint, WEIGHTS, 0.5);
    byte[] all = Files.readAllBytes(checkpoint);
    Files.write(checkpoint, Arrays.copyOf(all, all.length / 2));
    assertEquals(
        1,
        run(
            "export",
            "--checkpoint",
            checkpoint.toString(),
            "-o",
            dir.resolve("m.onnx").toString()));
    assertOneLineNaming(checkpoint, "truncated");
  }

  @Test
  void anotherArchitectureNamesTheParameterThatDiffers() throws Exception {
    Path checkpoint = dir.resolve("wide.stn");
    CheckpointFiles.write(
        checkpoint, WEIGHTS, 0.5, StnParameter.LOC_FC1_WEIGHT, new long[] {64, 160});
    assertEquals(
        1,
        run(
            "export",
            "--checkpoint",
            checkpoint.toString(),
            "-o",
            dir.resolve("m.onnx").toString()));
    assertOneLineNaming(checkpoint, "loc.fc1.weight");
    assertTrue(
        err.toString().contains("[32, 160]") && err.toString().contains("[64, 160]"),
        err.toString());
    assertEquals(List.of(checkpoint), listDir());
  }

  @Test
  void missingOutputDirectoryIsRefusedBeforeAnyWork() throws Exception {
    Path checkpoint = dir.resolve("checkpoint.stn");
    CheckpointFiles.write(checkpoint, WEIGHTS, 0.5);
    Path model = dir.resolve("no/such/dir/model.onnx");
    assertEquals(1, run("export", "--checkpoint", checkpoint.toString(), "-o", model.toString()));
    assertOneLineNaming(model, "does not exist");
  }

  @Test
  void missingSampleSetSaysHowToProceed() throws Exception {
    Path checkpoint = dir.resolve("checkpoint.stn");
    CheckpointFiles.write(checkpoint, WEIGHTS, 0.5);
    Path sample = dir.resolve("absent.bin");
    assertEquals(
        1,
        run(
            "export",
            "--checkpoint",
            checkpoint.toString(),
            "-o",
            dir.resolve("m.onnx").toString(),
            "--sample-set",
            sample.toString()));
    assertOneLineNaming(sample, "--no-sample-answers");
  }

  @Test
  void noSampleAnswersLeavesThemOut() throws Exception {
    Path checkpoint = dir.resolve("checkpoint.stn");
    CheckpointFiles.write(checkpoint, WEIGHTS, 0.5);
    Path model = dir.resolve("m.onnx");
    assertEquals(
        0,
        run(
            "export",
            "--checkpoint",
            checkpoint.toString(),
            "-o",
            model.toString(),
            "--no-sample-answers"),
        err.toString());
    try (OrtSession s = OrtEnvironment.getEnvironment().createSession(Files.readAllBytes(model))) {
      assertFalse(s.getMetadata().getCustomMetadata().containsKey(ModelFormat.KEY_SAMPLE_SET));
    }
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertEquals(2, run("export"));
    assertTrue(err.toString().contains("--checkpoint"), err.toString());
    assertEquals(2, run("export", "--checkpoint", "a", "-o", "b", "--bogus"));
    assertEquals(2, run());
    assertEquals(2, run("train"));
    assertEquals(2, run("export", "--checkpoint", "a", "-o", "b", "--channel-block", "0"));
    assertTrue(err.toString().contains("--channel-block must be at least 1"), err.toString());
    assertEquals(0, run("export", "--help"));
    assertTrue(out.toString().contains("--output"));
  }

  @Test
  void versionIsTheProjectsLikeEveryCommands() {
    assertEquals(0, run("export", "-V"), err.toString());
    assertEquals("stn4j " + RepositoryRoot.pomVersion(), out.toString().strip());
  }

  private void assertOneLineNaming(Path file, String problem) {
    String message = err.toString().strip();
    assertFalse(message.contains("\n"), "one line: " + message);
    assertTrue(message.startsWith("stn export: "), message);
    assertTrue(message.contains(file.toString()), "names " + file + ": " + message);
    assertTrue(message.contains(problem), "says '" + problem + "': " + message);
  }

  private List<Path> listDir() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().collect(Collectors.toList());
    }
  }
}
