package dev.stn4j.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stn4j.data.Cifar10;
import dev.stn4j.sdk.internal.ModelFormat;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What a model file says about itself, read from its ONNX {@code metadata_props} (keys in {@link
 * ModelFormat}) and its input's shape. Texts that the file does not record are empty strings.
 * Version-1 files (CIFAR-10 only) get CIFAR-10's class names, 32×32 and the seed's statistics.
 *
 * <pre>{@code
 * ModelInfo info = classifier.modelInfo();
 * System.out.println(info.classNames().size() + " classes at " + info.imageSize() + "x"
 *     + info.imageSize() + ", trained on " + info.trainingData());
 * info.testAccuracy().ifPresent(a -> System.out.printf("test accuracy %.2f%%%n", 100 * a));
 * }</pre>
 *
 * @param classNames class names in label order (CIFAR-10's when a version-1 file records none)
 * @param testAccuracy the trainer's final test accuracy in [0,1], absent for untrained models
 * @param trainingData free text naming the training data
 * @param producer the program that wrote the file and its version
 * @param created ISO-8601 instant the file was written
 * @param parametersSha256 hex SHA-256 of the parameters in the trainer's layout
 * @param opset the ONNX default-domain opset the graph uses, -1 if unknown
 * @param metadata every {@code metadata_props} entry, sorted by key
 * @param imageSize S: the model takes 3×S×S images
 * @param normalization the per-channel statistics the graph normalises its input with
 * @param architecture the network, from {@code stn4j.architecture}: {@code "stn"}, or {@code "cnn"}
 *     for the classifier alone (see {@link #hasTransformer()})
 * @param formatVersion the contract version the file follows ({@code "1"} or {@code "2"})
 */
public record ModelInfo(
    List<String> classNames,
    OptionalDouble testAccuracy,
    String trainingData,
    String producer,
    String created,
    String parametersSha256,
    long opset,
    Map<String, String> metadata,
    int imageSize,
    Normalization normalization,
    String architecture,
    String formatVersion) {

  /**
   * Per-channel statistics (R, G, B) applied inside the graph as {@code (x - mean) / std}.
   *
   * <pre>{@code
   * double redMean = info.normalization().mean().get(0);
   * }</pre>
   *
   * @param mean the three channel means
   * @param std the three channel standard deviations
   */
  public record Normalization(List<Double> mean, List<Double> std) {
    /** Copies the lists and checks that each holds three values. */
    public Normalization {
      mean = List.copyOf(mean);
      std = List.copyOf(std);
      if (mean.size() != 3 || std.size() != 3) {
        throw new IllegalArgumentException("normalization needs 3 means and 3 stds");
      }
    }

    /** The seed's CIFAR-10 constants ({@link Cifar10#means()}, {@link Cifar10#stds()}). */
    public static Normalization cifar10() {
      float[] m = Cifar10.means();
      float[] s = Cifar10.stds();
      return new Normalization(
          List.of((double) m[0], (double) m[1], (double) m[2]),
          List.of((double) s[0], (double) s[1], (double) s[2]));
    }
  }

  /** Copies the collections, so a ModelInfo never changes. */
  public ModelInfo {
    classNames = List.copyOf(classNames);
    metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
    Objects.requireNonNull(normalization, "normalization");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(formatVersion, "formatVersion");
  }

  /** A version-1 description: 32×32, CIFAR-10's statistics, the STN. */
  public ModelInfo(
      List<String> classNames,
      OptionalDouble testAccuracy,
      String trainingData,
      String producer,
      String created,
      String parametersSha256,
      long opset,
      Map<String, String> metadata) {
    this(
        classNames,
        testAccuracy,
        trainingData,
        producer,
        created,
        parametersSha256,
        opset,
        metadata,
        Cifar10.HEIGHT,
        Normalization.cifar10(),
        ModelFormat.ARCHITECTURE_STN,
        ModelFormat.FORMAT_VERSION_1);
  }

  /**
   * Whether the model has a spatial transformer ({@code "stn"}). Without one ({@code "cnn"},
   * trained with {@code stn train --no-transformer}) the classifier sees the image as it is: every
   * {@link Prediction}'s θ is the identity and its warped image is the input.
   */
  public boolean hasTransformer() {
    return !architecture.equals(ModelFormat.ARCHITECTURE_CNN);
  }

  /**
   * The exporter's predicted class for each image of the sample set, in record order, if the file
   * records them ({@code predicted} of {@link ModelFormat#KEY_SAMPLE_SET}: version 1's string of
   * digits or version 2's array of ints). A fresh array each call.
   */
  public Optional<int[]> samplePredictions() {
    try {
      Optional<JsonNode> set = new MetadataReader("", metadata).json(ModelFormat.KEY_SAMPLE_SET);
      return set.flatMap(s -> MetadataReader.predictions(s.path("predicted")));
    } catch (StnException e) {
      return Optional.empty();
    }
  }

  /**
   * Where the model's sample set is, from {@code source} of {@link ModelFormat#KEY_SAMPLE_SET}: a
   * file of the repository (the shipped CIFAR-10 model's {@code data/sample-set/...}) or {@code
   * "embedded"} (then {@link #sampleSet()} holds the images); empty when the file records none.
   */
  public Optional<String> sampleSource() {
    try {
      Optional<JsonNode> set = new MetadataReader("", metadata).json(ModelFormat.KEY_SAMPLE_SET);
      return set.map(s -> s.path("source")).filter(JsonNode::isTextual).map(JsonNode::asText);
    } catch (StnException e) {
      return Optional.empty();
    }
  }

  /**
   * The sample images embedded in the model ({@code "source":"embedded"}), decoded afresh each
   * call; empty for a model without them (the shipped CIFAR-10 model names a file instead). The SDK
   * checks them when it builds a classifier, so for a {@link StnClassifier}'s info they are valid.
   *
   * @throws IllegalStateException if this info's metadata holds a malformed embedded set (only
   *     possible for a ModelInfo made by hand)
   */
  public Optional<SampleSet> sampleSet() {
    try {
      return new MetadataReader("model", metadata).embeddedSamples(classNames.size(), imageSize);
    } catch (StnException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Reads the metadata of a model whose input size the caller does not know. */
  static ModelInfo parse(
      String model, Map<String, String> metadata, String producerName, long opset)
      throws StnException {
    return parse(model, metadata, producerName, opset, -1);
  }

  /**
   * Reads the stn4j keys out of a model's metadata; {@code model} names the file in errors, {@code
   * imageSize} is S of the session's input ({@code [N,3,S,S]}), -1 if unknown.
   */
  static ModelInfo parse(
      String model, Map<String, String> metadata, String producerName, long opset, int imageSize)
      throws StnException {
    MetadataReader read = new MetadataReader(model, metadata);
    String version = metadata.getOrDefault(ModelFormat.KEY_FORMAT_VERSION, "1").trim();
    boolean v2 = version.equals(ModelFormat.FORMAT_VERSION);
    if (!v2 && !version.equals(ModelFormat.FORMAT_VERSION_1)) {
      throw read.invalid(
          ModelFormat.KEY_FORMAT_VERSION,
          "this SDK reads format versions "
              + ModelFormat.FORMAT_VERSION_1
              + " and "
              + ModelFormat.FORMAT_VERSION);
    }
    Optional<JsonNode> names = read.json(ModelFormat.KEY_CLASS_NAMES);
    if (v2 && names.isEmpty()) {
      throw read.missing(ModelFormat.KEY_CLASS_NAMES, version);
    }
    List<String> classes = names.isPresent() ? read.classNames(names.get()) : Cifar10.CLASS_NAMES;
    int size = imageSize(read, imageSize, v2);
    Optional<JsonNode> stats = read.json(ModelFormat.KEY_NORMALIZATION);
    if (v2 && stats.isEmpty()) {
      throw read.missing(ModelFormat.KEY_NORMALIZATION, version);
    }
    Normalization normalization =
        stats.isPresent() ? read.normalization(stats.get()) : Normalization.cifar10();
    String architecture = metadata.get(ModelFormat.KEY_ARCHITECTURE);
    if (architecture == null && v2) {
      throw read.missing(ModelFormat.KEY_ARCHITECTURE, version);
    }
    if (architecture == null) {
      architecture = ModelFormat.ARCHITECTURE_STN;
    } else if (!architecture.equals(ModelFormat.ARCHITECTURE_STN)
        && !architecture.equals(ModelFormat.ARCHITECTURE_CNN)) {
      throw read.invalid(
          ModelFormat.KEY_ARCHITECTURE,
          "this SDK runs architectures '"
              + ModelFormat.ARCHITECTURE_STN
              + "' and '"
              + ModelFormat.ARCHITECTURE_CNN
              + "'");
    }
    // Checked here so a bad embedded set fails the load, not a later sampleSet() call.
    read.embeddedSamples(classes.size(), size);
    String producer = metadata.get(ModelFormat.KEY_PRODUCER);
    if (producer == null) {
      producer = producerName == null ? "" : producerName;
    }
    return new ModelInfo(
        classes,
        accuracy(read, metadata),
        metadata.getOrDefault(ModelFormat.KEY_TRAINING_DATA, ""),
        producer,
        metadata.getOrDefault(ModelFormat.KEY_CREATED, ""),
        metadata.getOrDefault(ModelFormat.KEY_PARAMETERS_SHA256, ""),
        opset,
        metadata,
        size,
        normalization,
        architecture,
        version);
  }

  /** S: the session's, which {@code stn4j.input_size} must agree with; 32 for version 1. */
  private static int imageSize(MetadataReader read, int fromSession, boolean v2)
      throws StnException {
    Optional<JsonNode> declared = read.json(ModelFormat.KEY_INPUT_SIZE);
    int size = declared.isPresent() ? read.inputSize(declared.get()) : fromSession;
    if (fromSession > 0 && size != fromSession) {
      throw read.invalid(
          ModelFormat.KEY_INPUT_SIZE,
          "the model's input is [N,3," + fromSession + "," + fromSession + "]");
    }
    if (size < 1) {
      size = Cifar10.HEIGHT;
    }
    // Version 1 is 32x32 whatever the graph says: ModelCheck then refuses another input shape.
    return v2 ? size : Cifar10.HEIGHT;
  }

  private static OptionalDouble accuracy(MetadataReader read, Map<String, String> metadata)
      throws StnException {
    String acc = metadata.get(ModelFormat.KEY_TEST_ACCURACY);
    if (acc == null || acc.isBlank()) {
      return OptionalDouble.empty();
    }
    try {
      return OptionalDouble.of(Double.parseDouble(acc.trim()));
    } catch (NumberFormatException e) {
      throw read.invalid(ModelFormat.KEY_TEST_ACCURACY, "not a number");
    }
  }
}
