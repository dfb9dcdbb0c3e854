package dev.stn4j.sdk.internal;

/**
 * Names of the stn4j ONNX model contract (see {@code docs/model-format.md}): the input, the three
 * outputs and the {@code metadata_props} keys. The exporter writes them, the SDK reads them.
 */
public final class ModelFormat {
  /** Version of this contract written by the exporter, stored under {@link #KEY_FORMAT_VERSION}. */
  public static final String FORMAT_VERSION = "2";

  /** The first contract (CIFAR-10's shapes only), which readers still accept. */
  public static final String FORMAT_VERSION_1 = "1";

  /**
   * Version 2: which network the graph is ({@link #ARCHITECTURE_STN} or {@link #ARCHITECTURE_CNN});
   * absent in version 1, which is always the STN. A variant is a new value, not a new contract
   * version.
   */
  public static final String KEY_ARCHITECTURE = "stn4j.architecture";

  /** The seed's spatial transformer network: localization, affine sampler, classifier. */
  public static final String ARCHITECTURE_STN = "stn";

  /**
   * The seed's classifier alone ({@code stn train --no-transformer}): no localization network, θ
   * the identity. Same input and outputs: {@link #OUTPUT_THETA} is the identity for every image and
   * {@link #OUTPUT_WARPED} the input image.
   */
  public static final String ARCHITECTURE_CNN = "cnn";

  /**
   * Version 2, with an embedded sample set: base64 (RFC 4648, no line breaks) of N records of 3·S·S
   * bytes each, channel-major RGB; the model's input for a record is {@code byte / 255}. {@link
   * #KEY_SAMPLE_SET} then says {@code "source":"embedded"} and holds N, S, the labels and the
   * exporter's predictions.
   */
  public static final String KEY_SAMPLE_PIXELS = "stn4j.sample_pixels";

  /**
   * {@code source} of {@link #KEY_SAMPLE_SET} when the pixels are in {@link #KEY_SAMPLE_PIXELS}.
   */
  public static final String SAMPLE_SOURCE_EMBEDDED = "embedded";

  /** Input: float32 {@code [N,3,S,S]} (S = 32 in version 1), RGB in [0,1], dynamic N. */
  public static final String INPUT_IMAGE = "image";

  /** Output: float32 {@code [N,K]}, softmax probabilities over the K class names. */
  public static final String OUTPUT_PROBABILITIES = "probabilities";

  /** Output: float32 {@code [N,2,3]}, the affine transform predicted by the localization net. */
  public static final String OUTPUT_THETA = "theta";

  /** Output: float32 {@code [N,3,S,S]}, the warped image mapped back to [0,1] RGB. */
  public static final String OUTPUT_WARPED = "warped";

  public static final String KEY_FORMAT_VERSION = "stn4j.format_version";

  /** JSON array of the class names in label order. */
  public static final String KEY_CLASS_NAMES = "stn4j.class_names";

  /** JSON object {@code {"mean":[r,g,b],"std":[r,g,b]}} applied inside the graph. */
  public static final String KEY_NORMALIZATION = "stn4j.normalization";

  /** JSON array {@code [3,S,S]}: channels, height, width of one input image. */
  public static final String KEY_INPUT_SIZE = "stn4j.input_size";

  /** Free text naming the training data, e.g. {@code CIFAR-10 (JPEG-q75 copy)}. */
  public static final String KEY_TRAINING_DATA = "stn4j.training_data";

  /** Final-epoch test accuracy in [0,1] as a decimal string; absent for untrained models. */
  public static final String KEY_TEST_ACCURACY = "stn4j.test_accuracy";

  /** JSON object of the training settings (epochs, batch size, schedule, seed...). */
  public static final String KEY_TRAINING = "stn4j.training";

  /** Producer and its version: {@code stn4j-converters} and {@link Stn4jVersion#get()}. */
  public static final String KEY_PRODUCER = "stn4j.producer";

  /** ISO-8601 instant the model file was written. */
  public static final String KEY_CREATED = "stn4j.created";

  /** Hex SHA-256 of the parameters as little-endian float32, in the trainer's layout order. */
  public static final String KEY_PARAMETERS_SHA256 = "stn4j.parameters_sha256";

  /**
   * JSON object describing the sample set and the trainer's answers on it: {@code {"source":...,
   * "records":1000, "sha256":..., "predicted":"3815..."}} where {@code predicted} holds one
   * class-index digit per sample image, as predicted by the DJL model at export.
   */
  public static final String KEY_SAMPLE_SET = "stn4j.sample_set";

  /**
   * Int8 models only ({@code stn quantize}): the {@link #KEY_PARAMETERS_SHA256} of the float32
   * model the int8 model was quantized from.
   */
  public static final String KEY_SOURCE_PARAMETERS_SHA256 = "stn4j.source_parameters_sha256";

  /**
   * Int8 models only: JSON object describing the quantization (format, what is int8 and how, what
   * stays float).
   */
  public static final String KEY_QUANTIZATION = "stn4j.quantization";

  /**
   * Int8 models only: JSON object describing the activation calibration (method, number of images,
   * their file and split, which is always a training split).
   */
  public static final String KEY_CALIBRATION = "stn4j.calibration";

  private ModelFormat() {}
}
