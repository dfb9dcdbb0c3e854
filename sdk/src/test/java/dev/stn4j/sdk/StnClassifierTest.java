package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.image.TestImages;
import dev.stn4j.sdk.internal.ModelFormat;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StnClassifierTest {
  private static StnClassifier classifier;
  private static CifarBatch sample;

  @BeforeAll
  static void open() throws Exception {
    // On the CPU: the native kernel's tests compare against it.
    classifier =
        StnClassifier.builder().defaultModel().provider(Provider.cpu()).intraOpThreads(1).build();
    sample = TestImages.sampleSet();
  }

  @AfterAll
  static void close() {
    if (classifier != null) {
      classifier.close();
    }
  }

  @Test
  void predictsTheClassRecordedAtExportForEverySampleImage() throws Exception {
    int[] recorded =
        classifier
            .modelInfo()
            .samplePredictions()
            .orElseThrow(() -> new AssertionError("the default model records no sample answers"));
    assertEquals(sample.size(), recorded.length);
    List<Integer> wrong = new ArrayList<>();
    for (int i = 0; i < sample.size(); i++) {
      if (classifier.predict(sample.image(i)).classIndex() != recorded[i]) {
        wrong.add(i);
      }
    }
    assertEquals(List.of(), wrong, "sample images whose class differs from the export's");
  }

  @Test
  void predictionIsConsistentAndImmutable() throws Exception {
    Prediction p = classifier.predict(sample.image(0));
    float[] probabilities = p.probabilities();
    assertEquals(Cifar10.NUM_CLASSES, probabilities.length);
    float sum = 0;
    for (int k = 0; k < probabilities.length; k++) {
      sum += probabilities[k];
      assertTrue(probabilities[k] <= p.confidence(), "confidence is the largest probability");
    }
    assertEquals(1f, sum, 1e-4f);
    assertEquals(probabilities[p.classIndex()], p.confidence());
    assertEquals(Cifar10.CLASS_NAMES.get(p.classIndex()), p.label());
    probabilities[p.classIndex()] = -1;
    p.warped().chw()[0] = -1;
    assertEquals(p, classifier.predict(sample.image(0)), "results do not alias their arrays");
    float[] warped = p.warped().chw();
    assertEquals(Cifar10.IMAGE_VALUES, warped.length);
    BufferedImage image = p.warped().toBufferedImage();
    assertEquals(32, image.getWidth());
    assertEquals(Math.round(warped[0] * 255), (image.getRGB(0, 0) >> 16) & 0xFF);
  }

  @Test
  void predictAllEqualsPredictOneByOneInOrder() throws Exception {
    List<float[]> images = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      images.add(sample.image(i));
    }
    try (StnClassifier small = StnClassifier.builder().intraOpThreads(1).maxBatchSize(64).build()) {
      List<Prediction> all = small.predictAll(images);
      // Same class always; values to 1e-5, since ONNX Runtime may pick other kernels per batch
      // size.
      assertEquals(images.size(), all.size());
      for (int i = 0; i < images.size(); i++) {
        Prediction one = small.predict(images.get(i));
        Prediction batched = all.get(i);
        assertEquals(one.classIndex(), batched.classIndex(), "image " + i);
        assertArrayEquals(one.probabilities(), batched.probabilities(), 1e-5f, "image " + i);
        assertArrayEquals(one.warped().chw(), batched.warped().chw(), 1e-5f, "image " + i);
        assertArrayEquals(one.theta().rows()[0], batched.theta().rows()[0], 1e-5f, "image " + i);
        assertArrayEquals(one.theta().rows()[1], batched.theta().rows()[1], 1e-5f, "image " + i);
      }
      assertEquals(List.of(), small.predictAll(List.of()));
    }
  }

  @Test
  void aRenderedRecordAndItsPngFileGiveTheSamePredictionAsItsFloats(@TempDir Path dir)
      throws Exception {
    int index = 7;
    Prediction expected = classifier.predict(sample.image(index));
    BufferedImage image = TestImages.render(sample, index, BufferedImage.TYPE_3BYTE_BGR);
    assertEquals(expected, classifier.predict(image));
    Path png = dir.resolve("record 7 (copy).png");
    ImageIO.write(image, "png", png.toFile());
    assertEquals(expected, classifier.predict(png));
  }

  @Test
  void wrongLengthNaNAndInfinityAreRefusedNamingTheInput() {
    StnException length = assertThrows(StnException.class, () -> classifier.predict(new float[5]));
    assertEquals(ErrorCode.INVALID_INPUT, length.code());
    assertTrue(length.getMessage().startsWith("input: "), length.getMessage());
    assertTrue(length.getMessage().contains("got 5"), length.getMessage());

    float[] nan = new float[Cifar10.IMAGE_VALUES];
    nan[1024 + 33] = Float.NaN;
    StnException e = assertThrows(StnException.class, () -> classifier.predict(nan));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().contains("value 1057 (channel 1, y 1, x 1) is NaN"), e.getMessage());

    float[] inf = new float[Cifar10.IMAGE_VALUES];
    inf[3071] = Float.NEGATIVE_INFINITY;
    e = assertThrows(StnException.class, () -> classifier.predict(inf));
    assertTrue(e.getMessage().contains("-Infinity"), e.getMessage());

    List<float[]> batch = List.of(new float[3072], new float[3072], new float[3072], nan);
    e = assertThrows(StnException.class, () -> classifier.predictAll(batch));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().startsWith("input 3: "), e.getMessage());
    assertThrows(StnException.class, () -> classifier.predict((float[]) null));
  }

  @Test
  void aBadInputInALaterBatchFailsTheCallNamingItsIndex() throws Exception {
    float[] nan = new float[Cifar10.IMAGE_VALUES];
    nan[0] = Float.NaN;
    float[] ok = sample.image(0);
    try (StnClassifier c = StnClassifier.builder().intraOpThreads(1).maxBatchSize(2).build()) {
      StnException e =
          assertThrows(StnException.class, () -> c.predictAll(List.of(ok, ok, ok, nan, ok)));
      assertTrue(e.getMessage().startsWith("input 3: "), e.getMessage());
      e = assertThrows(StnException.class, () -> c.predictAll(List.of(ok, nan, ok)));
      assertTrue(e.getMessage().startsWith("input 1: "), e.getMessage());
      assertEquals(5, c.predictAll(List.of(ok, ok, ok, ok, ok)).size(), "still usable");
    }
  }

  @Test
  void predictEachGivesEveryGoodInputItsPredictionAndEveryBadOneItsOwnError() throws Exception {
    float[] nan = sample.image(5).clone();
    nan[100] = Float.NaN;
    float[] infinite = sample.image(6).clone();
    infinite[3071] = Float.NEGATIVE_INFINITY;
    List<float[]> inputs = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      inputs.add(sample.image(i));
    }
    inputs.set(1, nan);
    inputs.set(4, new float[7]);
    inputs.set(5, null);
    inputs.set(8, infinite);
    try (StnClassifier c = StnClassifier.builder().intraOpThreads(1).maxBatchSize(2).build()) {
      List<PredictionResult> results = c.predictEach(inputs);
      assertEquals(inputs.size(), results.size());
      for (int i : new int[] {0, 2, 3, 6, 7}) {
        assertTrue(results.get(i).succeeded(), "input " + i);
        assertEquals(
            classifier.predict(inputs.get(i)),
            assertInstanceOf(PredictionResult.Success.class, results.get(i)).prediction(),
            "input " + i);
        assertEquals(classifier.predict(inputs.get(i)), results.get(i).get(), "input " + i);
      }
      String[] expected = {"input 1: ", "input 4: ", "input 5: ", "input 8: "};
      int[] bad = {1, 4, 5, 8};
      for (int k = 0; k < bad.length; k++) {
        PredictionResult r = results.get(bad[k]);
        assertFalse(r.succeeded(), "input " + bad[k]);
        StnException error = failure(r);
        assertEquals(ErrorCode.INVALID_INPUT, error.code());
        assertTrue(error.getMessage().startsWith(expected[k]), error.getMessage());
        assertEquals(error, assertThrows(StnException.class, r::get));
      }
      assertTrue(failure(results.get(1)).getMessage().contains("NaN"));
      assertTrue(failure(results.get(8)).getMessage().contains("Infinity"));
      assertEquals(List.of(), c.predictEach(List.of()));
    }
  }

  @Test
  void aMissingImageFileIsInvalidInputNamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("nope.png");
    StnException e = assertThrows(StnException.class, () -> classifier.predict(missing));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().startsWith(missing + ": "), e.getMessage());
  }

  @Test
  void useAfterCloseIsIllegalStateAndCloseIsIdempotent() throws Exception {
    StnClassifier c = StnClassifier.builder().intraOpThreads(1).build();
    c.predict(sample.image(0));
    c.close();
    c.close();
    assertThrows(IllegalStateException.class, () -> c.predict(sample.image(0)));
    assertThrows(IllegalStateException.class, () -> c.predictAll(List.of(sample.image(0))));
    assertThrows(IllegalStateException.class, () -> c.predictEach(List.of(sample.image(0))));
    assertThrows(IllegalStateException.class, () -> c.predict(Path.of("x.png")));
    assertEquals(Cifar10.CLASS_NAMES, c.modelInfo().classNames(), "metadata stays readable");
  }

  @Test
  void builderRefusesBadOptionsNamingTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StnClassifier.builder().intraOpThreads(0).build());
    assertTrue(e.getMessage().contains("intraOpThreads") && e.getMessage().contains("0"));
    e =
        assertThrows(
            IllegalArgumentException.class, () -> StnClassifier.builder().maxBatchSize(-3).build());
    assertTrue(e.getMessage().contains("maxBatchSize") && e.getMessage().contains("-3"));
  }

  @Test
  void missingAndInvalidModelsAreReportedNamingTheFile(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("missing.onnx");
    StnException e =
        assertThrows(StnException.class, () -> StnClassifier.builder().model(missing).build());
    assertEquals(ErrorCode.MODEL_NOT_FOUND, e.code());
    assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());

    Path garbage = dir.resolve("garbage.onnx");
    Files.write(garbage, "this is not an ONNX model".getBytes());
    e = assertThrows(StnException.class, () -> StnClassifier.builder().model(garbage).build());
    assertEquals(ErrorCode.INVALID_MODEL, e.code());
    assertTrue(e.getMessage().startsWith(garbage.toString()), e.getMessage());

    e = assertThrows(StnException.class, () -> StnClassifier.builder().model(dir).build());
    assertEquals(ErrorCode.MODEL_NOT_FOUND, e.code());
  }

  @Test
  void modelBytesReadsAFileWithTheBuildersChecks(@TempDir Path dir) throws Exception {
    Path file = Files.write(dir.resolve("model.onnx"), StnClassifier.defaultModelBytes());
    assertArrayEquals(Files.readAllBytes(file), StnClassifier.modelBytes(file));
    for (Path bad : List.of(dir.resolve("missing.onnx"), dir)) {
      StnException fromBytes =
          assertThrows(StnException.class, () -> StnClassifier.modelBytes(bad));
      StnException fromBuild =
          assertThrows(StnException.class, () -> StnClassifier.builder().model(bad).build());
      assertEquals(ErrorCode.MODEL_NOT_FOUND, fromBytes.code());
      assertEquals(fromBuild.getMessage(), fromBytes.getMessage());
      assertTrue(fromBytes.getMessage().startsWith(bad + ": "), fromBytes.getMessage());
    }
  }

  @Test
  void aModelGivenAsBytesPredictsAsTheSameModelFromItsFile() throws Exception {
    byte[] bytes = StnClassifier.defaultModelBytes();
    byte[] kept = bytes.clone();
    try (StnClassifier fromBytes =
        StnClassifier.builder().model(bytes, "broadcast model").intraOpThreads(1).build()) {
      bytes[100] ^= 1; // the builder copied them: changing ours later changes nothing
      float[] image = sample.image(3);
      assertArrayEquals(
          classifier.predict(image).probabilities(), fromBytes.predict(image).probabilities());
      assertEquals(classifier.modelInfo(), fromBytes.modelInfo());
    }
    assertArrayEquals(kept, StnClassifier.defaultModelBytes(), "a fresh copy each call");
    StnException e =
        assertThrows(
            StnException.class,
            () -> StnClassifier.builder().model("not ONNX".getBytes(), "row 3 model").build());
    assertEquals(ErrorCode.INVALID_MODEL, e.code());
    assertTrue(e.getMessage().startsWith("row 3 model"), e.getMessage());
  }

  @Test
  void modelInfoComesFromTheFilesMetadata() {
    ModelInfo info = classifier.modelInfo();
    assertEquals(Cifar10.CLASS_NAMES, info.classNames());
    assertEquals(info.metadata().get(ModelFormat.KEY_PRODUCER), info.producer());
    assertEquals(info.metadata().get(ModelFormat.KEY_PARAMETERS_SHA256), info.parametersSha256());
    assertTrue(info.opset() >= 16, "GridSample needs opset 16+, read " + info.opset());
    assertNotEquals("", info.created());
  }

  @Test
  void anExplicitGpuProviderRunsOnThatProviderOrFailsButNeverRunsOnCpu() throws Exception {
    for (Provider p : List.of(Provider.cuda(0), Provider.tensorRt(0))) {
      StnClassifier c;
      try {
        c = StnClassifier.builder().provider(p).intraOpThreads(1).build();
      } catch (StnException e) {
        assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, e.code(), e.getMessage());
        assertTrue(e.getMessage().startsWith(p.displayName() + " "), e.getMessage());
        assertTrue(e.getMessage().contains(e.getCause().getMessage()), "keeps ORT's text");
        continue;
      }
      try (c) {
        assertEquals(p.displayName(), c.providerSelection().active());
      }
    }
  }

  @Test
  void autoSaysWhichProviderRunsAndWhyCudaWasSkipped() throws Exception {
    try (StnClassifier c =
        StnClassifier.builder().provider(Provider.auto()).intraOpThreads(1).build()) {
      assertTriedCudaFirst(c.providerSelection());
      assertEquals(
          classifier.predict(sample.image(3)).classIndex(),
          c.predict(sample.image(3)).classIndex());
    }
  }

  @Test
  void theBuilderAndCreateDefaultBothDefaultToAuto() throws Exception {
    try (StnClassifier built = StnClassifier.builder().intraOpThreads(1).build()) {
      assertTriedCudaFirst(built.providerSelection());
    }
    try (StnClassifier created = StnClassifier.createDefault()) {
      assertTriedCudaFirst(created.providerSelection());
    }
  }

  /** What {@link Provider#auto()} leaves: CUDA:0 running, or the CPU and why CUDA was skipped. */
  private static void assertTriedCudaFirst(ProviderSelection s) {
    if (s.active().equals("CPU")) {
      assertEquals(1, s.skipped().size(), s.toString());
      assertTrue(s.skipped().get(0).startsWith("CUDA:0: "), s.toString());
    } else {
      assertEquals("CUDA:0", s.active(), s.toString());
      assertEquals(List.of(), s.skipped(), s.toString());
    }
  }

  @Test
  void onAGpuCudaGivesTheCpuAnswers() throws Exception {
    Assumptions.assumeTrue(
        Provider.availableInBuild().contains("CUDA"), "no CUDA in this ONNX Runtime build");
    StnClassifier gpu;
    try {
      gpu = StnClassifier.builder().provider(Provider.cuda(0)).build();
    } catch (StnException e) {
      Assumptions.abort("CUDA not usable here: " + e.getMessage());
      return;
    }
    try (gpu) {
      assertEquals("CUDA:0", gpu.providerSelection().active());
      for (int i = 0; i < 100; i++) {
        Prediction cpu = classifier.predict(sample.image(i));
        Prediction cuda = gpu.predict(sample.image(i));
        assertArrayEquals(cpu.probabilities(), cuda.probabilities(), 1e-3f, "image " + i);
      }
    }
  }

  @Test
  void theNativeGridSampleRunsWhereBuiltAndGivesBitIdenticalPredictions() throws Exception {
    Path library = KernelBuild.library();
    assertTrue(
        classifier.providerSelection().nativeGridSample(),
        classifier.providerSelection()::toString);
    assertEquals(
        new ProviderSelection.GridSampleKernel.Native(library),
        classifier.providerSelection().gridSample());
    try (StnClassifier ortKernel =
        StnClassifier.builder()
            .provider(Provider.cpu())
            .intraOpThreads(1)
            .nativeKernels(false)
            .build()) {
      assertEquals(
          new ProviderSelection.GridSampleKernel.OnnxRuntime(
              "the native kernel is turned off (nativeKernels(false))"),
          ortKernel.providerSelection().gridSample());
      for (int i = 0; i < sample.size(); i++) {
        float[] image = sample.image(i);
        assertEquals(ortKernel.predict(image), classifier.predict(image), "sample image " + i);
      }
      // Far outside [0, 1]: large θ, sampling points outside the image.
      java.util.Random random = new java.util.Random(5);
      for (int i = 0; i < 200; i++) {
        float[] image = new float[Cifar10.IMAGE_VALUES];
        for (int j = 0; j < image.length; j++) {
          image[j] = (float) (random.nextGaussian() * (1 + i % 50));
        }
        assertEquals(ortKernel.predict(image), classifier.predict(image), "random image " + i);
      }
    }
  }

  private static StnException failure(PredictionResult result) {
    return assertInstanceOf(PredictionResult.Failure.class, result).error();
  }
}
