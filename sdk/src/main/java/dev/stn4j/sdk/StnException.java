package dev.stn4j.sdk;

import java.util.Objects;

/**
 * The one checked exception of the stn4j SDK. The message names the input (file, model, provider or
 * batch index) and the problem; {@link #code()} says what kind of problem it is; the cause, if any,
 * is kept.
 *
 * <pre>{@code
 * try {
 *   Prediction p = classifier.predict(Path.of("cat.png"));
 * } catch (StnException e) {
 *   System.err.println(e.code() + ": " + e.getMessage()); // INVALID_INPUT: cat.png: not an image
 * }
 * }</pre>
 */
public final class StnException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /** An error of kind {@code code}; {@code message} names the input and the problem. */
  public StnException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** As {@link #StnException(ErrorCode, String)}, keeping the underlying cause. */
  public StnException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** The kind of failure. */
  public ErrorCode code() {
    return code;
  }
}
