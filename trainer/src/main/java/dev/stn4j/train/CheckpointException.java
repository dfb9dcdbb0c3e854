package dev.stn4j.train;

import java.io.IOException;

/**
 * A checkpoint that cannot be used: missing, truncated, corrupt, or of another architecture. The
 * message names the file and the problem.
 */
public final class CheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
