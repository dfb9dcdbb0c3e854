package dev.stn4j.spark;

import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A transformer's model as read on the driver, and the driver's classifier for it: a model that
 * cannot be read or loaded fails here, once, before any task runs, with the SDK's message naming
 * the file and the problem, rather than in every task. In local mode the driver is the executor, so
 * this classifier is the one the tasks share ({@link ClassifierCache}).
 */
record DriverModel(byte[] bytes, String name, String sha256, StnClassifier classifier) {
  /**
   * Reads and loads the model at {@code path} ("" for the shipped one) for {@code provider}.
   *
   * @throws IllegalArgumentException naming the file and the problem: missing, a directory,
   *     unreadable, not ONNX, not an stn4j model
   */
  static DriverModel load(String path, String provider, int intraOpThreads) {
    String name = path.isEmpty() ? "the shipped model" : path;
    byte[] bytes = read(path);
    String sha = sha256(bytes);
    String p = provider.trim().toLowerCase(Locale.ROOT);
    if (p.startsWith("cuda") || p.startsWith("tensorrt")) {
      p = "cpu"; // the driver may have no GPU; executors say so if theirs cannot run the model
    }
    try {
      StnClassifier classifier =
          ClassifierCache.get(new ClassifierCache.Key(sha, p, intraOpThreads), () -> bytes, name);
      return new DriverModel(bytes, name, sha, classifier);
    } catch (StnException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static byte[] read(String path) {
    if (path.isEmpty()) {
      try {
        return StnClassifier.defaultModelBytes();
      } catch (StnException e) {
        throw new IllegalStateException(e.getMessage(), e); // a jar built without its model
      }
    }
    try {
      return StnClassifier.modelBytes(Path.of(path));
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(path + ": not a valid path: " + e.getReason(), e);
    } catch (StnException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
