package dev.stn4j.bench;

/**
 * A configuration that cannot run on this machine (e.g. CUDA without a GPU); the message is the
 * reason, printed instead of a row.
 */
public final class UnavailableException extends Exception {
  public UnavailableException(String reason, Throwable cause) {
    super(reason, cause);
  }

  public UnavailableException(String reason) {
    super(reason);
  }
}
