package dev.stn4j.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.internal.Checkout;
import dev.stn4j.train.model.StnWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The sample set (the first 1,000 records of CIFAR-10's {@code test_batch.bin}, kept in the
 * repository) and the class the DJL model predicted for each of its images at export. Stored in the
 * model as the JSON object of {@code ModelFormat.KEY_SAMPLE_SET}, so any runtime can check that it
 * computes what the trainer computed.
 *
 * <pre>{@code
 * SampleAnswers answers = SampleAnswers.describe(root.resolve(SampleAnswers.DEFAULT_PATH))
 *     .withPredictions(predictedClasses);
 * String json = answers.toJson();
 * }</pre>
 *
 * @param source the sample set's path relative to the repository root
 * @param records number of records
 * @param sha256 hex SHA-256 of the sample-set file's bytes
 * @param predicted one class index per record, or {@code null} when not computed
 */
public record SampleAnswers(String source, int records, String sha256, int[] predicted) {
  /** Where the sample set lives, relative to the repository root. */
  public static final String DEFAULT_PATH = Checkout.SAMPLE_SET;

  private static final ObjectMapper JSON = new ObjectMapper();

  public SampleAnswers {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sha256, "sha256");
    if (predicted != null) {
      if (predicted.length != records) {
        throw new IllegalArgumentException(
            predicted.length + " predictions for a sample set of " + records + " records");
      }
      for (int c : predicted) {
        if (c < 0 || c >= Cifar10.NUM_CLASSES) {
          throw new IllegalArgumentException("predicted class out of range: " + c);
        }
      }
      predicted = predicted.clone();
    }
  }

  /**
   * Describes the sample-set file (records and checksum), without predictions.
   *
   * @param source the name to record, e.g. {@link #DEFAULT_PATH}
   */
  public static SampleAnswers describe(Path file, String source) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length == 0 || bytes.length % Cifar10.RECORD_BYTES != 0) {
      throw new IOException(
          file + ": " + bytes.length + " bytes is not a whole number of CIFAR-10 records");
    }
    return new SampleAnswers(source, bytes.length / Cifar10.RECORD_BYTES, sha256(bytes), null);
  }

  /**
   * Describes the sample-set file and records the DJL model's ({@code StnModel}, inference mode)
   * predicted class for each of its images.
   */
  public static SampleAnswers compute(StnWeights weights, Path file, String source)
      throws IOException {
    CifarBatch batch = CifarBatch.read(file);
    return describe(file, source).withPredictions(SamplePredictor.predictClasses(weights, batch));
  }

  /** The same description with the predicted class of each record. */
  public SampleAnswers withPredictions(int[] classes) {
    return new SampleAnswers(source, records, sha256, classes);
  }

  /** A copy of the predictions, or {@code null} when not computed. */
  @Override
  public int[] predicted() {
    return predicted == null ? null : predicted.clone();
  }

  /** Value equality, predictions compared element by element. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SampleAnswers other
        && source.equals(other.source)
        && records == other.records
        && sha256.equals(other.sha256)
        && Arrays.equals(predicted, other.predicted);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, records, sha256) * 31 + Arrays.hashCode(predicted);
  }

  @Override
  public String toString() {
    return toJson();
  }

  /**
   * The metadata value: {@code {"source":...,"records":1000,"sha256":...,"predicted":"3815..."}},
   * {@code predicted} holding one class digit per record (left out when not computed).
   */
  public String toJson() {
    ObjectNode node =
        JSON.createObjectNode()
            .put("source", source.replace('\\', '/'))
            .put("records", records)
            .put("sha256", sha256);
    if (predicted != null) {
      StringBuilder digits = new StringBuilder(predicted.length);
      for (int c : predicted) {
        digits.append((char) ('0' + c));
      }
      node.put("predicted", digits.toString());
    }
    return node.toString();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
