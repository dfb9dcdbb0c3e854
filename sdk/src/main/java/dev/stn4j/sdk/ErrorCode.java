package dev.stn4j.sdk;

/**
 * What kind of failure a {@link StnException} reports, so callers can react without parsing
 * messages.
 *
 * <pre>{@code
 * catch (StnException e) {
 *   if (e.code() == ErrorCode.INVALID_INPUT) { skip(file); } else { throw e; }
 * }
 * }</pre>
 */
public enum ErrorCode {
  /** The model file or the shipped default model resource does not exist or cannot be read. */
  MODEL_NOT_FOUND,
  /** The model exists but is not a usable stn4j ONNX model (corrupt, wrong inputs or outputs). */
  INVALID_MODEL,
  /** An input (image file, image, tensor) is unusable: wrong size, NaN, undecodable, too big. */
  INVALID_INPUT,
  /** An execution provider that was asked for explicitly cannot run on this machine or build. */
  PROVIDER_UNAVAILABLE,
  /** ONNX Runtime failed while running a model that had loaded fine. */
  RUNTIME,
  /**
   * The ONNX Runtime on the classpath is a version known to crash this process, so it was not
   * loaded (the message says which and how to avoid it).
   */
  INCOMPATIBLE_RUNTIME
}
