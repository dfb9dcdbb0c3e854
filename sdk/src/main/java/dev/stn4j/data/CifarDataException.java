package dev.stn4j.data;

import java.io.IOException;

/**
 * A CIFAR-10 file that is missing, truncated, of the wrong size or corrupt; the message names it.
 */
public final class CifarDataException extends IOException {
  private static final long serialVersionUID = 1L;

  public CifarDataException(String message) {
    super(message);
  }

  public CifarDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
