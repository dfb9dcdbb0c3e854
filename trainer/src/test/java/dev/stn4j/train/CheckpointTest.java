package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.data.Cifar10;
import dev.stn4j.train.model.Architecture;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  private static final StnParameter LOC = StnParameter.LOC_FC1_WEIGHT;

  @TempDir Path dir;

  private static Checkpoint sample(long seed) {
    Map<StnParameter, float[]> momentum = new EnumMap<>(StnParameter.class);
    for (StnParameter p : StnParameter.values()) {
      float[] a = new float[p.size(StnShape.CIFAR10)];
      a[0] = p.ordinal() + seed;
      momentum.put(p, a);
    }
    List<EpochRecord> history =
        List.of(
            new EpochRecord(1, 1.5, 0.4, null, 0.45, 12.5, 11.0, 0.005),
            new EpochRecord(2, 1.2, 0.55, 0.58, 0.6125, 12.0, 10.5, 0.001));
    return new Checkpoint(
        StnWeights.initial(StnShape.CIFAR10, seed),
        null,
        momentum,
        "CIFAR-10 (JPEG-q75 copy)",
        "{\"seed\":7}",
        history,
        Cifar10.CLASS_NAMES,
        Normalization.CIFAR10,
        null);
  }

  @Test
  void roundTrips() throws Exception {
    Path file = dir.resolve("checkpoint.bin");
    Checkpoint written = sample(3);
    written.write(file);
    Checkpoint read = Checkpoint.read(file);
    assertEquals(StnWeights.initial(StnShape.CIFAR10, 3).sha256(), read.weights().sha256());
    assertEquals(2, read.epochsCompleted());
    assertEquals(0.6125, read.finalTestAccuracy().getAsDouble());
    assertEquals("CIFAR-10 (JPEG-q75 copy)", read.trainingData());
    assertEquals("{\"seed\":7}", read.settingsJson());
    assertEquals(written.history(), read.history());
    assertEquals(written.historyJson(), read.historyJson());
    assertTrue(read.historyJson().contains("\"test_acc\":0.6125"), read.historyJson());
    assertTrue(read.historyJson().contains("\"val_acc\":0.58"), read.historyJson());
    assertEquals(null, read.history().get(0).validationAccuracy());
    assertEquals(null, read.trainingWeights());
    for (StnParameter p : StnParameter.values()) {
      assertArrayEquals(written.momentum().get(p), read.momentum().get(p), 0f);
    }
  }

  @Test
  void replacesAtomicallyAndLeavesNoTemporaryFiles() throws Exception {
    Path file = dir.resolve("checkpoint.bin");
    sample(1).write(file);
    sample(2).write(file);
    assertEquals(
        StnWeights.initial(StnShape.CIFAR10, 2).sha256(), Checkpoint.read(file).weights().sha256());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void failedWriteKeepsTheOldCheckpoint() throws Exception {
    Path file = dir.resolve("checkpoint.bin");
    sample(1).write(file);
    // A directory where the rename wants to go makes the write fail after the temp file is full.
    Path blocked = dir.resolve("blocked.bin");
    Files.createDirectories(blocked.resolve("child"));
    assertThrows(java.io.IOException.class, () -> sample(2).write(blocked));
    assertEquals(
        StnWeights.initial(StnShape.CIFAR10, 1).sha256(), Checkpoint.read(file).weights().sha256());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(2, files.count(), "temporary file left behind");
    }
  }

  @Test
  void missingFileIsNamed() {
    Path file = dir.resolve("nope.bin");
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file));
    assertEquals(file + ": checkpoint not found", e.getMessage());
  }

  @Test
  void badMagicIsReported() throws Exception {
    Path file = Files.writeString(dir.resolve("model.onnx"), "not a checkpoint at all");
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file));
    assertTrue(
        e.getMessage().startsWith(file + ": not an stn4j checkpoint (bad magic"), e.getMessage());
  }

  @Test
  void truncatedFileIsReported() throws Exception {
    Path file = dir.resolve("checkpoint.bin");
    sample(1).write(file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 1000));
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file));
    assertTrue(
        e.getMessage().startsWith(file + ": truncated or corrupt checkpoint"), e.getMessage());
    assertTrue(
        e.getMessage().contains(String.format("file has %,d", bytes.length - 1000)),
        e.getMessage());
  }

  @Test
  void flippedBitFailsTheChecksum() throws Exception {
    Path file = dir.resolve("checkpoint.bin");
    sample(1).write(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(file, bytes);
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file));
    assertEquals(file + ": corrupt checkpoint: SHA-256 checksum mismatch", e.getMessage());
  }

  @Test
  void anotherArchitectureNamesTheFirstDifferentParameter() throws Exception {
    // Same format, but loc.conv2 has 3×3 kernels: written by hand so the test pins the layout.
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(payload);
    writeStrings(out, "CIFAR-10", "{}", "[]");
    writeParameters(out, StnParameter.LOC_CONV2_WEIGHT, new long[] {10, 8, 3, 3}, 0f);
    out.writeBoolean(false);
    Path path = writeFile("other.bin", 1, payload.toByteArray());
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(path));
    assertEquals(
        path
            + ": another architecture: parameter 2 expected loc.conv2.weight [10, 8, 5, 5],"
            + " found loc.conv2.weight [10, 8, 3, 3]",
        e.getMessage());
  }

  @Test
  void keepsTheTrainedWeightsBesideTheirAverage() throws Exception {
    Checkpoint plain = sample(3);
    Checkpoint written =
        new Checkpoint(
            StnWeights.initial(StnShape.CIFAR10, 8),
            StnWeights.initial(StnShape.CIFAR10, 9),
            plain.momentum(),
            plain.trainingData(),
            plain.settingsJson(),
            plain.history(),
            plain.classNames(),
            plain.normalization(),
            null);
    Path file = dir.resolve("ema.bin");
    written.write(file);
    Checkpoint read = Checkpoint.read(file);
    assertEquals(StnWeights.initial(StnShape.CIFAR10, 8).sha256(), read.weights().sha256());
    assertEquals(StnWeights.initial(StnShape.CIFAR10, 9).sha256(), read.trainingWeights().sha256());
  }

  @Test
  void versionTwoFilesAreCifar10Models() throws Exception {
    // Version 2's layout by hand: strings, weights, momentum flag, trained-weights flag, nothing
    // after: a file written before image sizes and class names existed.
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(payload);
    writeStrings(out, "CIFAR-10", "{\"seed\":1}", "[]");
    writeParameters(out, null, null, 0.25f);
    out.writeBoolean(false);
    out.writeBoolean(true);
    writeParameters(out, null, null, 0.5f);
    Path path = writeFile("v2.bin", 2, payload.toByteArray());

    Checkpoint read = Checkpoint.read(path);
    assertEquals(StnShape.CIFAR10, read.shape());
    assertEquals(Cifar10.CLASS_NAMES, read.classNames());
    assertEquals(Normalization.CIFAR10, read.normalization());
    assertTrue(read.samples().isEmpty());
    assertEquals(StnShape.CIFAR10.parameterCount(), read.weights().size());
    assertArrayEquals(new float[] {0.25f, 0.25f}, Arrays.copyOf(read.weights().get(LOC), 2), 0f);
    assertArrayEquals(
        new float[] {0.5f, 0.5f}, Arrays.copyOf(read.trainingWeights().get(LOC), 2), 0f);
    assertEquals("CIFAR-10", read.trainingData());
  }

  @Test
  void versionThreeKeepsShapeClassesNormalizationAndSamples() throws Exception {
    StnShape shape = new StnShape(40, 3);
    Map<StnParameter, float[]> momentum = new EnumMap<>(StnParameter.class);
    for (StnParameter p : StnParameter.values()) {
      float[] a = new float[p.size(shape)];
      a[a.length - 1] = p.ordinal() + 0.5f;
      momentum.put(p, a);
    }
    byte[] pixels = new byte[2 * 3 * 40 * 40];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7);
    }
    SampleImages samples = new SampleImages(40, new int[] {2, 0}, pixels);
    Normalization normalization =
        new Normalization(new float[] {0.5f, 0.25f, 0.125f}, new float[] {0.2f, 0.3f, 0.4f});
    List<String> names = List.of("cat", "dög", "bird \"quoted\"");
    Checkpoint written =
        new Checkpoint(
            StnWeights.initial(shape, 4),
            StnWeights.initial(shape, 5),
            momentum,
            "folder pets/",
            "{}",
            List.of(new EpochRecord(1, 1.0, 0.5, 0.4, null, 3.0, 2.5, 0.01)),
            names,
            normalization,
            samples);
    Path file = dir.resolve("v3.bin");
    written.write(file);
    assertEquals(3, ByteBuffer.wrap(Files.readAllBytes(file), 8, 4).getInt(), "format version");

    Checkpoint read = Checkpoint.read(file);
    assertEquals(shape, read.shape());
    assertEquals(names, read.classNames());
    assertEquals(normalization, read.normalization());
    assertEquals(samples, read.samples().orElseThrow());
    assertEquals(StnWeights.initial(shape, 4).sha256(), read.weights().sha256());
    assertEquals(StnWeights.initial(shape, 5).sha256(), read.trainingWeights().sha256());
    for (StnParameter p : StnParameter.values()) {
      assertArrayEquals(momentum.get(p), read.momentum().get(p), 0f, p.key());
    }
    assertEquals(
        pixels[3 * 40 * 40 + 5] & 0xFF, Math.round(read.samples().get().image(1)[5] * 255));
  }

  @Test
  void versionThreeWithoutSamplesReadsNone() throws Exception {
    Path file = dir.resolve("cifar.bin");
    sample(6).write(file);
    Checkpoint read = Checkpoint.read(file);
    assertEquals(StnShape.CIFAR10, read.shape());
    assertEquals(Cifar10.CLASS_NAMES, read.classNames());
    assertEquals(Normalization.CIFAR10, read.normalization());
    assertTrue(read.samples().isEmpty());
  }

  @Test
  void versionThreeOfAnotherArchitectureIsNamed() throws Exception {
    Path file = dir.resolve("cifar.bin");
    sample(6).write(file);
    // An unknown architecture, and the other known one over an STN's parameters.
    String[][] cases = {
      {"xyz", "another architecture: \"xyz\", this build trains \"stn\" and \"cnn\""},
      {
        "cnn",
        "another architecture: parameter 0 expected cls.conv1.weight [10, 3, 5, 5], found"
            + " loc.conv1.weight [8, 3, 7, 7]"
      },
    };
    for (String[] c : cases) {
      byte[] all = Files.readAllBytes(file);
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int at = text.indexOf("\"architecture\":\"stn\"") + "\"architecture\":\"".length();
      byte[] body = Arrays.copyOfRange(all, 20, all.length - 32);
      System.arraycopy(c[0].getBytes(StandardCharsets.US_ASCII), 0, body, at - 20, 3);
      Path other = writeFile("other-" + c[0] + ".bin", 3, body);
      CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(other));
      assertEquals(other + ": " + c[1], e.getMessage());
    }
  }

  @Test
  void theClassifierAloneRoundTripsWithItsEightParameters() throws Exception {
    StnWeights cnn = StnWeights.initial(Architecture.CNN, StnShape.CIFAR10, 5);
    Map<StnParameter, float[]> momentum = new EnumMap<>(StnParameter.class);
    for (StnParameter p : Architecture.CNN.parameters()) {
      momentum.put(p, new float[p.size(StnShape.CIFAR10)]);
    }
    Checkpoint c =
        new Checkpoint(
            cnn,
            StnWeights.initial(Architecture.CNN, StnShape.CIFAR10, 6),
            momentum,
            "CIFAR-10",
            "{\"architecture\":\"cnn\"}",
            List.of(),
            Cifar10.CLASS_NAMES,
            Normalization.CIFAR10,
            null);
    Path file = dir.resolve("cnn.bin");
    c.write(file);
    Checkpoint read = Checkpoint.read(file);
    assertEquals(Architecture.CNN, read.architecture());
    assertEquals(cnn.sha256(), read.weights().sha256());
    assertEquals(Architecture.CNN, read.trainingWeights().architecture());
    assertEquals(8, read.momentum().size());
    // Three copies (weights, their average, momentum) of 31,340 floats, and a little more.
    long floats = 3L * 31_340 * Float.BYTES;
    assertTrue(
        Files.size(file) > floats && Files.size(file) < floats + 4096, "" + Files.size(file));
    // The classifier alone starts from the very classifier the STN of its seed starts from.
    StnWeights full = StnWeights.initial(StnShape.CIFAR10, 5);
    for (StnParameter p : Architecture.CNN.parameters()) {
      assertArrayEquals(full.get(p), cnn.get(p), p.key());
    }
    assertEquals(31_340, cnn.size());
    assertThrows(IllegalArgumentException.class, () -> cnn.get(StnParameter.LOC_FC2_BIAS));
  }

  @Test
  void refusesClassNamesAndSamplesThatDoNotFitTheWeights() {
    Checkpoint ok = sample(1);
    IllegalArgumentException names =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Checkpoint(
                    ok.weights(),
                    null,
                    null,
                    "x",
                    "{}",
                    List.of(),
                    List.of("a", "b"),
                    Normalization.CIFAR10,
                    null));
    assertEquals("2 class names for a model of 10 classes", names.getMessage());
    SampleImages big = new SampleImages(64, new int[] {1}, new byte[3 * 64 * 64]);
    IllegalArgumentException size =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Checkpoint(
                    ok.weights(),
                    null,
                    null,
                    "x",
                    "{}",
                    List.of(),
                    Cifar10.CLASS_NAMES,
                    Normalization.CIFAR10,
                    big));
    assertEquals(
        "sample images of size 64 for a model of StnShape[imageSize=32, classes=10]",
        size.getMessage());
  }

  /** Each string as the format stores it: int length, UTF-8 bytes. */
  private static void writeStrings(DataOutputStream out, String... strings) throws IOException {
    for (String s : strings) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
    }
  }

  /**
   * CIFAR-10's 16 parameters, each value {@code value}, except that {@code odd} (if not null) has
   * shape {@code oddShape}.
   */
  private static void writeParameters(
      DataOutputStream out, StnParameter odd, long[] oddShape, float value) throws IOException {
    out.writeInt(StnParameter.values().length);
    for (StnParameter p : StnParameter.values()) {
      long[] shape = p == odd ? oddShape : p.shape(StnShape.CIFAR10);
      writeStrings(out, p.key());
      out.writeInt(shape.length);
      long size = 1;
      for (long d : shape) {
        out.writeInt((int) d);
        size *= d;
      }
      for (long i = 0; i < size; i++) {
        out.writeFloat(value);
      }
    }
  }

  /** A checkpoint file of {@code version} around {@code body}: header, payload, SHA-256. */
  private Path writeFile(String name, int version, byte[] body) throws Exception {
    ByteBuffer file = ByteBuffer.allocate(8 + 4 + 8 + body.length + 32);
    file.put("STN4JCKP".getBytes(StandardCharsets.US_ASCII)).putInt(version).putLong(body.length);
    file.put(body).put(MessageDigest.getInstance("SHA-256").digest(body));
    return Files.write(dir.resolve(name), file.array());
  }
}
