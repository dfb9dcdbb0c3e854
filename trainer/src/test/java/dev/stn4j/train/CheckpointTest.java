package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
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
        history);
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
    for (String s : new String[] {"CIFAR-10", "{}", "[]"}) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
    }
    out.writeInt(StnParameter.values().length);
    for (StnParameter p : StnParameter.values()) {
      long[] shape =
          p == StnParameter.LOC_CONV2_WEIGHT ? new long[] {10, 8, 3, 3} : p.shape(StnShape.CIFAR10);
      byte[] name = p.key().getBytes(StandardCharsets.UTF_8);
      out.writeInt(name.length);
      out.write(name);
      out.writeInt(shape.length);
      long size = 1;
      for (long d : shape) {
        out.writeInt((int) d);
        size *= d;
      }
      out.write(new byte[(int) size * 4]);
    }
    out.writeBoolean(false);
    byte[] body = payload.toByteArray();
    ByteBuffer file = ByteBuffer.allocate(8 + 4 + 8 + body.length + 32);
    file.put("STN4JCKP".getBytes(StandardCharsets.US_ASCII)).putInt(1).putLong(body.length);
    file.put(body).put(MessageDigest.getInstance("SHA-256").digest(body));
    Path path = Files.write(dir.resolve("other.bin"), file.array());
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
            plain.history());
    Path file = dir.resolve("ema.bin");
    written.write(file);
    Checkpoint read = Checkpoint.read(file);
    assertEquals(StnWeights.initial(StnShape.CIFAR10, 8).sha256(), read.weights().sha256());
    assertEquals(StnWeights.initial(StnShape.CIFAR10, 9).sha256(), read.trainingWeights().sha256());
  }
}
