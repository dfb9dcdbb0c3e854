package dev.stn4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.stn4j.train.model.Architecture;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint file format, big-endian: {@code "STN4JCKP"}, int version, long payload length, the
 * payload, then 32 bytes of SHA-256 over the payload. The payload holds the training-data name,
 * settings JSON, history JSON, then the parameters (name, rank, dims, float values) in {@link
 * StnParameter} order, then a flag and the momentum buffers in the same layout, then (version 2) a
 * flag and the weights being trained when they differ from the ones above, which are then an
 * average (EMA) of them, then (version 3) the {@link CheckpointModel}: the model JSON and a flag
 * and the sample images. Versions 1 and 2 are CIFAR-10 models. The parameters are the model's
 * architecture's (version 3 says which): all 16 of an STN, the 8 {@code cls.*} of the classifier
 * alone.
 */
final class CheckpointFormat {
  private static final byte[] MAGIC = "STN4JCKP".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 3;
  private static final int HEADER = MAGIC.length + Integer.BYTES + Long.BYTES;
  private static final int DIGEST = 32;
  // Far more than any architecture has: a bound on what a corrupt count makes the reader try.
  private static final int MAX_PARAMETERS = 1024;

  private CheckpointFormat() {}

  static void write(Checkpoint c, Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(400_000);
    DataOutputStream out = new DataOutputStream(bytes);
    StnShape shape = c.shape();
    Architecture architecture = c.architecture();
    writeString(out, c.trainingData());
    writeString(out, c.settingsJson());
    writeString(out, c.historyJson());
    writeParameters(out, architecture, shape, p -> c.weights().get(p));
    Map<StnParameter, float[]> momentum = c.momentum();
    out.writeBoolean(momentum != null);
    if (momentum != null) {
      writeParameters(out, architecture, shape, momentum::get);
    }
    StnWeights training = c.trainingWeights();
    out.writeBoolean(training != null);
    if (training != null) {
      writeParameters(out, architecture, shape, training::get);
    }
    CheckpointModel.of(c).write(out);
    out.flush();
    byte[] payload = bytes.toByteArray();
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    header.put(MAGIC).putInt(VERSION).putLong(payload.length).flip();

    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = RunOutput.temporarySibling(file);
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        channel.write(
            new ByteBuffer[] {
              header, ByteBuffer.wrap(payload), ByteBuffer.wrap(sha256(payload, 0, payload.length))
            });
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  static Checkpoint read(Path file) throws IOException {
    byte[] all = verified(file);
    int version = ByteBuffer.wrap(all, MAGIC.length, Integer.BYTES).getInt();
    try {
      DataInputStream in =
          new DataInputStream(new ByteArrayInputStream(all, HEADER, all.length - HEADER - DIGEST));
      String trainingData = readString(in);
      String settings = readString(in);
      String history = readString(in);
      List<Stored> weights = readParameters(in, file);
      List<Stored> momentum = in.readBoolean() ? readParameters(in, file) : null;
      List<Stored> training = version >= 2 && in.readBoolean() ? readParameters(in, file) : null;
      CheckpointModel model =
          version >= 3 ? CheckpointModel.read(in, readString(in), file) : CheckpointModel.CIFAR10;
      // Shapes are checked once the model's shape is known, which version 3 stores last.
      StnShape shape = model.shape();
      Architecture a = model.architecture();
      StnWeights exported = StnWeights.of(a, shape, checked(weights, a, shape, file));
      return new Checkpoint(
          exported,
          training == null ? null : StnWeights.of(a, shape, checked(training, a, shape, file)),
          momentum == null ? null : checked(momentum, a, shape, file),
          trainingData,
          settings,
          Checkpoint.parseHistory(history),
          model.classNames(),
          model.normalization(),
          model.samples());
    } catch (EOFException | JsonProcessingException | IllegalArgumentException e) {
      throw new CheckpointException(file + ": corrupt checkpoint: " + e.getMessage(), e);
    }
  }

  /** The whole file, once its magic, version, length and checksum are right. */
  private static byte[] verified(Path file) throws IOException {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file + ": checkpoint not found", e);
    }
    if (all.length < HEADER || !Arrays.equals(MAGIC, 0, MAGIC.length, all, 0, MAGIC.length)) {
      throw new CheckpointException(
          file + ": not an stn4j checkpoint (bad magic; " + all.length + " bytes)");
    }
    ByteBuffer header = ByteBuffer.wrap(all, MAGIC.length, HEADER - MAGIC.length);
    int version = header.getInt();
    if (version < 1 || version > VERSION) {
      throw new CheckpointException(
          file + ": checkpoint format version " + version + ", this build reads 1 to " + VERSION);
    }
    long length = header.getLong();
    long expected = HEADER + length + DIGEST;
    if (length < 0 || expected != all.length) {
      throw new CheckpointException(
          String.format(
              "%s: truncated or corrupt checkpoint: header says %,d bytes, file has %,d",
              file, expected, all.length));
    }
    byte[] digest = sha256(all, HEADER, (int) length);
    if (!Arrays.equals(digest, 0, DIGEST, all, all.length - DIGEST, all.length)) {
      throw new CheckpointException(file + ": corrupt checkpoint: SHA-256 checksum mismatch");
    }
    return all;
  }

  private interface Values {
    float[] of(StnParameter p);
  }

  /** One parameter as the file stores it, before its name and shape are checked. */
  private record Stored(String name, long[] shape, float[] values) {}

  private static void writeParameters(
      DataOutputStream out, Architecture architecture, StnShape s, Values values)
      throws IOException {
    out.writeInt(architecture.parameters().size());
    for (StnParameter p : architecture.parameters()) {
      writeString(out, p.key());
      long[] shape = p.shape(s);
      out.writeInt(shape.length);
      for (long d : shape) {
        out.writeInt((int) d);
      }
      ByteBuffer buffer = ByteBuffer.allocate(p.size(s) * Float.BYTES);
      buffer.asFloatBuffer().put(values.of(p));
      out.write(buffer.array());
    }
  }

  private static List<Stored> readParameters(DataInputStream in, Path file) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > MAX_PARAMETERS) {
      throw new EOFException(count + " parameters");
    }
    List<Stored> stored = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String name = readString(in);
      int rank = in.readInt();
      if (rank < 0 || rank > 8) {
        throw new CheckpointException(
            file + ": corrupt checkpoint: parameter " + name + " has rank " + rank);
      }
      long[] shape = new long[rank];
      long size = 1;
      for (int k = 0; k < rank; k++) {
        shape[k] = in.readInt();
        size *= shape[k];
      }
      if (size < 0 || size * Float.BYTES > in.available()) {
        throw new EOFException(
            "parameter " + name + " " + Arrays.toString(shape) + " past the end");
      }
      byte[] raw = new byte[(int) size * Float.BYTES];
      in.readFully(raw);
      float[] a = new float[(int) size];
      ByteBuffer.wrap(raw).asFloatBuffer().get(a);
      stored.add(new Stored(name, shape, a));
    }
    return stored;
  }

  /** The stored parameters by name, once each has the name and shape it has in {@code s}. */
  private static Map<StnParameter, float[]> checked(
      List<Stored> stored, Architecture architecture, StnShape s, Path file)
      throws CheckpointException {
    List<StnParameter> expected = architecture.parameters();
    Map<StnParameter, float[]> values = new EnumMap<>(StnParameter.class);
    for (int i = 0; i < Math.min(stored.size(), expected.size()); i++) {
      Stored found = stored.get(i);
      StnParameter p = expected.get(i);
      if (!p.key().equals(found.name()) || !Arrays.equals(p.shape(s), found.shape())) {
        throw new CheckpointException(
            String.format(
                "%s: another architecture: parameter %d expected %s %s, found %s %s",
                file,
                i,
                p.key(),
                Arrays.toString(p.shape(s)),
                found.name(),
                Arrays.toString(found.shape())));
      }
      values.put(p, found.values());
    }
    if (stored.size() != expected.size()) {
      throw new CheckpointException(
          String.format(
              "%s: another architecture: %d parameters, expected %d",
              file, stored.size(), expected.size()));
    }
    return values;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new EOFException("string of " + length + " bytes past the end");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] bytes, int offset, int length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes, offset, length);
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
